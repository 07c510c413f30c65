import type { DongleOutput } from './dongle-output.js';
import { PAC_MESSAGE_BYTES, PANA_PORT, type PanaPeer } from './pana.js';
import type { SessionInput, SessionState } from './session.js';
import type { Step, Timeline } from './timeline.js';

/** How long the stack waits for a PANA peer that does not answer before EVENT 24. */
export const PANA_TIMEOUT_MS = 10_000;
/** How long SKTERM waits for PANA-Termination-Answer before EVENT 28. */
export const TERM_TIMEOUT_MS = 5_000;

/** What the PANA flows need from the dongle. */
export interface PanaFlowHost {
  readonly timeline: Timeline;
  readonly out: DongleOutput;
  readonly meterLla: string;
  session(): SessionState;
  transition(input: SessionInput): boolean;
  /** The meter hears us (not faulted away, same channel and PAN). */
  meterInReach(): boolean;
  /** Accounts a transmission against the ARIB budget; false = restricted, nothing sent. */
  transmit(bytes: number): boolean;
  jitter(lo: number, hi: number): number;
  /** The PAA side of the session (created at SKJOIN). */
  pana(): PanaPeer;
  /** Session lifetime to announce and to arm, ms. */
  lifetimeMs(): number;
  /** The session is up: arm the lifetime timer; after a first join the meter announces itself. */
  established(peer: string, firstJoin: boolean): void;
  /** The session is gone (EVENT 24/27/28 printed). */
  ended(): void;
  /** A PANA datagram from the meter, printed as ERXUDP on port 02CC. */
  panaReceived(message: Uint8Array, secured: number): void;
}

const roundTrip = (host: PanaFlowHost) => host.jitter(120, 420);

/** A step that runs only while the session is in state `kind`. */
function guard(host: PanaFlowHost, kind: SessionState['kind'], fn: () => boolean | undefined) {
  return (): boolean | undefined => (host.session().kind === kind ? fn() : false);
}

function failed(host: PanaFlowHost, peer: string): false {
  host.transition({ type: 'auth-failed' });
  host.ended();
  host.out.event(0x24, peer);
  return false;
}

function succeeded(host: PanaFlowHost, peer: string, firstJoin: boolean): true {
  host.transition({ type: 'auth-ok', expiresAt: host.timeline.clock.now() + host.lifetimeMs() });
  host.out.event(0x25, peer);
  host.established(peer, firstJoin);
  return true;
}

/** The PaC's answer goes out (EVENT 21 param 00), or the restriction ends the exchange. */
function pacAnswers(host: PanaFlowHost, kind: SessionState['kind'], peer: string) {
  return guard(host, kind, () => {
    if (!host.transmit(PAC_MESSAGE_BYTES.answer)) return failed(host, peer);
    host.out.event(0x21, peer, 0);
    return true;
  });
}

function paaSends(host: PanaFlowHost, kind: SessionState['kind'], secured: number, msg: () => Uint8Array) {
  return guard(host, kind, () => {
    host.panaReceived(msg(), secured);
    return true;
  });
}

/** The EAP-PSK exchange after the first PAA message, ending in EVENT 25 or EVENT 24. */
function eapPsk(
  host: PanaFlowHost,
  kind: 'joining' | 'reauthenticating',
  peer: string,
  accepted: boolean,
  secured: number,
): Step[] {
  const pana = host.pana();
  const rt = () => roundTrip(host);
  const steps: Step[] = [
    [rt(), paaSends(host, kind, secured, () => pana.pskFirst())],
    [rt(), pacAnswers(host, kind, peer)],
  ];
  if (!accepted) {
    return [
      ...steps,
      [rt(), paaSends(host, kind, secured, () => pana.complete(false, 0))],
      [rt(), pacAnswers(host, kind, peer)],
      [20, guard(host, kind, () => failed(host, peer))],
    ];
  }
  const lifetimeS = Math.round(host.lifetimeMs() / 1000);
  return [
    ...steps,
    [rt(), paaSends(host, kind, secured, () => pana.pskThird())],
    [rt(), pacAnswers(host, kind, peer)],
    [rt(), paaSends(host, kind, secured, () => pana.complete(true, lifetimeS))],
    [rt(), pacAnswers(host, kind, peer)],
    [20, guard(host, kind, () => succeeded(host, peer, kind === 'joining'))],
  ];
}

