import type { Faults } from '../faults/faults.js';
import type { SendToArgs } from './command-args.js';
import type { DongleOutput } from './dongle-output.js';
import type { MeterEndpoint } from './meter-endpoint.js';
import { hasKeys, type SessionState } from './session.js';
import type { Timeline } from './timeline.js';
import type { TransmitGate } from './transmit-gate.js';

export const ECHONET_PORT = 0x0e1a;

/** What the UDP path needs from the dongle. */
export interface UdpHost {
  readonly timeline: Timeline;
  readonly out: DongleOutput;
  readonly gate: TransmitGate;
  readonly faults: Faults;
  readonly meter: MeterEndpoint;
  readonly meterLla: string;
  readonly ownLla: string;
  session(): SessionState;
  meterInReach(): boolean;
  jitter(lo: number, hi: number): number;
  rssi(): string;
  /** A secured frame went out (MAC frame counter, register S07). */
  securedSent(): void;
  trace(message: string): void;
}

/**
 * SKSENDTO after its arguments were checked: `EVENT 21 <dest> [side] <param>` then `OK`, as
 * BP35A1/BP35C2 print it; the meter's answer follows as ERXUDP 0.5–2.5 s later (plus the delay
 * fault). Param 01: not sent (HAN side without a peer, SEC=1 without PANA keys, ARIB restriction,
 * meter out of reach); 02 then 01: nobody answered the neighbour solicitation for an unknown
 * address. While the session re-authenticates the request goes out but the answer is lost.
 */
export function sendTo(host: UdpHost, send: SendToArgs): void {
  const { out } = host;
  if (host.faults.failEr10()) {
    out.fail('ER10');
    return;
  }
  const result = (param: number) => out.event(0x21, send.ipv6, param, send.side);
  const keys = hasKeys(host.session());
  const secured = send.sec === 1 || (send.sec === 2 && keys);
  if (send.side !== 0 || (send.sec === 1 && !keys)) {
    result(1);
  } else if (send.ipv6 !== host.meterLla) {
    result(2);
    result(1);
  } else if (!host.meterInReach() || !host.gate.transmit(send.data.length)) {
    result(1);
  } else {
    if (secured) host.securedSent();
    result(0);
    out.ok();
    // B-route meters act only on MAC-secured ECHONET Lite datagrams.
    if (send.port === ECHONET_PORT && secured) meterAnswers(host, send.data);
    return;
  }
  out.ok();
}

function meterAnswers(host: UdpHost, request: Uint8Array): void {
  const replies = host.meter.receive(request, host.ownLla);
  if (replies.length === 0) return;
  if (host.session().kind !== 'established') {
    host.trace('reply lost: the session is re-authenticating');
    return;
  }
  host.timeline.after(host.jitter(500, 2500) + host.faults.extraDelayMs(), () =>
    deliver(host, replies, true),
  );
}

/**
 * Prints the meter's ECHONET Lite datagrams as ERXUDP on 0E1A, through the reply faults (drop,
 * corrupt, duplicate). Nothing arrives without an established session or out of reach.
 */
export function deliver(
  host: UdpHost,
  frames: readonly Uint8Array[],
  applyDrop: boolean,
  sender?: string,
): void {
  for (const frame of frames) {
    if (host.session().kind !== 'established') {
      host.trace('datagram lost: no established session');
      continue;
    }
    if (host.faults.meterUnreachable(host.timeline.clock.now())) continue;
    if (applyDrop && host.faults.dropReply()) {
      host.trace('fault: reply dropped');
      continue;
    }
    const data = host.faults.corruptReply(frame) ?? frame;
    print(host, data, sender);
    if (host.faults.duplicateReply()) {
      host.timeline.after(host.jitter(50, 400), () => {
        if (host.session().kind === 'established') print(host, data);
      });
    }
  }
}

function print(host: UdpHost, data: Uint8Array, sender?: string): void {
  host.out.erxudp({
    sender: sender ?? host.meterLla,
    dest: host.ownLla,
    port: ECHONET_PORT,
    senderLla: host.meter.mac,
    secured: 1,
    rssi: host.rssi(),
    data,
  });
}
