import { SK_EVENT } from '../sk/event-numbers.js';

/**
 * The life of a B-route session as the client sees it.
 * - `closed`: nothing open.
 * - `opening`: port opened, SKRESET, family and payload format, credentials.
 * - `scanning`: active scan for the meter (SKSCAN, durations growing).
 * - `joining`: SKJOIN sent, waiting for EVENT 25 (success) or 24 (failure).
 * - `ready`: requests flow (unless `restricted`).
 * - `reauthenticating`: the PANA lifetime ran out (EVENT 29); the dongle re-authenticates by
 *   itself and requests wait for EVENT 25.
 * - `recovering`: the session or the port was lost; the client rejoins, or reopens and
 *   re-initialises with backoff, then goes through scanning/joining again.
 */
export type SessionState =
  | 'closed'
  | 'opening'
  | 'scanning'
  | 'joining'
  | 'ready'
  | 'reauthenticating'
  | 'recovering';

export interface SessionSnapshot {
  readonly state: SessionState;
  /** Send-time restriction (ARIB STD-T108 duty limit) between EVENT 32 and 33. */
  readonly restricted: boolean;
  /** A session was ready at least once since `open`: failures then lead to recovery, not to `closed`. */
  readonly established: boolean;
}

export type SessionInput =
  /** `open()` was called. */
  | { readonly type: 'open' }
  /** The open or recovery procedure started a scan. */
  | { readonly type: 'scan' }
  /** SKJOIN was sent. */
  | { readonly type: 'join' }
  /** SKJOIN answered with EVENT 25. */
  | { readonly type: 'joined' }
  /** An asynchronous EVENT from the dongle. */
  | { readonly type: 'event'; readonly num: number }
  /** Consecutive request timeouts reached the limit: the meter no longer answers. */
  | { readonly type: 'silence' }
  /** Re-authentication did not end (no EVENT 25/24) in time. */
  | { readonly type: 'reauth-timeout' }
  /** The transport closed by itself (unplug, TCP reset). */
  | { readonly type: 'transport-lost' }
  /** An open or recovery step failed. */
  | { readonly type: 'failed' }
  /** Recovery starts another attempt (rejoin or re-initialisation). */
  | { readonly type: 'recover' }
  /** `close()` was called. */
  | { readonly type: 'close' };

export const INITIAL_SESSION: SessionSnapshot = { state: 'closed', restricted: false, established: false };

/** Events after which the PANA session is gone (failed, ended by the meter, ended, timed out). */
const SESSION_LOST: ReadonlySet<number> = new Set([
  SK_EVENT.PANA_FAILED,
  SK_EVENT.SESSION_END_REQUESTED,
  SK_EVENT.SESSION_ENDED,
  SK_EVENT.SESSION_END_TIMEOUT,
]);

/**
 * The one transition function. Pure: returns `s` itself when the input changes nothing, so
 * callers can compare by identity.
 */
export function sessionTransition(s: SessionSnapshot, input: SessionInput): SessionSnapshot {
  const to = (state: SessionState, extra: Partial<SessionSnapshot> = {}): SessionSnapshot =>
    state === s.state && Object.entries(extra).every(([k, v]) => s[k as keyof SessionSnapshot] === v)
      ? s
      : { ...s, state, ...extra };
  const lost = () => to(s.established ? 'recovering' : 'closed', { restricted: false });

  switch (input.type) {
    case 'close':
      return to('closed', { restricted: false, established: false });
    case 'open':
      return s.state === 'closed' ? to('opening', { restricted: false, established: false }) : s;
    case 'recover':
      return s.state === 'closed' ? s : to('recovering', { restricted: false });
    case 'scan':
      // From joining too: the cached PAN refused the join and a scan follows.
      return s.state === 'opening' || s.state === 'recovering' || s.state === 'joining' ? to('scanning') : s;
    case 'join':
      return s.state === 'opening' || s.state === 'recovering' || s.state === 'scanning' ? to('joining') : s;
    case 'joined':
      return s.state === 'joining' ? to('ready', { established: true }) : s;
    case 'failed':
      return s.state === 'closed' ? s : lost();
    case 'transport-lost':
      return s.state === 'closed' || s.state === 'recovering' ? s : lost();
    case 'silence':
      return s.state === 'ready' ? lost() : s;
    case 'reauth-timeout':
      return s.state === 'reauthenticating' ? lost() : s;
    case 'event':
      return onEvent(s, input.num, to, lost);
  }
}

function onEvent(
  s: SessionSnapshot,
  num: number,
  to: (state: SessionState, extra?: Partial<SessionSnapshot>) => SessionSnapshot,
  lost: () => SessionSnapshot,
): SessionSnapshot {
  if (s.state === 'closed') return s;
  if (num === SK_EVENT.SEND_RESTRICTED) return to(s.state, { restricted: true });
  if (num === SK_EVENT.SEND_UNRESTRICTED) return to(s.state, { restricted: false });
  // During opening/scanning/joining the procedure itself waits for 24/25; only a live session
  // reacts to them here.
  if (s.state !== 'ready' && s.state !== 'reauthenticating') return s;
  if (num === SK_EVENT.SESSION_EXPIRED) return to('reauthenticating');
  if (num === SK_EVENT.PANA_SUCCEEDED) return to('ready');
  if (SESSION_LOST.has(num)) return lost();
  return s;
}

/** Requests may be sent now. */
export function canSend(s: SessionSnapshot): boolean {
  return s.state === 'ready' && !s.restricted;
}
