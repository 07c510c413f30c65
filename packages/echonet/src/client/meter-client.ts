import { EchonetError } from '../errors.js';
import { decodeFrame, encodeFrame } from '../frame/codec.js';
import { toHex } from '../frame/hex.js';
import { ESV, type Frame, type Property } from '../frame/types.js';
import type { SkEvent } from '../sk/events.js';
import { createTransport } from '../transport/open-transport.js';
import type { Transport } from '../transport/transport.js';
import {
  type ClientListener,
  type MeterClientEvents,
  type MeterClientStats,
  TypedEvents,
} from './client-events.js';
import { HistoryReader } from './history-reader.js';
import { type Logger, maskSecrets } from './logger.js';
import { type MeterClientOptions, type ResolvedOptions, resolveOptions } from './meter-client-options.js';
import {
  infcResponse,
  isNotification,
  type MeterNotification,
  toNotification,
} from './meter-notification.js';
import { NotificationHub } from './notification-stream.js';
import type { PanCache } from './pan-cache.js';
import { type RawValues, type RequestOptions, RequestQueue } from './request-queue.js';
import {
  canSend,
  INITIAL_SESSION,
  type SessionInput,
  type SessionSnapshot,
  type SessionState,
  sessionTransition,
} from './session-machine.js';
import {
  type DongleInfo,
  endSession,
  establishSession,
  joinPan,
  type OpenerHooks,
  prepareDongle,
} from './session-opener.js';
import { type RecoveryHost, runRecovery } from './session-recovery.js';
import { SkLink } from './sk-link.js';

/**
 * A B-route smart meter reached through an SK Wi-SUN dongle, kept connected for months:
 * opens (cached PAN first, scan when needed), reads with one frame per batch, holds requests
 * through re-authentication and send-time restriction, and recovers from a lost session, a
 * dongle reset or an unplugged port with capped exponential backoff.
 */
export class MeterClient extends HistoryReader implements AsyncDisposable {
  readonly #o: ResolvedOptions;
  readonly #log: Logger;
  readonly #transport: Transport;
  readonly #link: SkLink;
  readonly #hub: NotificationHub<MeterNotification>;
  readonly #events: TypedEvents<MeterClientEvents>;
  readonly stats: MeterClientStats = { framesSent: 0, framesReceived: 0, recoveries: 0, foreignFrames: 0 };
  /** Senders already logged by the foreign-frame check (once each). */
  readonly #foreignSenders = new Set<string>();
  #queue: RequestQueue;
  #session: SessionSnapshot = INITIAL_SESSION;
  #abort = new AbortController();
  #pan: PanCache | undefined;
  #dongle: DongleInfo | undefined;
  #reauthTimer: unknown = null;
  #recovery: Promise<void> | null = null;
  #opening: Promise<void> | null = null;
  #offEvents: (() => void) | null = null;

  /** @throws EchonetError `config.invalid`. */
  constructor(options: MeterClientOptions) {
    super();
    this.#o = resolveOptions(options);
    const secrets = [this.#o.rbid, this.#o.password, this.#o.rbid.slice(-8)];
    this.#log = maskSecrets(this.#o.logger, secrets, 'echonet:client');
    this.#transport = createTransport(this.#o.device, { baudRate: this.#o.baudRate });
    this.#link = new SkLink({
      transport: this.#transport,
      clock: this.#o.clock,
      logger: maskSecrets(this.#o.logger, secrets, 'echonet:sk'),
      commandTimeoutMs: this.#o.commandTimeoutMs,
      ...(this.#o.family ? { family: this.#o.family } : {}),
    });
    this.#hub = new NotificationHub(this.#o.notificationBuffer);
    this.#events = new TypedEvents((err, event) => this.#log.error({ err, event }, 'event listener threw'));
    this.#queue = this.#newQueue();
    this.#queue.close();
    this.#transport.on('close', (error) => {
      if (error && this.#session.state !== 'closed') this.#dispatch({ type: 'transport-lost' });
    });
  }

  get state(): SessionState {
    return this.#session.state;
  }
  /** State, send-time restriction and whether a session was established since `open()`. */
  get session(): SessionSnapshot {
    return this.#session;
  }
  /** Version, family and payload format of the dongle, once opened. */
  get dongle(): DongleInfo | undefined {
    return this.#dongle;
  }
  /** The PAN of the current (or last) session. */
  get pan(): PanCache | undefined {
    return this.#pan;
  }

  on<E extends keyof MeterClientEvents>(event: E, listener: ClientListener<MeterClientEvents, E>): this {
    this.#events.on(event, listener);
    return this;
  }
  off<E extends keyof MeterClientEvents>(event: E, listener: ClientListener<MeterClientEvents, E>): this {
    this.#events.off(event, listener);
    return this;
  }

