/**
 * `-i`: what the dongle says about itself, without credentials and without joining — firmware
 * (SKVER → EVER), own addresses and channel (SKINFO → EINFO), the family that EINFO's field
 * count betrays (a side field only on dual-stack stacks), and the ERXUDP payload format (ROPT:
 * `OK 00` binary, `OK 01` ASCII hex; Tessera RL7023 answers FAIL ER04 and always sends hex).
 * ROPT only reads; WOPT (a flash write) is never sent here.
 */
import {
  type Clock,
  createTransport,
  type DongleFamily,
  familyFromEvent,
  isEchonetError,
  type SkEvent,
  type SkEventOf,
  SkLink,
  type TransportSpec,
} from '@b-route/echonet';
import type { PollerLogger } from './poller.js';

export interface DongleInfo {
  /** EVER; undefined when SKVER gave none. */
  readonly version: string | undefined;
  /** EINFO; undefined when SKINFO gave none. */
  readonly einfo: Omit<SkEventOf<'einfo'>, 'type'> | undefined;
  /** From EINFO; undefined when it cannot tell. */
  readonly family: DongleFamily | undefined;
  /** ROPT: 'binary' (OK 00), 'hex' (OK 01), or 'hex (no ROPT)' when the stack lacks it. */
  readonly payload: 'binary' | 'hex' | 'hex (no ROPT)' | 'unknown';
}

export interface ReadDongleInfoOptions {
  readonly device: TransportSpec;
  readonly baudRate?: number;
  readonly clock: Clock;
  readonly logger: PollerLogger;
  /** Per command. Default 5000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Opens the port, asks SKVER, SKINFO and ROPT, closes the port.
 * @throws EchonetError `transport.open` (no such port), `sk.timeout` (nothing answers SKVER).
 */
export async function readDongleInfo(options: ReadDongleInfoOptions): Promise<DongleInfo> {
  const transport = createTransport(options.device, options.baudRate ? { baudRate: options.baudRate } : {});
  await transport.open();
  const link = new SkLink({
    transport,
    clock: options.clock,
    logger: options.logger,
    commandTimeoutMs: options.timeoutMs ?? 5_000,
  });
  link.attach();
  try {
    const ever = find(await link.command({ name: 'SKVER' }), 'ever');
    const einfo = find(await link.command({ name: 'SKINFO' }), 'einfo');
    let payload: DongleInfo['payload'] = 'unknown';
    try {
      const ok = find(await link.command({ name: 'ROPT' }), 'ok');
      payload = ok?.value === '00' ? 'binary' : ok?.value === '01' ? 'hex' : 'unknown';
    } catch (err) {
      if (!isEchonetError(err, 'sk.fail')) throw err;
      if (err.context.code === 'ER04') payload = 'hex (no ROPT)';
    }
    return {
      version: ever?.version,
      einfo: einfo ? { ...einfo } : undefined,
      family: einfo ? familyFromEvent(einfo) : undefined,
      payload,
    };
  } finally {
    link.detach();
    await transport.close();
  }
}

function find<T extends SkEvent['type']>(events: readonly SkEvent[], type: T): SkEventOf<T> | undefined {
  return events.find((e) => e.type === type) as SkEventOf<T> | undefined;
}

const hex = (n: number, digits: number) => n.toString(16).toUpperCase().padStart(digits, '0');

/** Human-readable lines for the terminal. */
export function formatDongleInfo(info: DongleInfo, device: string): string[] {
  const lines = [`device:    ${device}`, `firmware:  ${info.version ?? '(no EVER answer)'}`];
  if (info.einfo) {
    const e = info.einfo;
    lines.push(
      `IPv6:      ${e.ipv6}`,
      `MAC:       ${e.mac}`,
      `channel:   ${hex(e.channel, 2)} (${e.channel})`,
      `PAN ID:    ${hex(e.panId, 4)}`,
      `short:     ${e.addr16}`,
    );
    if (e.side !== undefined) lines.push(`side:      ${e.side}`);
  } else {
    lines.push('EINFO:     (no answer to SKINFO)');
  }
  lines.push(
    `family:    ${info.family ?? 'unknown'}${info.family === 'dual-stack' ? ' (B-route + HAN; commands take a side argument)' : info.family === 'single-hop' ? ' (no side argument)' : ''}`,
    `payload:   ${info.payload}${info.payload === 'binary' ? ' (ROPT OK 00: ERXUDP data arrive as raw bytes)' : info.payload === 'hex' ? ' (ROPT OK 01: ERXUDP data arrive as ASCII hex)' : ''}`,
  );
  return lines;
}
