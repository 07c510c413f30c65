import type { ScanArgs } from './command-args.js';
import type { DongleOutput } from './dongle-output.js';
import type { MeterEndpoint } from './meter-endpoint.js';
import type { Timeline } from './timeline.js';

const CHANNELS = 28; // 33 … 60
const FIRST_CHANNEL = 0x21;

/** Per-channel listening time of a scan with duration n: 9.6 ms × (2^n + 1) (BP35A1 SKSCAN). */
export function scanChannelMs(duration: number): number {
  return 9.6 * (2 ** duration + 1);
}

/** Channels selected by an SKSCAN mask: bit i = channel 33 + i. */
export function scanChannels(mask: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < CHANNELS; i++) if ((mask >>> i) & 1) out.push(FIRST_CHANNEL + i);
  return out;
}

export interface ScanHost {
  readonly timeline: Timeline;
  readonly out: DongleOutput;
  readonly meter: MeterEndpoint;
  readonly meterLla: string;
  readonly ownLla: string;
  /** Pairing ID the dongle scans with (register S0A, set by SKSETRBID). */
  pairingId(): string;
  meterReachable(): boolean;
  jitter(lo: number, hi: number): number;
  done(): void;
}

/**
 * Runs a scan after SKSCAN's OK, in simulated time: the channels of the mask one after the other,
 * each for `scanChannelMs(duration)`. Active scan (mode 2, with the pairing IE): the meter answers
 * on its channel with EVENT 20 + EPANDESC only when the pairing ID matches and the scan is on the
 * B-route side; EVENT 22 at the end. ED scan (mode 0): EVENT 1F, then EEDSCAN with one
 * channel/level pair per channel. Mode 3 (no IE): B-route meters do not answer.
 */
export function startScan(host: ScanHost, scan: ScanArgs): void {
  const slot = scanChannelMs(scan.duration);
  const channels = scanChannels(scan.channelMask);
  const total = channels.length * slot;
  if (scan.mode === 0) {
    host.timeline.after(total, () => {
      host.done();
      host.out.event(0x1f, host.ownLla);
      const pairs = channels.map((ch) => {
        const level = ch === host.meter.channel ? host.meter.lqi : host.jitter(0x20, 0x50);
        return `${ch.toString(16).toUpperCase()} ${level.toString(16).toUpperCase().padStart(2, '0')}`;
      });
      host.out.line('EEDSCAN');
      host.out.line(pairs.join(' '));
    });
    return;
  }
  const meterSlot = channels.indexOf(host.meter.channel);
  if (meterSlot >= 0) {
    host.timeline.after((meterSlot + 1) * slot, () => {
      if (scan.mode !== 2 || scan.side !== 0 || host.pairingId() !== host.meter.pairingId) return;
      if (!host.meterReachable()) return;
      host.out.event(0x20, host.meterLla);
      host.out.out({
        type: 'epandesc',
        channel: host.meter.channel,
        channelPage: 9,
        panId: host.meter.panId,
        addr: host.meter.mac,
        lqi: host.meter.lqi,
        ...host.out.side(),
        pairId: host.meter.pairingId,
      });
    });
  }
  host.timeline.after(total, () => {
    host.done();
    host.out.event(0x22, host.ownLla);
  });
}
