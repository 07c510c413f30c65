/**
 * The EPANDESC block (BP35A1 command reference 4.5; BP35C0 adds `Side`): an `EPANDESC` line, then
 * indented `Key:Value` lines, values hex:
 *
 * ```
 * EPANDESC
 *   Channel:21
 *   Channel Page:09
 *   Pan ID:8888
 *   Addr:12345678ABCDEF01
 *   LQI:E1
 *   Side:0            (dual-stack only)
 *   PairID:AABBCCDD
 * ```
 *
 * `PairID` is the last key in both layouts, so the block is complete when it arrives; a block
 * without it ends at the next non-indented line (or the parser's `flush()`).
 */
import { parseHexToken } from './bytes.js';
import type { SkEvent, SkEventOf } from './events.js';
import { malformed } from './line-events.js';
import { redactCommand } from './redact.js';

type Numeric = 'channel' | 'channelPage' | 'panId' | 'lqi' | 'side';

const NUMERIC_KEYS: Readonly<Record<string, readonly [Numeric, number]>> = {
  Channel: ['channel', 2],
  'Channel Page': ['channelPage', 2],
  'Pan ID': ['panId', 4],
  LQI: ['lqi', 2],
  Side: ['side', 1],
};

/** Key spelling and hex width of each field, in the order the dongle prints them. */
export const PANDESC_KEYS = [
  ['Channel', 'channel', 2],
  ['Channel Page', 'channelPage', 2],
  ['Pan ID', 'panId', 4],
  ['Addr', 'addr', 0],
  ['LQI', 'lqi', 2],
  ['Side', 'side', 1],
  ['PairID', 'pairId', 0],
] as const;

export class PanDescBlock {
  private readonly numbers: Partial<Record<Numeric, number>> = {};
  private addr: string | undefined;
  private pairId: string | undefined;
  private problem: string | undefined;
  private readonly lines: string[] = ['EPANDESC'];

  /**
   * Takes one indented line. Returns `done` when PairID arrived, and an `unknown` event for a
   * key this block does not know (passed on, not dropped).
   */
  accept(line: string): { readonly done: boolean; readonly unknown?: SkEvent } {
    const text = line.trim();
    const colon = text.indexOf(':');
    const key = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).trim();
    if (key === 'Addr') this.addr = value;
    else if (key === 'PairID') this.pairId = value;
    else {
      const numeric = NUMERIC_KEYS[key];
      if (numeric === undefined || colon === -1)
        return { done: false, unknown: { type: 'unknown', line: redactCommand(line) } };
      const [field, digits] = numeric;
      const n = parseHexToken(value, digits);
      if (n === undefined) this.problem ??= `EPANDESC ${key} is not ${digits} hex digits at most`;
      else this.numbers[field] = n;
    }
    this.lines.push(line);
    return { done: key === 'PairID' };
  }

  /** The event for the block so far, or a `sk.malformed` error naming what is missing. */
  finish(): SkEventOf<'epandesc'> | SkEventOf<'error'> {
    const { channel, channelPage, panId, lqi, side } = this.numbers;
    const missing = [
      channel === undefined ? 'Channel' : '',
      channelPage === undefined ? 'Channel Page' : '',
      panId === undefined ? 'Pan ID' : '',
      this.addr === undefined ? 'Addr' : '',
      lqi === undefined ? 'LQI' : '',
    ].filter((k) => k !== '');
    const raw = this.lines.join('\n');
    if (this.problem !== undefined) return malformed(this.problem, raw) as SkEventOf<'error'>;
    if (missing.length > 0) {
      return malformed(`EPANDESC block without ${missing.join(', ')}`, raw) as SkEventOf<'error'>;
    }
    return {
      type: 'epandesc',
      channel: channel!,
      channelPage: channelPage!,
      panId: panId!,
      addr: this.addr!,
      lqi: lqi!,
      ...(side === undefined ? {} : { side }),
      ...(this.pairId === undefined ? {} : { pairId: this.pairId }),
    };
  }
}