  /** The meter's notifications (INF/INFC) from now until `close()`, as an async iterable. */
  notifications(): AsyncIterableIterator<MeterNotification> {
    return this.#hub.subscribe();
  }

  /**
   * Opens the port and establishes the session. Requests made meanwhile wait for it.
   * @throws EchonetError `scan.failed`, `join.credentials`, `join.no-answer`, `transport.open`,
   *   `sk.fail` (context `code` ERxx), `sk.timeout`, `client.closed` (closed meanwhile).
   */
  open(): Promise<void> {
    if (this.#opening) return this.#opening;
    if (this.#session.state !== 'closed') return Promise.resolve();
    this.#abort = new AbortController();
    this.#queue = this.#newQueue();
    this.#hub.restart();
    this.#dispatch({ type: 'open' });
    this.#opening = this.#initialise().then(
      () => {
        this.#opening = null;
      },
      async (err: unknown) => {
        this.#opening = null;
        this.#dispatch({ type: 'failed' });
        await this.#shutdown(err instanceof EchonetError ? err : undefined);
        throw err;
      },
    );
    return this.#opening;
  }

  /** Ends the PANA session (SKTERM), closes the port, rejects waiting requests with `client.closed`. */
  async close(): Promise<void> {
    if (this.#session.state === 'closed' && !this.#transport.isOpen && !this.#recovery) return;
    const wasReady = this.#session.state === 'ready';
    this.#abort.abort(new EchonetError('client.closed', 'client closed'));
    this.#queue.close();
    // Closed first, so that the EVENT 27 answering SKTERM is not taken for a lost session.
    this.#dispatch({ type: 'close' });
    if (wasReady && this.#transport.isOpen) await endSession(this.#link);
    await this.#shutdown();
    await this.#opening?.catch(() => undefined);
    await this.#recovery;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  protected override get meterEoj(): number {
    return this.#o.meterEoj;
  }
  protected override now(): number {
    return this.#o.clock.now();
  }
  protected override getRaw(epcs: readonly number[], options?: RequestOptions): Promise<RawValues> {
    return this.#queue.get(epcs, this.#o.meterEoj, options);
  }
  protected override setRaw(props: readonly Property[], options?: RequestOptions): Promise<void> {
    return this.#queue.set(props, this.#o.meterEoj, options);
  }

  #newQueue(): RequestQueue {
    return new RequestQueue({
      clock: this.#o.clock,
      logger: this.#log,
      send: (frame) => this.#sendFrame(frame),
      timeoutMs: this.#o.requestTimeoutMs,
      retries: this.#o.retries,
      minIntervalMs: this.#o.minRequestIntervalMs,
      maxPropertiesPerFrame: this.#o.maxPropertiesPerFrame,
      onSilence: () => this.#dispatch({ type: 'silence' }),
      ...(this.#o.requestDeadlineMs === undefined ? {} : { deadlineMs: this.#o.requestDeadlineMs }),
    });
  }

  #hooks(): OpenerHooks {
    return {
      link: this.#link,
      log: this.#log,
      signal: this.#abort.signal,
      now: () => this.#o.clock.now(),
      step: (input) => this.#dispatch({ type: input }),
      progress: (p) => this.#events.emit('scan', p),
    };
  }

  /** Port open, dongle prepared, session established. */
  async #initialise(): Promise<void> {
    await this.#transport.open();
    if (this.#abort.signal.aborted) {
      // Closed while the port was opening: do not leave it open behind close().
      await this.#transport.close();
      throw this.#abort.signal.reason;
    }
    this.#link.attach();
    this.#offEvents ??= this.#link.onEvent((ev) => this.#onSkEvent(ev));
    this.#dongle = await prepareDongle(this.#hooks(), this.#o);
    this.#joined(await establishSession(this.#hooks(), this.#o));
  }

  #joined(pan: PanCache): void {
    this.#abort.signal.throwIfAborted();
    if (this.#pan && this.#pan.mac !== pan.mac) this.forgetScale();
    this.#pan = pan;
    this.#dispatch({ type: 'joined' });
    this.#log.info({ channel: pan.channel, panId: pan.panId }, 'session established');
    this.#events.emit('joined', pan);
  }

  async #shutdown(reason?: EchonetError): Promise<void> {
    this.#queue.close(new EchonetError('client.closed', 'client closed', reason ? { cause: reason } : {}));
    this.#o.clock.clearTimeout(this.#reauthTimer);
    this.#offEvents?.();
    this.#offEvents = null;
    this.#link.detach(new EchonetError('client.closed', 'client closed'));
    await this.#transport.close();
    this.#hub.end();
  }

