/**
 * The on-disk spool: rows that could not reach PostgreSQL, kept in order until it is back.
 *
 * Format: append-only segment files `<dir>/spool-<seq>.jsonl`, one JSON entry per line, fsync'd
 * after every appended batch. A process never appends to a segment it did not create, so a line
 * torn by a crash or power cut can only be the last line of an old segment; it has no newline
 * and is skipped. `checkpoint.json` records how many lines of the oldest segment are already in
 * the database, so a restart replays from there (a crash between a commit and the checkpoint
 * replays one batch again, which the writer's ON CONFLICT makes harmless).
 *
 * Bound: at most `maxBytes` on disk. When an append would pass it, whole oldest segments are
 * deleted and their rows counted in `droppedRows` and logged as an error. Oldest first, because
 * the meter itself keeps the 30-minute history for ~45 days (EPC E2/E4) and the poller can
 * backfill those slots, while the newest readings exist nowhere else.
 *
 * One process owns a spool directory at a time (the poller); nothing here locks it.
 */

import type { FileHandle } from 'node:fs/promises';
import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type StoreLogger, silentLogger } from './logger.js';
import { makeDir } from './make-dir.js';
import { decodeEntry, encodeEntry, type StoreEntry } from './rows.js';
import { StoreError } from './store-error.js';

export interface SpoolOptions {
  /** Directory of the segment files; created when missing. */
  readonly dir: string;
  /** Upper bound of all segments together; default 64 MiB (months of readings). */
  readonly maxBytes?: number;
  /** Start a new segment beyond this size; default min(1 MiB, maxBytes / 8). */
  readonly segmentBytes?: number;
  readonly logger?: StoreLogger;
  /** Opens segment and checkpoint files; default `fs.promises.open`. Tests hand in a disk that fills. */
  readonly open?: OpenFile;
}

/** The part of `fs.promises.open` the spool uses. */
export type OpenFile = (path: string, flags: string, mode?: number) => Promise<FileHandle>;

export interface ReplayOutcome {
  /** Rows handed to the handler successfully. */
  readonly rows: number;
  /** What the handler threw, when it stopped the replay (the rest stays spooled). */
  readonly error?: unknown;
}

interface Segment {
  readonly name: string;
  bytes: number;
  /** Complete lines not yet replayed. */
  lines: number;
}

const SEGMENT = /^spool-(\d{12})\.jsonl$/;
const CHECKPOINT = 'checkpoint.json';

export class Spool {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  private readonly logger: StoreLogger;
  private readonly open: OpenFile;
  private readonly segments: Segment[];
  private nextSeq: number;
  private active: { segment: Segment; handle: FileHandle } | undefined;
  /** Lines of the oldest segment already replayed. */
  private done: number;
  private chain: Promise<unknown> = Promise.resolve();
  private dropped = 0;
  private torn = 0;
  /** Set by appendFinal: the process is exiting, and the files on disk are the truth from now on. */
  private sealed = false;
  private checkpointFailing = false;

  private constructor(
    options: Required<Omit<SpoolOptions, 'logger' | 'open'>> & { logger: StoreLogger; open: OpenFile },
    segments: Segment[],
    done: number,
  ) {
    this.dir = options.dir;
    this.open = options.open;
    this.maxBytes = options.maxBytes;
    this.segmentBytes = options.segmentBytes;
    this.logger = options.logger;
    this.segments = segments;
    this.done = done;
    const last = segments.at(-1);
    this.nextSeq = last ? Number(SEGMENT.exec(last.name)![1]) + 1 : 1;
  }

