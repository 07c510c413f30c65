import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { formatJst } from '@b-route/core';

/**
 * Ground truth of the simulated meter, one JSON object per line, so that what a client stored
 * can be checked against what the meter really served:
 *
 *   {"type":"power","time":"2026-05-20T05:26:10.000Z","jst":"2026-05-20T14:26:10+09:00","w":577,"r":3.6,"t":2.5}
 *   {"type":"half-hour","slot":"2026-05-20T05:00:00.000Z","jst":"2026-05-20T14:00:00+09:00",
 *    "normal":65128,"reverse":12,"normalKwh":6512.8,"reverseKwh":1.2}
 *
 * `time` of a power record is the instant it was served; `t` is the T-phase current (null on
 * two-wire service). Half-hour records carry the register counts (wrapped at 10^D7) and their kWh.
 */
export interface PowerTruth {
  readonly time: number;
  readonly powerW: number;
  readonly currentR: number;
  readonly currentT: number | null;
}

export interface HalfHourTruth {
  readonly slot: number;
  readonly normal: number;
  readonly reverse: number;
  readonly normalKwh: number;
  readonly reverseKwh: number;
}

/** Where truth lines go (each call gets one line without its newline). */
export type TruthWriter = (line: string) => void;

export class TruthRecorder {
  readonly #write: TruthWriter;

  constructor(write: TruthWriter) {
    this.#write = write;
  }

  power(p: PowerTruth): void {
    this.#write(
      JSON.stringify({
        type: 'power',
        time: new Date(p.time).toISOString(),
        jst: formatJst(p.time),
        w: p.powerW,
        r: p.currentR,
        t: p.currentT,
      }),
    );
  }

  halfHour(h: HalfHourTruth): void {
    this.#write(
      JSON.stringify({
        type: 'half-hour',
        slot: new Date(h.slot).toISOString(),
        jst: formatJst(h.slot),
        normal: h.normal,
        reverse: h.reverse,
        normalKwh: h.normalKwh,
        reverseKwh: h.reverseKwh,
      }),
    );
  }
}

/**
 * A writer that appends lines to `path` (for the CLI's `--truth FILE`). `close()` resolves once
 * everything written is flushed.
 */
export function appendFileTruthWriter(path: string): { write: TruthWriter; close(): Promise<void> } {
  const stream = createWriteStream(path, { flags: 'a' });
  return {
    write: (line) => {
      stream.write(`${line}\n`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      }),
  };
}

/** A power record as read back from a truth file (the file's own field names). */
export interface PowerTruthRecord {
  /** When the meter served it, epoch ms. */
  readonly time: number;
  readonly w: number;
  readonly r: number;
  readonly t: number | null;
}

export interface TruthFile {
  /** Every power record, by time. */
  readonly power: PowerTruthRecord[];
  /** One record per slot (the last written wins), by slot. */
  readonly halfHours: HalfHourTruth[];
}

/** Reads a truth file written by `TruthRecorder` (the CLI's `--truth FILE`), line by line. */
export async function readTruthFile(path: string): Promise<TruthFile> {
  const power: PowerTruthRecord[] = [];
  const halfHours = new Map<number, HalfHourTruth>();
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (line === '') continue;
    const rec = JSON.parse(line) as Record<string, unknown>;
    if (rec.type === 'power') {
      power.push({
        time: Date.parse(rec.time as string),
        w: rec.w as number,
        r: rec.r as number,
        t: rec.t as number | null,
      });
    } else if (rec.type === 'half-hour') {
      const slot = Date.parse(rec.slot as string);
      halfHours.set(slot, {
        slot,
        normal: rec.normal as number,
        reverse: rec.reverse as number,
        normalKwh: rec.normalKwh as number,
        reverseKwh: rec.reverseKwh as number,
      });
    }
  }
  power.sort((a, b) => a.time - b.time);
  return { power, halfHours: [...halfHours.values()].sort((a, b) => a.slot - b.slot) };
}
