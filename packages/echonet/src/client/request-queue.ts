import { EchonetError } from '../errors.js';
import { EOJ, ESV, type Frame, type Property } from '../frame/types.js';
import type { Clock } from './clock.js';
import { FrameSender, hex, type Job } from './frame-sender.js';
import { type FrameLimits, packGetFrame, readGetAnswer } from './get-frames.js';
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
  /** A request still unanswered after this long rejects with `request.timeout`. Default: never. */
  readonly deadlineMs?: number;
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

/**
 * The ECHONET Lite request queue: one frame in flight, answers matched by TID, every
 * property asked meanwhile sent together in the next frame. A Get_SNA with values is taken as
 * an answer (PDC 0 = the meter lacks the property); a Get_SNA without any value is asked again
 * in halves, down to single properties, because some meters refuse a whole frame for one
 * unknown EPC. While the queue is closed (re-authentication, send-time restriction,
 * recovery), requests wait.
 */
export class RequestQueue {
  readonly #sender: FrameSender;
  readonly #log: Logger;
  readonly #limits: FrameLimits;
  readonly #clock: Clock;
  readonly #deadlineMs: number | undefined;
  #requests: Request[] = [];
  /** Jobs to send on their own: halves of a refused frame, properties an answer left out. */
  #splits: Job[] = [];
  /** The SetC job of each Set request sent. */
  #setJobs = new Map<Job, SetRequest>();
  #unsupported = new Map<number, Set<number>>();
  #closed = false;

  constructor(options: RequestQueueOptions) {
    this.#log = options.logger ?? silentLogger;
    this.#clock = options.clock;
    this.#deadlineMs = options.deadlineMs;
    this.#limits = {
      maxProperties: options.maxPropertiesPerFrame ?? 12,
      maxResponseBytes: options.maxResponseBytes ?? 600,
    };
    this.#sender = new FrameSender({
      clock: options.clock,
      logger: this.#log,
      send: options.send,
      timeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 3,
      minIntervalMs: options.minIntervalMs ?? 1_000,
      firstTid: options.firstTid ?? 1,
      next: () => this.#nextJob(),
      wanted: (job) => this.#wanted(job),
      answered: (job, frame) => this.#answered(job, frame),
      silent: options.onSilence ?? (() => {}),
    });
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
    this.#sender.setOpen(open);
  }

  /**
   * Takes an incoming frame. True when it answers a request of this queue (Get_Res, Get_SNA,
   * Set_Res, SetC_SNA with a TID sent for it).
   */
  handleFrame(frame: Frame): boolean {
    return this.#sender.handleFrame(frame);
  }

  /** Rejects everything with `reason` and stops. */
  close(reason: Error = new EchonetError('client.closed', 'client closed')): void {
    this.#closed = true;
    this.#sender.close();
    this.#splits = [];
    this.#setJobs.clear();
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
      const fail = (err: EchonetError) => {
        this.#drop(request);
        reject(err);
      };
      const onAbort = () =>
        fail(new EchonetError('request.aborted', 'request aborted', { cause: signal?.reason }));
      const deadline = this.#deadlineMs;
      const timer =
        deadline === undefined
          ? null
          : this.#clock.setTimeout(
              () =>
                fail(
                  new EchonetError('request.timeout', `no answer within ${deadline} ms`, {
                    context: { deadline },
                  }),
                ),
              deadline,
            );
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        if (timer !== null) this.#clock.clearTimeout(timer);
      };
      const request = make(resolve as (v: T) => void, reject, done);
      if (signal?.aborted) return onAbort();
      if (request.kind === 'get' && request.remaining.size === 0) {
        done();
        return request.resolve(request.values);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#requests.push(request);
      this.#sender.kick();
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

  #answered(job: Job, frame: Frame): void {
    const set = this.#setJobs.get(job);
    this.#setJobs.delete(job);
    if (set) this.#answerSet(set, frame);
    else if (!job.set) this.#answerGet(job, frame);
  }

  #answerGet(job: Job, frame: Frame): void {
    const answer = readGetAnswer(job.epcs, frame);
    if (answer.kind === 'split') {
      this.#log.info({ epcs: job.epcs.map(hex) }, 'answer without values: asking again in halves');
      for (const epcs of answer.halves) this.#splits.push({ deoj: job.deoj, epcs, attempts: 0 });
      return;
    }
    for (const [epc, edt] of answer.values) this.#deliver(job.deoj, epc, edt);
    for (const epc of answer.unsupported) {
      this.#unsupported.set(job.deoj, (this.#unsupported.get(job.deoj) ?? new Set<number>()).add(epc));
      this.#log.info({ epc: hex(epc) }, 'property not supported by the meter');
      this.#deliver(job.deoj, epc, null);
    }
    if (answer.missing.length > 0)
      this.#splits.push({ deoj: job.deoj, epcs: [...answer.missing], attempts: 0 });
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

  #nextJob(): Job | null {
    this.#splits = this.#splits.filter((j) => this.#wanted(j));
    const split = this.#splits.shift();
    if (split) return split;
    const head = this.#requests.find((r) => r.kind === 'get' || !r.sent);
    if (!head) return null;
    if (head.kind === 'set') {
      head.sent = true;
      const job: Job = { deoj: head.deoj, epcs: head.props.map((p) => p.epc), set: head.props, attempts: 0 };
      this.#setJobs.set(job, head);
      return job;
    }
    const candidates: number[] = [];
    for (const r of this.#requests.slice(this.#requests.indexOf(head))) {
      if (r.kind === 'set') break;
      if (r.deoj !== head.deoj) continue;
      for (const epc of r.remaining) if (!this.#isQueued(r.deoj, epc)) candidates.push(epc);
    }
    const epcs = packGetFrame(candidates, this.#limits);
    return epcs.length === 0 ? null : { deoj: head.deoj, epcs, attempts: 0 };
  }

  /** Somebody still waits for the job (its requests were not all aborted). */
  #wanted(job: Job): boolean {
    const set = this.#setJobs.get(job);
    if (set) return this.#requests.includes(set);
    return job.epcs.some((e) =>
      this.#requests.some((r) => r.kind === 'get' && r.deoj === job.deoj && r.remaining.has(e)),
    );
  }

  #isQueued(deoj: number, epc: number): boolean {
    return (
      this.#sender.carries(deoj, epc) || this.#splits.some((j) => j.deoj === deoj && j.epcs.includes(epc))
    );
  }
}