  /**
   * Opens (creating) the spool directory and takes stock of what a previous run left behind.
   * @throws StoreError 'store.spool' when the directory cannot be created or read.
   */
  static async open(options: SpoolOptions): Promise<Spool> {
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    const segmentBytes =
      options.segmentBytes ?? Math.max(4096, Math.min(1024 * 1024, Math.floor(maxBytes / 8)));
    const logger = options.logger ?? silentLogger;
    try {
      await makeDir(options.dir);
      const names = (await readdir(options.dir)).filter((n) => SEGMENT.test(n)).sort();
      const segments: Segment[] = [];
      for (const name of names) {
        const text = await readFile(join(options.dir, name), 'utf8');
        segments.push({ name, bytes: Buffer.byteLength(text), lines: completeLines(text).length });
      }
      let done = 0;
      const checkpoint = await readCheckpoint(options.dir);
      if (checkpoint && segments[0]?.name === checkpoint.segment) {
        done = Math.min(checkpoint.lines, segments[0].lines);
        segments[0].lines -= done;
      }
      const spool = new Spool(
        { dir: options.dir, maxBytes, segmentBytes, logger, open: options.open ?? open },
        segments,
        done,
      );
      if (spool.pendingRows > 0) {
        logger.info({ rows: spool.pendingRows, dir: options.dir }, 'spool holds rows from an earlier run');
      }
      return spool;
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError(
        'store.spool',
        `cannot open the spool in ${options.dir}: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  }

  /** Rows waiting for the database. */
  get pendingRows(): number {
    return this.segments.reduce((n, s) => n + s.lines, 0);
  }

  /** Bytes on disk, replayed lines of the oldest segment included. */
  get bytes(): number {
    return this.segments.reduce((n, s) => n + s.bytes, 0);
  }

  /** Rows deleted unreplayed because the spool was full, since open. */
  get droppedRows(): number {
    return this.dropped;
  }

  /** Torn or unreadable lines skipped during replay, since open. */
  get skippedLines(): number {
    return this.torn;
  }

  /**
   * Appends entries after everything already spooled and fsyncs them.
   * @throws StoreError 'store.spool' on an I/O failure (disk full, read-only).
   */
  append(entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.serial(async () => {
      if (this.sealed) throw new StoreError('store.spool', `the spool in ${this.dir} is sealed for exit`);
      const text = encodeLines(entries);
      const size = Buffer.byteLength(text);
      try {
        if (
          this.active &&
          this.active.segment.bytes > 0 &&
          this.active.segment.bytes + size > this.segmentBytes
        ) {
          await this.closeActive();
        }
        const active = this.active ?? (await this.createSegment());
        try {
          await writeAll(active.handle, text, active.segment.bytes);
          await active.handle.datasync();
        } catch (e) {
          await this.undoPartial(active);
          throw e;
        }
        active.segment.bytes += size;
        active.segment.lines += entries.length;
      } catch (e) {
        throw this.writeError(e);
      }
      await this.enforceBound();
    });
  }

  /**
   * Writes entries to a segment of their own at once, outside the queue the other operations
   * wait in: for the last moment before the process exits, when a replay may be stuck on a
   * database that does not answer. The segment sorts after every other, so a later run replays
   * these rows last. Append nothing after it.
   * @throws StoreError 'store.spool' on an I/O failure.
   */
  async appendFinal(entries: readonly StoreEntry[]): Promise<void> {
    // A replay still waiting on the database must not move the checkpoint or delete a segment
    // once we have given up on it: its late failure (the pool destroyed under it) or success
    // would otherwise eat rows, this final segment included, after they were reported kept.
    this.sealed = true;
    if (entries.length === 0) return;
    const name = this.nextSegmentName();
    const text = encodeLines(entries);
    try {
      const handle = await this.open(join(this.dir, name), 'wx', 0o600);
      try {
        await writeAll(handle, text, 0);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      await syncDir(this.dir);
    } catch (e) {
      throw this.writeError(e);
    }
    this.segments.push({ name, bytes: Buffer.byteLength(text), lines: entries.length });
  }

  /**
   * Hands the spooled entries, oldest first, to `handler` in batches of up to `batchSize`,
   * recording progress after each batch. Stops at the first batch the handler rejects (that
   * batch stays spooled) and reports the error instead of throwing it.
   * @throws StoreError 'store.spool' on an I/O failure of the spool itself.
   */
  replay(handler: (batch: StoreEntry[]) => Promise<void>, batchSize = 500): Promise<ReplayOutcome> {
    return this.serial(async () => {
      let rows = 0;
      while (this.segments.length > 0) {
        const segment = this.segments[0]!;
        const lines = completeLines(await this.readSegment(segment));
        while (this.done < lines.length) {
          const slice = lines.slice(this.done, this.done + batchSize);
          const batch: StoreEntry[] = [];
          for (const line of slice) {
            const entry = decodeEntry(line);
            if (entry) batch.push(entry);
            else this.torn += 1;
          }
          if (slice.length !== batch.length) {
            this.logger.warn(
              { segment: segment.name, skipped: slice.length - batch.length },
              'skipped unreadable spool lines',
            );
          }
          if (this.sealed) return { rows, error: this.sealedError() };
          try {
            if (batch.length > 0) await handler(batch);
          } catch (error) {
            return { rows, error };
          }
          // Stored, but the files belong to the next run now: it replays this batch again (harmless).
          if (this.sealed) return { rows, error: this.sealedError() };
          rows += batch.length;
          this.done += slice.length;
          segment.lines = lines.length - this.done;
          await this.tryCheckpoint(segment.name);
        }
        await this.removeOldest();
      }
      return { rows };
    });
  }

  /** Closes the file being appended to. The spool stays usable (the next append opens a new segment). */
  close(): Promise<void> {
    return this.serial(() => this.closeActive());
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private nextSegmentName(): string {
    const name = `spool-${String(this.nextSeq).padStart(12, '0')}.jsonl`;
    this.nextSeq += 1;
    return name;
  }

  private sealedError(): StoreError {
    return new StoreError('store.spool', `the spool in ${this.dir} was sealed for exit during a replay`);
  }

  private writeError(e: unknown): StoreError {
    return new StoreError('store.spool', `cannot write the spool in ${this.dir}: ${(e as Error).message}`, {
      cause: e,
    });
  }

  /**
   * A write that failed part-way (disk full: the kernel takes what fits, the next write gets
   * ENOSPC) leaves a piece of a line at the end of the segment; the next batch would be glued
   * to it and both lost. Cut the file back to its last complete line; if even that fails, leave
   * the segment (its torn tail is then its last line, skipped at replay) and start a new one.
   */
  private async undoPartial(active: { segment: Segment; handle: FileHandle }): Promise<void> {
    try {
      await active.handle.truncate(active.segment.bytes);
    } catch {
      await this.closeActive().catch(() => undefined);
    }
  }

  private async createSegment(): Promise<{ segment: Segment; handle: FileHandle }> {
    const name = this.nextSegmentName();
    const handle = await this.open(join(this.dir, name), 'wx', 0o600);
    await syncDir(this.dir);
    const segment: Segment = { name, bytes: 0, lines: 0 };
    this.segments.push(segment);
    this.active = { segment, handle };
    return this.active;
  }

  private async closeActive(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.handle.close();
  }

  private async readSegment(segment: Segment): Promise<string> {
    try {
      return await readFile(join(this.dir, segment.name), 'utf8');
    } catch (e) {
      throw new StoreError(
        'store.spool',
        `cannot read ${join(this.dir, segment.name)}: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  }

  /** Deletes the oldest segment (fully replayed or dropped) and resets the checkpoint. */
  private async removeOldest(): Promise<void> {
    const segment = this.segments.shift();
    if (!segment) return;
    if (this.active?.segment === segment) await this.closeActive();
    await rm(join(this.dir, segment.name), { force: true });
    this.done = 0;
    await rm(join(this.dir, CHECKPOINT), { force: true });
  }

  private async enforceBound(): Promise<void> {
    let dropped = 0;
    while (this.bytes > this.maxBytes && this.segments.length > 0) {
      if (this.segments.length === 1 && this.active?.segment === this.segments[0]) {
        // A single batch larger than the whole bound: keep it rather than drop what we just took.
        break;
      }
      dropped += this.segments[0]!.lines;
      await this.removeOldest();
    }
    if (dropped > 0) {
      this.dropped += dropped;
      this.logger.error(
        { dropped, totalDropped: this.dropped, maxBytes: this.maxBytes },
        'spool full: dropped the oldest spooled rows',
      );
    }
  }

  /**
   * A checkpoint the disk has no room for does not stop the replay, which is what frees the
   * disk: a crash before the next one replays a few batches again, which is harmless.
   */
  private async tryCheckpoint(segment: string): Promise<void> {
    try {
      await this.writeCheckpoint(segment);
      this.checkpointFailing = false;
    } catch (e) {
      await rm(join(this.dir, `${CHECKPOINT}.tmp`), { force: true }).catch(() => undefined);
      if (!this.checkpointFailing) {
        this.checkpointFailing = true;
        this.logger.warn({ err: e, dir: this.dir }, 'cannot write the spool checkpoint; replay goes on');
      }
    }
  }

  private async writeCheckpoint(segment: string): Promise<void> {
    const tmp = join(this.dir, `${CHECKPOINT}.tmp`);
    const handle = await this.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ segment, lines: this.done }));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(this.dir, CHECKPOINT));
  }
}