/**
 * SKJOIN after `OK`, as BP35A1/BP35C2 print it: EVENT 21 param 02 (PANA-Client-Initiation waits
 * for neighbour discovery), EVENT 02 (NA), then the PAA's PANA-Auth-Requests as ERXUDP on 02CC,
 * each answered (EVENT 21 param 00), and EVENT 25 or EVENT 24 (RFC 5191 §4.1, EAP-PSK RFC 4764).
 * A peer that never answers ends in EVENT 24 after `PANA_TIMEOUT_MS`.
 */
export function startJoin(host: PanaFlowHost, peer: string, accepted: boolean): void {
  const solicit = guard(host, 'joining', () => {
    host.transmit(PAC_MESSAGE_BYTES.initiation);
    host.out.event(0x21, peer, 2);
    return true;
  });
  if (peer !== host.meterLla || !host.meterInReach()) {
    host.timeline.sequence([
      [20, solicit],
      [PANA_TIMEOUT_MS, guard(host, 'joining', () => failed(host, peer))],
    ]);
    return;
  }
  const pana = host.pana();
  host.timeline.sequence([
    [20, solicit],
    [
      host.jitter(30, 80),
      guard(host, 'joining', () => {
        host.out.event(0x02, peer);
        return true;
      }),
    ],
    [roundTrip(host), paaSends(host, 'joining', 0, () => pana.start())],
    [roundTrip(host), pacAnswers(host, 'joining', peer)],
    ...eapPsk(host, 'joining', peer, accepted, 0),
  ]);
}

/**
 * Re-authentication in the running session (PaC-initiated, RFC 5191 §4.3): EVENT 21 for the
 * PANA-Notification-Request with the A flag, the PAA's answer, a new EAP-PSK exchange, EVENT 25.
 * EVENT 24 when the meter cannot be reached or rejects it. `first` is the delay before the first
 * line (after EVENT 29 or SKREJOIN's OK).
 */
export function startReauth(host: PanaFlowHost, peer: string, accepted: boolean, first: number): void {
  const kind = 'reauthenticating';
  if (!host.meterInReach() || !host.transmit(PAC_MESSAGE_BYTES.reauth)) {
    host.timeline.sequence([
      [
        first,
        guard(host, kind, () => {
          host.out.event(0x21, peer, 1);
          return true;
        }),
      ],
      [PANA_TIMEOUT_MS, guard(host, kind, () => failed(host, peer))],
    ]);
    return;
  }
  const pana = host.pana();
  host.timeline.sequence([
    [
      first,
      guard(host, kind, () => {
        host.out.event(0x21, peer, 0);
        return true;
      }),
    ],
    [roundTrip(host), paaSends(host, kind, 1, () => pana.reauthAnswer())],
    ...eapPsk(host, kind, peer, accepted, 1),
  ]);
}

/**
 * SKTERM after `OK`: PANA-Termination-Request (EVENT 21), the PAA's answer (ERXUDP 02CC) and
 * EVENT 27; EVENT 28 after `TERM_TIMEOUT_MS` when the meter does not answer (RFC 5191 §4.4).
 */
export function startTerm(host: PanaFlowHost, peer: string, hasPeer: boolean): void {
  const kind = 'terminating';
  const end = (num: number) =>
    guard(host, kind, () => {
      host.transition({ type: 'terminated' });
      host.ended();
      host.out.event(num, peer);
      return false;
    });
  if (!hasPeer || !host.meterInReach() || !host.transmit(PAC_MESSAGE_BYTES.termination)) {
    host.timeline.sequence([
      [
        20,
        guard(host, kind, () => {
          host.out.event(0x21, peer, 1);
          return true;
        }),
      ],
      [TERM_TIMEOUT_MS, end(0x28)],
    ]);
    return;
  }
  const pana = host.pana();
  host.timeline.sequence([
    [
      20,
      guard(host, kind, () => {
        host.out.event(0x21, peer, 0);
        return true;
      }),
    ],
    [roundTrip(host), paaSends(host, kind, 1, () => pana.terminationAnswer())],
    [20, end(0x27)],
  ]);
}

/** PANA datagrams travel on UDP 716. */
export { PANA_PORT };
