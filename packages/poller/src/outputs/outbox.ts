/**
 * One output's queue: bounded in memory and, given a directory, mirrored to a JSON-lines file
 * so a receiver away for a day (or a restart meanwhile) loses nothing. Every disk operation is
 * chained behind the previous one and never awaited by `push`, so a slow or full disk cannot
 * delay the caller (the poll loop); a failed write is logged once and the queue goes on in
 * memory. Delivery is at-least-once: after a crash the file may still hold records that had
 * been delivered, and they are sent again (receivers dedupe on `OutputRecord.id`).
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PollerLogger } from '../app/poller.js';
import type { OutputRecord } from './output-record.js';

export interface OutboxOptions {
  /** Names the file: `<dir>/<name>.outbox.jsonl`. */
  readonly name: string;
  /** Keep the queue on disk here; omitted, the queue lives in memory only. */
  readonly dir?: string;
  /** Most records held; beyond it the oldest are dropped and counted. Default 200 000. */
  readonly maxRecords?: number;
  readonly logger: PollerLogger;
}

export class Outbox {
  readonly file: string | undefined;
  /** Records dropped because the queue was full. */
  dropped = 0;
  readonly #items: OutputRecord[] = [];
  #head = 0;
  readonly #max: number;
  readonly #log: PollerLogger;
  #disk: Promise<void> = Promise.resolve();
  #diskFailed = false;
  #fullLogged = false;
  #ackedSinceRewrite = 0;
  /** Lines waiting for the next append: one write per burst, not one per record. */
  #appendBuf: string[] = [];
  #appendQueued = false;

  private constructor(options: OutboxOptions) {
    this.file = options.dir ? join(options.dir, `${options.name}.outbox.jsonl`) : undefined;
    this.#max = options.maxRecords ?? 200_000;
    this.#log = options.logger;
  }

  /** Opens the outbox, loading what a previous run left undelivered. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    const box = new Outbox(options);
    if (!box.file || !options.dir) return box;
    let text = '';
    try {
      await mkdir(options.dir, { recursive: true });
      text = await readFile(box.file, 'utf8');
    } catch (err) {
      // An unreadable outbox must not stop the poller: the output runs from memory, and the
      // first failed append says so.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        box.#log.error({ err, file: box.file }, 'outbox unreadable: starting with an empty queue');
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        box.#items.push(JSON.parse(line) as OutputRecord);
      } catch {
        // A line cut short by a crash mid-append: the rest of the file is still good.
      }
    }
    if (box.#items.length > 0)
      box.#log.info({ file: box.file, records: box.#items.length }, 'outbox reloaded');
    return box;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(record: OutputRecord): void {
    this.#items.push(record);
    if (this.size > this.#max) {
      this.#head++;
      this.dropped++;
      if (!this.#fullLogged) {
        this.#fullLogged = true;
        this.#log.error({ max: this.#max }, 'output queue full: dropping the oldest records');
      }
    }
    if (!this.file) return;
    this.#appendBuf.push(`${JSON.stringify(record)}\n`);
    if (this.#appendQueued) return;
    this.#appendQueued = true;
    this.#onDisk(async () => {
      this.#appendQueued = false;
      const text = this.#appendBuf.join('');
      this.#appendBuf = [];
      if (text) await appendFile(this.file!, text);
    });
  }

  /** The oldest `n` records, left in the queue until `ack`. */
  peek(n: number): OutputRecord[] {
    return this.#items.slice(this.#head, this.#head + n);
  }

  /** The oldest `n` records were delivered. */
  ack(n: number): void {
    this.#head += Math.min(n, this.size);
    this.#ackedSinceRewrite += n;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    if (!this.file) return;
    // Rewrite the file when it is empty (cheap) or mostly delivered; in between, a crash only
    // means some records are sent twice.
    if (this.size === 0 || this.#ackedSinceRewrite > Math.max(1000, this.size)) {
      this.#ackedSinceRewrite = 0;
      this.#onDisk(async () => {
        // The snapshot holds every record pushed so far, buffered lines included.
        this.#appendBuf = [];
        const rest = this.peek(this.size);
        const tmp = `${this.file}.tmp`;
        await writeFile(tmp, rest.map((r) => `${JSON.stringify(r)}\n`).join(''));
        await rename(tmp, this.file!);
      });
    }
  }

  /** Waits for the disk operations queued so far. */
  settled(): Promise<void> {
    return this.#disk;
  }

  #onDisk(op: () => Promise<void>): void {
    this.#disk = this.#disk.then(op).then(
      () => {
        if (this.#diskFailed) this.#log.info({ file: this.file }, 'outbox writes again');
        this.#diskFailed = false;
      },
      (err: unknown) => {
        if (!this.#diskFailed)
          this.#log.error({ err, file: this.file }, 'outbox cannot write: keeping the queue in memory');
        this.#diskFailed = true;
      },
    );
  }
}
