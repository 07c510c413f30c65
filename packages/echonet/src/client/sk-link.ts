import { EchonetError } from '../errors.js';
import { toHex } from '../frame/hex.js';
import { describeCommand, formatCommand, type SkCommand } from '../sk/commands.js';
import type { PayloadMode } from '../sk/erxudp.js';
import type { SkEvent } from '../sk/events.js';
import type { DongleFamily } from '../sk/family.js';
import { SkLineParser } from '../sk/parser.js';
import type { Transport } from '../transport/transport.js';
import type { Clock } from './clock.js';
import { type Logger, levelEnabled } from './logger.js';

export interface SkLinkOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  /** Already masks secrets (see `maskSecrets`). */
  readonly logger: Logger;
  /** Family used to format commands until told otherwise. Default `single-hop`. */
  readonly family?: DongleFamily;
  /** How long a command may take to answer OK/FAIL. Default 5 000 ms. */
  readonly commandTimeoutMs?: number;
}

export interface CommandOptions {
  /** Overrides the link's command timeout. */
  readonly timeoutMs?: number;
}

type Listener = (ev: SkEvent) => void;

const UDP_SENT = 0x21;
/** EVENT 21 PARAM 02: neighbour solicitation sent; the result of the send follows later. */
const NS_SENT = 0x02;

interface Waiter {
  readonly match: (ev: SkEvent) => boolean;
  readonly resolve: (ev: SkEvent) => void;
  readonly reject: (err: unknown) => void;
  readonly timer: unknown;
}

/**
 * The SK line protocol over one transport: one command at a time, its answer lines collected
 * up to `OK` / `FAIL ERxx` (SKLL64: up to the address line), and every event also handed to
 * listeners (EVENT, EPANDESC, ERXUDP arrive at any time). Wire traffic is logged at debug in
 * both directions, secrets masked.
 */
export class SkLink {
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  #family: DongleFamily;
  #parser = new SkLineParser();
  #listeners = new Set<Listener>();
  #waiters = new Set<Waiter>();
  #queue: Promise<unknown> = Promise.resolve();
  #attached = false;
  /** An echo was seen: the dongle echoes commands (SFE=1), so answers follow the echo. */
  #echoOn = false;
  readonly #onData = (chunk: Uint8Array) => this.#feed(chunk);
  readonly #onClose = (error?: Error) =>
    this.#failAll(error ?? new EchonetError('transport.closed', 'port closed'));

  constructor(options: SkLinkOptions) {
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#log = options.logger;
    this.#family = options.family ?? 'single-hop';
    this.#timeoutMs = options.commandTimeoutMs ?? 5_000;
  }

  get family(): DongleFamily {
    return this.#family;
  }

  setFamily(family: DongleFamily): void {
    this.#family = family;
  }

  /** How ERXUDP payloads are read (after ROPT told which format the dongle sends). */
  setPayload(mode: PayloadMode): void {
    this.#parser.setPayload(mode);
  }

