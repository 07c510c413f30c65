import { EchonetError } from '../errors.js';
import { EOJ, ESV, type Frame, type Property } from '../frame/types.js';
import type { Clock } from './clock.js';
import { type Logger, silentLogger } from './logger.js';

export interface RequestQueueOptions {
  readonly clock: Clock;
  /**
   * Hands one frame to the dongle. Rejects when the send failed (EVENT 21 PARAM 01, FAIL ER10,
   * no answer to SKSENDTO): the frame is sent again.
   */
  readonly send: (frame: Frame) => Promise<void>;
  readonly logger?: Logger;
  /** Wait for an answer this long before sending again. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /**
   * Sends of an unanswered frame after the first. When they run out (or this many + 1 frames in
   * a row went unanswered or failed) `onSilence` is called: the session is presumed lost, and
   * the frame waits, to be sent again once the queue is opened. Default 3.
   */
  readonly retries?: number;
  /** Least time between the starts of two sends. Default 1 000 ms. */
  readonly minIntervalMs?: number;
  /** Most properties asked in one frame. Default 12. */
  readonly maxPropertiesPerFrame?: number;
  /** Largest expected answer (sum of the largest EDT of each property asked). Default 600. */
  readonly maxResponseBytes?: number;
  readonly onSilence?: () => void;
  /** First TID. Default 1. */
  readonly firstTid?: number;
}

/** Per-request options. */
export interface RequestOptions {
  /** Gives up waiting: the request rejects with `request.aborted` (the reason as cause). */
  readonly signal?: AbortSignal;
}

/** The value of each asked EPC; null when the meter does not have the property (SNA, PDC 0). */
export type RawValues = Map<number, Uint8Array | null>;

interface GetRequest {
  readonly kind: 'get';
  readonly deoj: number;
  readonly values: RawValues;
  readonly remaining: Set<number>;
  readonly resolve: (v: RawValues) => void;
  readonly reject: (e: unknown) => void;
  readonly done: () => void;
}

interface SetRequest {
  readonly kind: 'set';
  readonly deoj: number;
  readonly props: readonly Property[];
  sent: boolean;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
  readonly done: () => void;
}

type Request = GetRequest | SetRequest;

interface Job {
  readonly deoj: number;
  readonly epcs: readonly number[];
  readonly set?: SetRequest;
  attempts: number;
}

const MAX_TIDS = 32;

/** Largest EDT a 0x0288 property answers with, for the frame size budget. */
function answerSize(epc: number): number {
  if (epc === 0xe2 || epc === 0xe4) return 194;
  if (epc === 0xec) return 103;
  if (epc === 0xee) return 87;
  return 17;
}

/**
 * The ECHONET Lite request queue: one frame in flight, answers matched by TID, every
 * property asked meanwhile sent together in the next frame. A Get_SNA with values is taken as
 * an answer (PDC 0 = the meter lacks the property); a Get_SNA without any value is asked again
 * in halves, down to single properties, because some meters refuse a whole frame for one
 * unknown EPC. While the queue is closed (re-authentication, send-time restriction,
 * recovery), requests wait.
 */
export class RequestQueue {
  readonly #o: Required<Omit<RequestQueueOptions, 'onSilence' | 'logger' | 'firstTid'>>;
  readonly #log: Logger;
  readonly #onSilence: () => void;
  #requests: Request[] = [];
  #retry: Job | null = null;
  #splits: Job[] = [];
  #inflight: { job: Job; tid: number; timer: unknown } | null = null;
  #tids = new Map<number, Job>();
  #nextTid: number;
  #unsupported = new Map<number, Set<number>>();
  #open = false;
  #closed = false;
  #lastSendAt = Number.NEGATIVE_INFINITY;
  #failuresInRow = 0;
  #pumpTimer: unknown = null;
  #pumpScheduled = false;
  #sending = false;

