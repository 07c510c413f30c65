import { describe, expect, it } from 'vitest';
import {
  canSend,
  INITIAL_SESSION,
  type SessionInput,
  type SessionSnapshot,
  type SessionState,
  sessionTransition,
} from './session-machine.js';

const run = (inputs: SessionInput[], from: SessionSnapshot = INITIAL_SESSION): SessionState[] => {
  const states: SessionState[] = [];
  let s = from;
  for (const i of inputs) {
    s = sessionTransition(s, i);
    states.push(s.state);
  }
  return states;
};
const ev = (num: number): SessionInput => ({ type: 'event', num });
const ready: SessionSnapshot = { state: 'ready', restricted: false, established: true };

describe('session transition', () => {
  it('cold start: closed → opening → scanning → joining → ready', () => {
    expect(run([{ type: 'open' }, { type: 'scan' }, { type: 'join' }, { type: 'joined' }])).toEqual([
      'opening',
      'scanning',
      'joining',
      'ready',
    ]);
  });

  it('warm start joins straight from opening', () => {
    expect(run([{ type: 'open' }, { type: 'join' }, { type: 'joined' }])).toEqual([
      'opening',
      'joining',
      'ready',
    ]);
  });

  it('a failed first open goes back to closed, a failure after a session to recovering', () => {
    expect(run([{ type: 'open' }, { type: 'scan' }, { type: 'failed' }])).toEqual([
      'opening',
      'scanning',
      'closed',
    ]);
    expect(run([ev(0x26), { type: 'recover' }, { type: 'scan' }, { type: 'failed' }], ready)).toEqual([
      'recovering',
      'recovering',
      'scanning',
      'recovering',
    ]);
  });

  it('EVENT 29 holds requests until EVENT 25; EVENT 24 during it loses the session', () => {
    expect(run([ev(0x29), ev(0x25)], ready)).toEqual(['reauthenticating', 'ready']);
    expect(run([ev(0x29), ev(0x24)], ready)).toEqual(['reauthenticating', 'recovering']);
    expect(run([ev(0x29), { type: 'reauth-timeout' }], ready)).toEqual(['reauthenticating', 'recovering']);
  });

  it('EVENT 24/26/27/28, silence and a lost port send a ready session to recovering', () => {
    for (const input of [
      ev(0x24),
      ev(0x26),
      ev(0x27),
      ev(0x28),
      { type: 'silence' },
      { type: 'transport-lost' },
    ]) {
      expect(sessionTransition(ready, input as SessionInput).state).toBe('recovering');
    }
  });

  it('EVENT 32/33 toggle the send-time restriction without leaving the state', () => {
    const restricted = sessionTransition(ready, ev(0x32));
    expect(restricted).toMatchObject({ state: 'ready', restricted: true });
    expect(canSend(restricted)).toBe(false);
    expect(canSend(sessionTransition(restricted, ev(0x33)))).toBe(true);
    // A dongle reset may swallow EVENT 33: recovery clears the flag.
    expect(sessionTransition(restricted, { type: 'silence' }).restricted).toBe(false);
  });

  it('ignores inputs that do not apply, returning the same snapshot', () => {
    expect(sessionTransition(ready, ev(0x21))).toBe(ready);
    expect(sessionTransition(ready, { type: 'joined' })).toBe(ready);
    expect(sessionTransition(INITIAL_SESSION, ev(0x29))).toBe(INITIAL_SESSION);
    const joining: SessionSnapshot = { state: 'joining', restricted: false, established: false };
    expect(sessionTransition(joining, ev(0x24))).toBe(joining);
    expect(sessionTransition(INITIAL_SESSION, { type: 'silence' })).toBe(INITIAL_SESSION);
  });

  it('close always ends in closed', () => {
    for (const state of [
      'opening',
      'scanning',
      'joining',
      'ready',
      'reauthenticating',
      'recovering',
    ] as const) {
      expect(sessionTransition({ state, restricted: true, established: true }, { type: 'close' })).toEqual(
        INITIAL_SESSION,
      );
    }
  });
});
