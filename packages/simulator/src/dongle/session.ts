/**
 * The dongle's PANA session as a visible state machine. Inputs are what the stack does or
 * observes; the dongle prints the matching EVENT when a transition happens:
 *
 * ```
 * none ──join──► joining ──auth-ok (EVENT 25)──► established ──expired, S17=1 (EVENT 29)──► reauthenticating
 *   ▲               │                              │    ▲  │                                   │
 *   │      auth-failed (EVENT 24)            terminate│    └──┼──────── auth-ok (EVENT 25) ────────┘
 *   ├───────────────┘                              ▼       │
 *   ├──────── terminated (EVENT 27/28) ──── terminating    expired, S17=0 (EVENT 29) / auth-failed (EVENT 24)
 *   └──────────────────────────────────────────────────────┘           (from reauthenticating)
 * ```
 * `reset` (SKRESET, reboot, unplug) returns to `none` from anywhere, silently.
 */
export type SessionState =
  | { readonly kind: 'none' }
  | { readonly kind: 'joining'; readonly peer: string }
  | { readonly kind: 'established'; readonly peer: string; readonly expiresAt: number }
  | { readonly kind: 'reauthenticating'; readonly peer: string }
  | { readonly kind: 'terminating'; readonly peer: string };

export type SessionInput =
  | { readonly type: 'join'; readonly peer: string }
  | { readonly type: 'auth-ok'; readonly expiresAt: number }
  | { readonly type: 'auth-failed' }
  | { readonly type: 'expired'; readonly autoReauth: boolean }
  | { readonly type: 'rejoin' }
  | { readonly type: 'terminate' }
  | { readonly type: 'terminated' }
  | { readonly type: 'reset' };

export const NO_SESSION: SessionState = { kind: 'none' };

/** The next state, or null when `input` is not possible in `state` (the command fails ER10). */
export function sessionTransition(state: SessionState, input: SessionInput): SessionState | null {
  if (input.type === 'reset') return NO_SESSION;
  switch (state.kind) {
    case 'none':
      return input.type === 'join' ? { kind: 'joining', peer: input.peer } : null;
    case 'joining':
    case 'reauthenticating':
      if (input.type === 'auth-ok')
        return { kind: 'established', peer: state.peer, expiresAt: input.expiresAt };
      if (input.type === 'auth-failed') return NO_SESSION;
      if (input.type === 'terminate' && state.kind === 'reauthenticating') {
        return { kind: 'terminating', peer: state.peer };
      }
      return null;
    case 'established':
      if (input.type === 'expired') {
        return input.autoReauth ? { kind: 'reauthenticating', peer: state.peer } : NO_SESSION;
      }
      if (input.type === 'rejoin') return { kind: 'reauthenticating', peer: state.peer };
      if (input.type === 'terminate') return { kind: 'terminating', peer: state.peer };
      return null;
    case 'terminating':
      return input.type === 'terminated' ? NO_SESSION : null;
  }
}

/** The MAC layer holds keys (secured frames can be sent) in these states. */
export function hasKeys(state: SessionState): boolean {
  return state.kind === 'established' || state.kind === 'reauthenticating' || state.kind === 'terminating';
}

/** The peer answers ECHONET Lite requests only while the session is established. */
export function deliversReplies(state: SessionState): boolean {
  return state.kind === 'established';
}