  constructor(options: RequestQueueOptions) {
    this.#o = {
      clock: options.clock,
      send: options.send,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 3,
      minIntervalMs: options.minIntervalMs ?? 1_000,
      maxPropertiesPerFrame: options.maxPropertiesPerFrame ?? 12,
      maxResponseBytes: options.maxResponseBytes ?? 600,
    };
    this.#log = options.logger ?? silentLogger;
    this.#onSilence = options.onSilence ?? (() => {});
    this.#nextTid = (options.firstTid ?? 1) & 0xffff;
  }

  /** Requests not yet answered. */
  get pending(): number {
    return this.#requests.length;
  }

  /** EPCs a Get_SNA showed the object does not have. */
  unsupported(deoj: number = EOJ.smartMeter): ReadonlySet<number> {
    return this.#unsupported.get(deoj) ?? new Set();
  }

  /**
   * Asks the values of `epcs` (Get, ESV 0x62), merged with whatever else is asked meanwhile.
   * @throws EchonetError `client.closed`, `request.aborted`.
   */
  get(
    epcs: readonly number[],
    deoj: number = EOJ.smartMeter,
    options: RequestOptions = {},
  ): Promise<RawValues> {
    return this.#enqueue(options.signal, (resolve, reject, done) => {
      const values: RawValues = new Map();
      const known = this.unsupported(deoj);
      for (const epc of epcs) if (known.has(epc)) values.set(epc, null);
      const remaining = new Set(epcs.filter((e) => !known.has(e)));
      return { kind: 'get', deoj, values, remaining, resolve: () => resolve(values), reject, done };
    });
  }

  /**
   * Writes properties (SetC, ESV 0x61), alone in its frame and in call order with the gets.
   * @throws EchonetError `request.sna` (SetC_SNA: the meter refused), `client.closed`, `request.aborted`.
   */
  set(
    props: readonly Property[],
    deoj: number = EOJ.smartMeter,
    options: RequestOptions = {},
  ): Promise<void> {
    return this.#enqueue(options.signal, (resolve, reject, done) => ({
      kind: 'set',
      deoj,
      props,
      sent: false,
      resolve: () => resolve(undefined),
      reject,
      done,
    }));
  }

  /** Lets frames go (session ready) or holds them (re-authenticating, restricted, recovering). */
  setOpen(open: boolean): void {
    if (this.#open === open || this.#closed) return;
    this.#open = open;
    if (open) {
      this.#failuresInRow = 0;
      this.#schedule();
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

  /**
   * Takes an incoming frame. True when it answered a request of this queue (Get_Res, Get_SNA,
   * Set_Res, SetC_SNA with a known TID), also when the request was answered before (duplicate).
   */
  handleFrame(frame: Frame): boolean {
    const job = this.#tids.get(frame.tid);
    if (!job || frame.seoj !== job.deoj) return false;
    const answers = [ESV.Get_Res, ESV.Get_SNA, ESV.Set_Res, ESV.SetC_SNA] as number[];
    if (!answers.includes(frame.esv)) return false;
    this.#forget(job);
    if (this.#inflight?.job === job) {
      this.#o.clock.clearTimeout(this.#inflight.timer);
      this.#inflight = null;
    }
    this.#failuresInRow = 0;
    if (job.set) this.#answerSet(job.set, frame);
    else this.#answerGet(job, frame);
    this.#schedule();
    return true;
  }

  /** Rejects everything with `reason` and stops. */
  close(reason: Error = new EchonetError('client.closed', 'client closed')): void {
    this.#closed = true;
    this.#open = false;
    if (this.#inflight) this.#o.clock.clearTimeout(this.#inflight.timer);
    if (this.#pumpTimer !== null) this.#o.clock.clearTimeout(this.#pumpTimer);
    this.#inflight = null;
    this.#retry = null;
    this.#splits = [];
    this.#tids.clear();
    for (const r of this.#requests.splice(0)) {
      r.done();
      r.reject(reason);
    }
  }

  #enqueue<T>(
    signal: AbortSignal | undefined,
    make: (resolve: (v: T) => void, reject: (e: unknown) => void, done: () => void) => Request,
  ): Promise<T> {
    if (this.#closed) return Promise.reject(new EchonetError('client.closed', 'client closed'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.#drop(request);
        reject(new EchonetError('request.aborted', 'request aborted', { cause: signal?.reason }));
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      const request = make(resolve as (v: T) => void, reject, done);
      if (signal?.aborted) return onAbort();
      if (request.kind === 'get' && request.remaining.size === 0) return request.resolve(request.values);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#requests.push(request);
      this.#schedule();
    });
  }

  #drop(request: Request): void {
    const i = this.#requests.indexOf(request);
    if (i >= 0) this.#requests.splice(i, 1);
    request.done();
  }

  #answerSet(request: SetRequest, frame: Frame): void {
    this.#drop(request);
    if (frame.esv === ESV.Set_Res) {
      request.resolve();
      return;
    }
    const epcs = frame.properties.filter((p) => p.edt.length > 0).map((p) => p.epc);
    request.reject(
      new EchonetError('request.sna', 'the meter refused the Set (SetC_SNA)', { context: { epcs } }),
    );
  }

  #answerGet(job: Job, frame: Frame): void {
    const got = new Map(frame.properties.map((p) => [p.epc, p.edt] as const));
    const useless = job.epcs.every((e) => (got.get(e)?.length ?? 0) === 0);
    if (job.epcs.length > 1 && useless && (frame.esv === ESV.Get_SNA || job.epcs.every((e) => !got.has(e)))) {
      const half = Math.ceil(job.epcs.length / 2);
      this.#log.info({ epcs: job.epcs.map(hex) }, 'answer without values: asking again in halves');
      this.#splits.push({ deoj: job.deoj, epcs: job.epcs.slice(0, half), attempts: 0 });
      this.#splits.push({ deoj: job.deoj, epcs: job.epcs.slice(half), attempts: 0 });
      return;
    }
    const missing: number[] = [];
    for (const epc of job.epcs) {
      const edt = got.get(epc);
      if (edt === undefined && job.epcs.length > 1) {
        missing.push(epc);
      } else if (edt === undefined || edt.length === 0) {
        const set = this.#unsupported.get(job.deoj) ?? new Set<number>();
        this.#unsupported.set(job.deoj, set.add(epc));
        this.#log.info({ epc: hex(epc) }, 'property not supported by the meter');
        this.#deliver(job.deoj, epc, null);
      } else {
        this.#deliver(job.deoj, epc, edt);
      }
    }
    // Left out of the answer: asked again on their own.
    if (missing.length > 0) this.#splits.push({ deoj: job.deoj, epcs: missing, attempts: 0 });
  }

  #deliver(deoj: number, epc: number, value: Uint8Array | null): void {
    for (const r of [...this.#requests]) {
      if (r.kind !== 'get' || r.deoj !== deoj || !r.remaining.delete(epc)) continue;
      r.values.set(epc, value);
      if (r.remaining.size === 0) {
        this.#drop(r);
        r.resolve(r.values);
      }
    }
  }

  #schedule(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    // Next macrotask: everything asked in this turn goes into the same frame.
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (!this.#open || this.#closed || this.#inflight || this.#sending) return;
    const wait = this.#lastSendAt + this.#o.minIntervalMs - this.#o.clock.now();
    if (wait > 0) {
      if (this.#pumpTimer === null) {
        this.#pumpTimer = this.#o.clock.setTimeout(() => {
          this.#pumpTimer = null;
          this.#pump();
        }, wait);
      }
      return;
    }
    const job = this.#nextJob();
    if (job) void this.#send(job);
  }

  #nextJob(): Job | null {
    this.#purge();
    if (this.#retry) {
      const job = this.#retry;
      this.#retry = null;
      return job;
    }
    const split = this.#splits.shift();
    if (split) return split;
    const head = this.#requests.find((r) => r.kind === 'get' || !r.sent);
    if (!head) return null;
    if (head.kind === 'set') {
      head.sent = true;
      return { deoj: head.deoj, epcs: head.props.map((p) => p.epc), set: head, attempts: 0 };
    }
    const epcs: number[] = [];
    let bytes = 0;
    for (const r of this.#requests.slice(this.#requests.indexOf(head))) {
      if (r.kind === 'set') break;
      if (r.deoj !== head.deoj) continue;
      for (const epc of r.remaining) {
        if (epcs.includes(epc) || this.#isQueued(r.deoj, epc)) continue;
        if (
          epcs.length > 0 &&
          (epcs.length >= this.#o.maxPropertiesPerFrame || bytes + answerSize(epc) > this.#o.maxResponseBytes)
        )
          continue;
        epcs.push(epc);
        bytes += answerSize(epc);
      }
    }
    return epcs.length === 0 ? null : { deoj: head.deoj, epcs, attempts: 0 };
  }

  /** Drops jobs nobody waits for any more (their requests were aborted). */
  #purge(): void {
    const wanted = (job: Job) =>
      job.set
        ? this.#requests.includes(job.set)
        : job.epcs.some((e) =>
            this.#requests.some((r) => r.kind === 'get' && r.deoj === job.deoj && r.remaining.has(e)),
          );
    this.#splits = this.#splits.filter(wanted);
    if (this.#retry && !wanted(this.#retry)) this.#forget(this.#retry);
  }

  #forget(job: Job): void {
    if (this.#retry === job) this.#retry = null;
    for (const [tid, j] of this.#tids) if (j === job) this.#tids.delete(tid);
  }

  #isQueued(deoj: number, epc: number): boolean {
    const jobs = [this.#retry, this.#inflight?.job, ...this.#splits];
    return jobs.some((j) => j && !j.set && j.deoj === deoj && j.epcs.includes(epc));
  }

  async #send(job: Job): Promise<void> {
    const tid = this.#nextTid;
    this.#nextTid = (this.#nextTid + 1) & 0xffff;
    const frame: Frame = {
      tid,
      seoj: EOJ.controller,
      deoj: job.deoj,
      esv: job.set ? ESV.SetC : ESV.Get,
      properties: job.set ? job.set.props : job.epcs.map((epc) => ({ epc, edt: new Uint8Array(0) })),
    };
    this.#tids.set(tid, job);
    // Late answers to earlier sends are still taken; keep the last few TIDs only.
    if (this.#tids.size > MAX_TIDS) this.#tids.delete(this.#tids.keys().next().value!);
    job.attempts++;
    this.#lastSendAt = this.#o.clock.now();
    this.#sending = true;
    this.#log.debug({ tid, epcs: job.epcs.map(hex), attempt: job.attempts }, job.set ? 'SetC' : 'Get');
    try {
      await this.#o.send(frame);
    } catch (err) {
      this.#sending = false;
      if (this.#closed || !this.#tids.has(tid)) return this.#schedule();
      if (!this.#open) {
        // The session went away under the send (port lost, re-authentication): not the meter's fault.
        job.attempts--;
        this.#retry = job;
        return;
      }
      this.#log.warn({ tid, err }, 'send failed; sending again');
      return this.#failed(job);
    }
    this.#sending = false;
    // Answered already (a reply can beat EVENT 21), or the queue closed meanwhile.
    if (this.#closed || !this.#tids.has(tid)) return this.#schedule();
    if (!this.#open) {
      this.#retry = job;
      return;
    }
    const timer = this.#o.clock.setTimeout(() => {
      if (this.#inflight?.tid !== tid) return;
      this.#inflight = null;
      this.#log.info({ tid, epcs: job.epcs.map(hex), attempt: job.attempts }, 'no answer');
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
      this.#log.warn({ epcs: job.epcs.map(hex) }, 'the meter does not answer: session presumed lost');
      this.#onSilence();
    }
    this.#schedule();
  }
}

function hex(epc: number): string {
  return epc.toString(16).toUpperCase().padStart(2, '0');
}
