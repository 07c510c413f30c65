/**
 * Helpers for the SK tests (not exported from the package): the seeded PRNG, a structural check of
 * the SkEvent union, and a generator of random well-formed events of every type and layout.
 */

import { EVENTS_WITH_PARAM, SK_EVENT } from './event-numbers.js';
import type { ErxudpLayout, SkEvent } from './events.js';

export { seededRandom } from '@b-route/core';

export type Rng = () => number;

export const int = (rng: Rng, max: number): number => Math.floor(rng() * max);
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;

export function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(rng, 256);
  return out;
}

export function hexOf(rng: Rng, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789ABCDEF'[int(rng, 16)];
  return s;
}

export function ipv6Of(rng: Rng): string {
  return ['FE80', '0000', '0000', '0000', hexOf(rng, 4), hexOf(rng, 4), hexOf(rng, 4), hexOf(rng, 4)].join(
    ':',
  );
}

const isStr = (v: unknown): boolean => typeof v === 'string';
const isNum = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optNum = (v: unknown): boolean => v === undefined || isNum(v);

/** Undefined when `ev` is a member of the SkEvent union with sane field types; else why not. */
export function checkSkEvent(ev: unknown): string | undefined {
  if (typeof ev !== 'object' || ev === null) return 'not an object';
  const e = ev as Record<string, unknown>;
  const ok = (cond: boolean, what: string): string | undefined => (cond ? undefined : `${e.type}: ${what}`);
  switch (e.type) {
    case 'echo':
      return ok(isStr(e.command) && isStr(e.line) && /^[\x20-\x7e\t]*$/.test(e.line as string), 'fields');
    case 'ok':
      return ok(e.value === undefined || isStr(e.value), 'value');
    case 'fail':
      return ok(isStr(e.code), 'code');
    case 'ever':
    case 'eappver':
      return ok(isStr(e.version), 'version');
    case 'esreg':
      return ok(isStr(e.value), 'value');
    case 'einfo':
      return ok(
        isStr(e.ipv6) &&
          isStr(e.mac) &&
          isNum(e.channel) &&
          isNum(e.panId) &&
          (e.addr16 === undefined || isStr(e.addr16)) &&
          optNum(e.side) &&
          (e.addr16 !== undefined || e.side !== undefined),
        'fields',
      );
    case 'event':
      return ok(isNum(e.num) && isStr(e.sender) && optNum(e.side) && optNum(e.param), 'fields');
    case 'epandesc':
      return ok(
        isNum(e.channel) &&
          isNum(e.channelPage) &&
          isNum(e.panId) &&
          isStr(e.addr) &&
          isNum(e.lqi) &&
          optNum(e.side),
        'fields',
      );
    case 'ipv6':
      return ok(isStr(e.address), 'address');
    case 'erxudp':
      return ok(
        ['single-hop', 'dual-stack', 'dual-stack-rssi'].includes(e.layout as string) &&
          ['hex', 'binary'].includes(e.encoding as string) &&
          e.data instanceof Uint8Array &&
          isNum(e.rport) &&
          isNum(e.lport) &&
          isNum(e.secured),
        'fields',
      );
    case 'unknown':
      return ok(isStr(e.line), 'line');
    case 'error':
      return ok(
        (e.code === 'sk.malformed' || e.code === 'sk.overflow') &&
          isStr(e.reason) &&
          e.reason !== '' &&
          isStr(e.raw),
        'code/reason/raw',
      );
    default:
      return `unknown type ${String(e.type)}`;
  }
}

const EVENT_NUMS = Object.values(SK_EVENT).filter((n) => n !== SK_EVENT.WAKEUP);
const LAYOUTS: readonly ErxudpLayout[] = ['single-hop', 'dual-stack', 'dual-stack-rssi'];

/** A random well-formed event that `formatEvent` can round-trip (see its exceptions). */
export function randomEvent(rng: Rng): SkEvent {
  const dual = rng() < 0.5;
  const side = dual ? int(rng, 2) : undefined;
  const withSide = <T extends object>(o: T): T => (side === undefined ? o : { ...o, side });
  switch (int(rng, 11)) {
    case 0:
      return { type: 'ok', ...(rng() < 0.5 ? {} : { value: hexOf(rng, 2) }) };
    case 1:
      return { type: 'fail', code: `ER${pick(rng, ['04', '05', '06', '09', '10'])}` };
    case 2:
      return rng() < 0.5
        ? { type: 'ever', version: `${int(rng, 3)}.${int(rng, 9)}.${int(rng, 20)}` }
        : { type: 'eappver', version: `rohm-sk-bp35a${int(rng, 3)}` };
    case 3:
      return { type: 'esreg', value: hexOf(rng, 1 + int(rng, 8)) };
    case 4: {
      // Five fields on both families: the short address (single-hop) or the side (dual-stack)
      const fifth = rng() < 0.5 ? { addr16: hexOf(rng, 4) } : { side: int(rng, 2) };
      return {
        type: 'einfo',
        ipv6: ipv6Of(rng),
        mac: hexOf(rng, 16),
        channel: 0x21 + int(rng, 40),
        panId: int(rng, 0x10000),
        ...fifth,
      };
    }
    case 5: {
      const num = pick(rng, EVENT_NUMS);
      const param = EVENTS_WITH_PARAM.has(num) ? int(rng, 3) : undefined;
      return {
        type: 'event',
        num,
        sender: ipv6Of(rng),
        ...(side === undefined ? {} : { side }),
        ...(param === undefined ? {} : { param }),
      };
    }
    case 6:
      return withSide({
        type: 'epandesc',
        channel: 0x21 + int(rng, 40),
        channelPage: 9,
        panId: int(rng, 0x10000),
        addr: hexOf(rng, 16),
        lqi: int(rng, 256),
        pairId: hexOf(rng, 8),
      });
    case 7:
      return { type: 'ipv6', address: ipv6Of(rng) };
    case 8: {
      const layout = pick(rng, LAYOUTS);
      return {
        type: 'erxudp',
        layout,
        encoding: rng() < 0.5 ? 'hex' : 'binary',
        sender: ipv6Of(rng),
        dest: ipv6Of(rng),
        rport: pick(rng, [0x0e1a, 0x02cc]),
        lport: pick(rng, [0x0e1a, 0x02cc]),
        senderLla: hexOf(rng, 16),
        secured: int(rng, 2),
        ...(layout === 'single-hop' ? {} : { side: int(rng, 2) }),
        ...(layout === 'dual-stack-rssi' ? { rssi: hexOf(rng, 2) } : {}),
        data: randomBytes(rng, 1 + int(rng, 64)),
      };
    }
    case 9: {
      const data = randomBytes(rng, int(rng, 40));
      // Echoed data starting with CR or LF reads as a dongle's bare echo (parser.ts); ECHONET
      // Lite data starts with 0x10
      if (data[0] === 0x0d || data[0] === 0x0a) data[0] = 0x10;
      const head = `SKSENDTO 1 ${ipv6Of(rng)} 0E1A 1${dual ? ' 0' : ''} ${data.length.toString(16).toUpperCase().padStart(4, '0')} `;
      const hex = Array.from(data, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
      return rng() < 0.5
        ? { type: 'echo', command: 'SKSENDTO', line: head + hex }
        : {
            type: 'echo',
            command: 'SKSCAN',
            line: `SKSCAN 2 FFFFFFFF ${int(rng, 15).toString(16).toUpperCase()}${dual ? ' 0' : ''}`,
          };
    }
    default:
      return {
        type: 'unknown',
        line: pick(rng, ['EADDR', 'EPORT', 'hello world', '1 2 3']),
      };
  }
}