  /** Starts reading the transport with a fresh parser (after each open). */
  attach(): void {
    if (this.#attached) return;
    this.#parser = new SkLineParser();
    this.#echoOn = false;
    this.#transport.on('data', this.#onData);
    this.#transport.on('close', this.#onClose);
    this.#attached = true;
  }

  /** Stops reading and fails every pending command and waiter with `reason`. */
  detach(reason: Error = new EchonetError('transport.closed', 'link detached')): void {
    if (this.#attached) {
      this.#transport.off('data', this.#onData);
      this.#transport.off('close', this.#onClose);
      this.#attached = false;
    }
    this.#failAll(reason);
  }

  /** Calls `listener` with every event; returns the function that removes it. */
  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves with the first event matching `match` within `timeoutMs`.
   * @throws EchonetError `sk.timeout`, or the transport's `transport.closed`.
   */
  waitFor(match: (ev: SkEvent) => boolean, timeoutMs: number, what = 'event'): Promise<SkEvent> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        timer: this.#clock.setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            new EchonetError('sk.timeout', `no ${what} within ${timeoutMs} ms`, {
              context: { what, timeoutMs },
            }),
          );
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /**
   * Sends one command (after any command still running) and resolves with the lines it got,
   * the terminating `ok` (or `ipv6` for SKLL64) last.
   * @throws EchonetError `sk.fail` (context `code`: `ER04`…`ER10`, `command`), `sk.timeout`,
   *   `transport.closed`, `config.invalid` (bad argument, never quoting a secret).
   */
  command(cmd: SkCommand, options: CommandOptions = {}): Promise<SkEvent[]> {
    const run = this.#queue.then(() => this.#run(cmd, options.timeoutMs ?? this.#timeoutMs));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * SKSENDTO of one UDP datagram (handle 1, security on) and its EVENT 21 result, as one step
   * of the command queue so that no other send's EVENT 21 is taken for this one. Resolves with
   * the EVENT 21 param: 0x00 sent, 0x01 failed; undefined when no EVENT 21 came in time.
   * PARAM 0x02 (neighbour solicitation sent first) is followed by the real result, which is
   * awaited.
   * @throws as {@link command}.
   */
  sendTo(ipv6: string, data: Uint8Array, port = 0x0e1a): Promise<number | undefined> {
    const run = this.#queue.then(async () => {
      const isResult = (ev: SkEvent) => ev.type === 'event' && ev.num === UDP_SENT && ev.param !== NS_SENT;
      const result = this.waitFor(isResult, this.#timeoutMs, 'EVENT 21');
      result.catch(() => undefined);
      await this.#run({ name: 'SKSENDTO', ipv6, port, data }, this.#timeoutMs);
      try {
        const ev = await result;
        return ev.type === 'event' ? ev.param : undefined;
      } catch (err) {
        if (err instanceof EchonetError && err.code === 'sk.timeout') return undefined;
        throw err;
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run(cmd: SkCommand, timeoutMs: number): Promise<SkEvent[]> {
    const bytes = formatCommand(this.#family, cmd);
    const collected: SkEvent[] = [];
    let echoed = !this.#echoOn;
    const done = this.waitFor(
      (ev) => {
        if (ev.type === 'echo' && ev.command === cmd.name) {
          // With echo on, lines before the echo of this command are late answers to an
          // earlier command that timed out.
          collected.length = 0;
          echoed = true;
          return false;
        }
        if (!echoed) return false;
        collected.push(ev);
        if (cmd.name === 'SKLL64') return ev.type === 'ipv6' || ev.type === 'fail';
        return ev.type === 'ok' || ev.type === 'fail';
      },
      timeoutMs,
      `answer to ${cmd.name}`,
    );
    // Handled from the start: the port may close while the write below is still pending.
    done.catch(() => undefined);
    if (levelEnabled(this.#log, 'debug')) {
      this.#log.debug({ dir: 'tx', text: describeCommand(this.#family, cmd) }, 'sk tx');
    }
    // A write can hang on a port that is going away (serialport on an unplugged device): the
    // answer waiter, failed by the port's close, ends the wait as well.
    const written = this.#transport.write(bytes).catch((err: unknown) => {
      this.#failAll(err instanceof Error ? err : new Error(String(err)));
      throw err;
    });
    written.catch(() => undefined);
    let last: SkEvent;
    try {
      await Promise.race([written, done]);
      last = await done;
    } catch (err) {
      // No echo came at all: the dongle no longer echoes (SFE=0 loaded from flash); stop waiting
      // for echoes so that the next commands are answered.
      if (!echoed && err instanceof EchonetError && err.code === 'sk.timeout') this.#echoOn = false;
      throw err;
    }
    if (last.type === 'fail') {
      throw new EchonetError('sk.fail', `${cmd.name}: FAIL ${last.code}`, {
        context: { code: last.code, command: cmd.name },
      });
    }
    return collected;
  }

  #feed(chunk: Uint8Array): void {
    const debug = levelEnabled(this.#log, 'debug');
    for (const ev of this.#parser.push(chunk)) {
      if (ev.type === 'echo') this.#echoOn = true;
      if (debug) this.#log.debug({ dir: 'rx', ev: printable(ev) }, 'sk rx');
      else if (ev.type === 'error') this.#log.warn({ ev }, 'unreadable dongle output');
      for (const w of [...this.#waiters]) {
        if (!w.match(ev)) continue;
        this.#waiters.delete(w);
        this.#clock.clearTimeout(w.timer);
        w.resolve(ev);
      }
      for (const l of [...this.#listeners]) l(ev);
    }
  }

  #failAll(reason: Error): void {
    for (const w of [...this.#waiters]) {
      this.#waiters.delete(w);
      this.#clock.clearTimeout(w.timer);
      w.reject(reason);
    }
  }
}

/** An event as a log field: ERXUDP data as hex. */
function printable(ev: SkEvent): Record<string, unknown> {
  return ev.type === 'erxudp' ? { ...ev, data: toHex(ev.data) } : { ...ev };
}