  async #sendFrame(frame: Frame): Promise<void> {
    const pan = this.#pan;
    if (!pan) throw new EchonetError('transport.need-reopen', 'no session');
    const param = await this.#link.sendTo(pan.ipv6, encodeFrame(frame));
    this.stats.framesSent++;
    if (param === 0x01) {
      throw new EchonetError('sk.fail', 'SKSENDTO: EVENT 21 reports a failed send', {
        context: { code: 'EVENT21-01' },
      });
    }
  }

  #onSkEvent(ev: SkEvent): void {
    if (ev.type === 'event') {
      // Dual-stack dongles report HAN-side (side 1) sessions too; only the B-route side counts.
      if (ev.side !== undefined && ev.side !== 0) return;
      if (ev.num >= 0x24 && ev.num <= 0x33) this.#dispatch({ type: 'event', num: ev.num });
      return;
    }
    if (ev.type !== 'erxudp' || ev.lport !== 0x0e1a) return;
    // Only the joined meter speaks for the meter: a frame from any other address (another
    // device on the PAN, a spoofed reply) would be taken as its answer or its notification.
    const pan = this.#pan;
    if (pan && !sameIpv6(ev.sender, pan.ipv6)) {
      this.stats.foreignFrames++;
      if (!this.#foreignSenders.has(ev.sender)) {
        this.#foreignSenders.add(ev.sender);
        this.#log.warn(
          { sender: ev.sender, meter: pan.ipv6 },
          'frame from a sender that is not the joined meter dropped',
        );
      }
      return;
    }
    let frame: Frame;
    try {
      frame = decodeFrame(ev.data);
    } catch (err) {
      this.#log.warn({ err, data: toHex(ev.data) }, 'unreadable ECHONET Lite frame ignored');
      return;
    }
    this.stats.framesReceived++;
    if (this.#queue.handleFrame(frame)) return;
    if (isNotification(frame)) this.#notified(frame, ev.sender);
  }

  #notified(frame: Frame, sender: string): void {
    this.#hub.publish(toNotification(frame, new Date(this.now())));
    if (frame.esv !== ESV.INFC) return;
    this.#link.sendTo(sender, encodeFrame(infcResponse(frame))).then(
      () => {
        this.stats.framesSent++;
      },
      (err: unknown) => this.#log.warn({ err }, 'INFC_Res not sent'),
    );
  }

  #dispatch(input: SessionInput): void {
    const prev = this.#session;
    const next = sessionTransition(prev, input);
    if (next === prev) return;
    this.#session = next;
    this.#queue.setOpen(canSend(next));
    if (next.state === 'reauthenticating' && prev.state !== 'reauthenticating') {
      this.#reauthTimer = this.#o.clock.setTimeout(
        () => this.#dispatch({ type: 'reauth-timeout' }),
        this.#o.reauthTimeoutMs,
      );
    } else if (next.state !== 'reauthenticating') {
      this.#o.clock.clearTimeout(this.#reauthTimer);
    }
    if (next.state !== prev.state) {
      this.#log.info({ state: next.state, previous: prev.state, input: input.type }, 'session state');
      this.#events.emit('state', next.state, prev.state);
    }
    if (next.state === 'recovering' && !this.#recovery) {
      this.stats.recoveries++;
      this.#recovery = runRecovery(this.#recoveryHost(), input).finally(() => {
        this.#recovery = null;
      });
    }
  }

  #recoveryHost(): RecoveryHost {
    return {
      signal: this.#abort.signal,
      clock: this.#o.clock,
      log: this.#log,
      backoff: this.#o.backoff,
      canRejoin: () => this.#pan !== undefined && this.#transport.isOpen,
      rejoin: async () => {
        const pan = this.#pan!;
        if ((await joinPan(this.#hooks(), this.#o, pan)) !== 'joined') return false;
        this.#joined(pan);
        return true;
      },
      reinitialise: async () => {
        this.#link.detach(new EchonetError('transport.need-reopen', 'reinitialising'));
        await this.#transport.close();
        await this.#initialise();
      },
      step: (input) => this.#dispatch({ type: input }),
      report: (info) => this.#events.emit('recovery', info),
    };
  }
}

/** Whether two IPv6 addresses in SK spelling (8 groups, leading zeros optional, any case) are one. */
function sameIpv6(a: string, b: string): boolean {
  const norm = (ip: string) =>
    ip
      .split(':')
      .map((g) => g.toLowerCase().padStart(4, '0'))
      .join(':');
  return norm(a) === norm(b);
}