/** The newline-terminated lines of a segment; a last line without newline was torn. */
function completeLines(text: string): string[] {
  const end = text.lastIndexOf('\n');
  if (end < 0) return [];
  return text.slice(0, end).split('\n');
}

async function readCheckpoint(dir: string): Promise<{ segment: string; lines: number } | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, CHECKPOINT), 'utf8')) as {
      segment?: unknown;
      lines?: unknown;
    };
    if (typeof value.segment === 'string' && typeof value.lines === 'number' && value.lines >= 0) {
      return { segment: value.segment, lines: value.lines };
    }
  } catch {
    // Missing or torn: replay the oldest segment from its start (duplicates are harmless).
  }
  return undefined;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the file's own fsync still holds.
  } finally {
    await handle.close();
  }
}

/**
 * Writes all of `text` from `position`. `FileHandle.write` may take less than it was given without failing
 * (a file system that is nearly full); only the next call reports the error.
 */
async function writeAll(handle: FileHandle, text: string, position: number): Promise<void> {
  const bytes = Buffer.from(text);
  let at = 0;
  while (at < bytes.length) {
    // At an explicit position: after a truncation the handle's own offset would leave a hole.
    const { bytesWritten } = await handle.write(bytes, at, bytes.length - at, position + at);
    if (bytesWritten <= 0)
      throw Object.assign(new Error('no space left on device (write took 0 bytes)'), { code: 'ENOSPC' });
    at += bytesWritten;
  }
}

/** Entries as spool lines, each ending in a newline. */
function encodeLines(entries: readonly StoreEntry[]): string {
  return `${entries.map(encodeEntry).join('\n')}\n`;
}
