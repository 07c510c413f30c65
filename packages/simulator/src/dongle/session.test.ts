import { describe, expect, it } from 'vitest';
import { deliversReplies, hasKeys, NO_SESSION, type SessionState, sessionTransition } from './session.js';

const PEER = 'FE80:0000:0000:0000:021C:6400:6014:21A3';

describe('sessionTransition', () => {
  it('joins, expires into re-authentication and comes back', () => {
    let s: SessionState | null = sessionTransition(NO_SESSION, { type: 'join', peer: PEER });
    expect(s).toEqual({ kind: 'joining', peer: PEER });
    s = sessionTransition(s!, { type: 'auth-ok', expiresAt: 100 });
    expect(s).toEqual({ kind: 'established', peer: PEER, expiresAt: 100 });
    s = sessionTransition(s!, { type: 'expired', autoReauth: true });
    expect(s?.kind).toBe('reauthenticating');
    expect(hasKeys(s!)).toBe(true);
    expect(deliversReplies(s!)).toBe(false);
    s = sessionTransition(s!, { type: 'auth-ok', expiresAt: 200 });
    expect(s).toEqual({ kind: 'established', peer: PEER, expiresAt: 200 });
  });

  it('loses the session when re-authentication is off or fails', () => {
    const est: SessionState = { kind: 'established', peer: PEER, expiresAt: 1 };
    expect(sessionTransition(est, { type: 'expired', autoReauth: false })).toEqual(NO_SESSION);
    const re = sessionTransition(est, { type: 'expired', autoReauth: true })!;
    expect(sessionTransition(re, { type: 'auth-failed' })).toEqual(NO_SESSION);
  });

  it('refuses inputs that do not fit (the dongle answers FAIL ER10)', () => {
    expect(sessionTransition(NO_SESSION, { type: 'terminate' })).toBeNull();
    expect(sessionTransition({ kind: 'joining', peer: PEER }, { type: 'join', peer: PEER })).toBeNull();
    expect(
      sessionTransition({ kind: 'established', peer: PEER, expiresAt: 1 }, { type: 'join', peer: PEER }),
    ).toBeNull();
  });

  it('terminates and resets from anywhere', () => {
    const t = sessionTransition({ kind: 'established', peer: PEER, expiresAt: 1 }, { type: 'terminate' })!;
    expect(t.kind).toBe('terminating');
    expect(sessionTransition(t, { type: 'terminated' })).toEqual(NO_SESSION);
    expect(sessionTransition({ kind: 'joining', peer: PEER }, { type: 'reset' })).toEqual(NO_SESSION);
  });
});
