import { EOJ, ESV, type Frame, type Property } from '../frame/types.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

/** One frame's worth of work: a Get of `epcs`, or a SetC of `set`. */
export interface Job {
  readonly deoj: number;
  readonly epcs: readonly number[];
  readonly set?: readonly Property[];
  /** Sends in the current session. */
  attempts: number;
}

export interface FrameSenderOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Hands a frame to the dongle; rejects when the send failed (EVENT 21 PARAM 01, FAIL ER10). */
  readonly send: (frame: Frame) => Promise<void>;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly minIntervalMs: number;
  readonly firstTid: number;
  /** The next job to send, or null when nothing waits. */
  readonly next: () => Job | null;
  /** False when nobody waits for the job any more (requests aborted). */
  readonly wanted: (job: Job) => boolean;
  /** An answer to `job` arrived. */
  readonly answered: (job: Job, frame: Frame) => void;
  /** 1 + retries sends in a row went unanswered or failed. */
  readonly silent: () => void;
}

/** Late answers to earlier sends of a job are taken; this many TIDs are remembered. */
const MAX_TIDS = 32;
const ANSWERS: readonly number[] = [ESV.Get_Res, ESV.Get_SNA, ESV.Set_Res, ESV.SetC_SNA];

/**
 * One frame in flight: sends jobs no closer than `minIntervalMs` apart, matches answers by TID
 * (also answers to an earlier send of the same job), sends again after `timeoutMs` or a failed
 * send, and calls `silent` once `retries` resends went unanswered. While held (session not
 * ready) nothing goes out and the job in flight is kept to be sent again.
 */
export class FrameSender {
  readonly #o: FrameSenderOptions;
  #retry: Job | null = null;
  #inflight: { job: Job; tid: number; timer: unknown } | null = null;
  #sending = false;
  #tids = new Map<number, Job>();
  #nextTid: number;
  #open = false;
  #closed = false;
  #lastSendAt = Number.NEGATIVE_INFINITY;
  #failuresInRow = 0;
  #timer: unknown = null;
  #scheduled = false;

  constructor(options: FrameSenderOptions) {
    this.#o = options;
    this.#nextTid = options.firstTid & 0xffff;
  }

  /** True when `epc` of `deoj` is already on its way (in flight or to be sent again). */
  carries(deoj: number, epc: number): boolean {
    return [this.#retry, this.#inflight?.job].some(
      (j) => j && !j.set && j.deoj === deoj && j.epcs.includes(epc),
    );
  }

  setOpen(open: boolean): void {
    if (this.#open === open || this.#closed) return;
    this.#open = open;
    if (open) {
      this.#failuresInRow = 0;
      this.kick();
      return;
    }
    // The answer to a frame in flight is lost with the session: send it again later.
    const flying = this.#inflight;
    if (flying) {
      this.#o.clock.clearTimeout(flying.timer);
      this.#inflight = null;
      this.#retry = flying.job;
    }
  }

  /** Looks for work on the next macrotask: everything asked in this turn goes into one frame. */
  kick(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  /** True when `frame` answers a job (Get_Res, Get_SNA, Set_Res, SetC_SNA with a known TID). */
  handleFrame(frame: Frame): boolean {
    const job = this.#tids.get(frame.tid);
    if (!job || frame.seoj !== job.deoj || !ANSWERS.includes(frame.esv)) return false;
    this.#forget(job);
    if (this.#inflight?.job === job) {
      this.#o.clock.clearTimeout(this.#inflight.timer);
      this.#inflight = null;
    }
    this.#failuresInRow = 0;
    this.#o.answered(job, frame);
    this.kick();
    return true;
  }

  close(): void {
    this.#closed = true;
    this.#open = false;
    if (this.#inflight) this.#o.clock.clearTimeout(this.#inflight.timer);
    this.#o.clock.clearTimeout(this.#timer);
    this.#inflight = null;
    this.#retry = null;
    this.#tids.clear();
  }

  #pump(): void {
    if (!this.#open || this.#closed || this.#inflight || this.#sending) return;
    const wait = this.#lastSendAt + this.#o.minIntervalMs - this.#o.clock.now();
    if (wait > 0) {
      this.#o.clock.clearTimeout(this.#timer);
      this.#timer = this.#o.clock.setTimeout(() => this.#pump(), wait);
      return;
    }
    if (this.#retry && !this.#o.wanted(this.#retry)) this.#forget(this.#retry);
    const job = this.#retry ?? this.#o.next();
    this.#retry = null;
    if (job) void this.#send(job);
  }

  #forget(job: Job): void {
    if (this.#retry === job) this.#retry = null;
    for (const [tid, j] of this.#tids) if (j === job) this.#tids.delete(tid);
  }

  async #send(job: Job): Promise<void> {
    const tid = this.#nextTid;
    this.#nextTid = (tid + 1) & 0xffff;
    this.#tids.set(tid, job);
    if (this.#tids.size > MAX_TIDS) this.#tids.delete(this.#tids.keys().next().value!);
    job.attempts++;
    this.#lastSendAt = this.#o.clock.now();
    this.#sending = true;
    const properties = job.set ?? job.epcs.map((epc) => ({ epc, edt: new Uint8Array(0) }));
    const esv = job.set ? ESV.SetC : ESV.Get;
    this.#o.logger.debug({ tid, epcs: job.epcs.map(hex), attempt: job.attempts }, job.set ? 'SetC' : 'Get');
    let error: unknown;
    try {
      await this.#o.send({ tid, seoj: EOJ.controller, deoj: job.deoj, esv, properties });
    } catch (err) {
      error = err ?? new Error('send failed');
    }
    this.#sending = false;
    // Answered already (a reply can beat EVENT 21), or closed meanwhile.
    if (this.#closed || !this.#tids.has(tid)) return this.kick();
    if (!this.#open) {
      // The session went away under the send (port lost, re-authentication): not the meter's fault.
      if (error !== undefined) job.attempts--;
      this.#retry = job;
      return;
    }
    if (error !== undefined) {
      this.#o.logger.warn({ tid, err: error }, 'send failed; sending again');
      return this.#failed(job);
    }
    const timer = this.#o.clock.setTimeout(() => {
      if (this.#inflight?.tid !== tid) return;
      this.#inflight = null;
      this.#o.logger.info({ tid, epcs: job.epcs.map(hex), attempt: job.attempts }, 'no answer');
      this.#failed(job);
    }, this.#o.timeoutMs);
    this.#inflight = { job, tid, timer };
  }

  /** A send failed or went unanswered: send again, or declare the session silent. */
  #failed(job: Job): void {
    this.#failuresInRow++;
    this.#retry = job;
    if (job.attempts > this.#o.retries || this.#failuresInRow > this.#o.retries) {
      job.attempts = 0;
      this.#failuresInRow = 0;
      this.#o.logger.warn({ epcs: job.epcs.map(hex) }, 'the meter does not answer: session presumed lost');
      this.#o.silent();
    }
    this.kick();
  }
}

export function hex(epc: number): string {
  return epc.toString(16).toUpperCase().padStart(2, '0');
}
