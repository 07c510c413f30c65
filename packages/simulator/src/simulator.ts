import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { DongleModel } from '@b-route/echonet';
import { DONGLE_MODELS } from '@b-route/echonet';
import { SimClock, type SimTimer } from './clock.js';
import { DongleFlash } from './dongle/flash.js';
import type { MeterEndpoint } from './dongle/meter-endpoint.js';
import { VirtualDongle } from './dongle/virtual-dongle.js';
import { Faults } from './faults/faults.js';
import { type FaultSettings, resolveWhen } from './faults/spec.js';
import { type MeterLogger, SmartMeter, type SmartMeterOptions } from './meter/smart-meter.js';
import { appendFileTruthWriter, TruthRecorder } from './meter/truth.js';
import { hash32 } from './random.js';
import { VirtualBme280 } from './sensors/bme280.js';
import { VirtualCpu } from './sensors/cpu.js';
import { type ClimateSource, indoorClimate } from './sensors/indoor-climate.js';
import { VirtualMhz19 } from './sensors/mhz19.js';

export interface SimulatorOptions {
  /** Dongle model; decides the family and every per-model quirk (`DONGLE_PROFILES`). */
  model: DongleModel;
  /** The meter's B-route ID: 32 printable characters. Its last 8 are the pairing ID. */
  rbid: string;
  /** The meter's B-route password: 1–32 printable characters (12 from the power company). */
  password: string;
  /** Simulated ms per real ms; 0 = manual (`sim.clock.advance`). Default 1. Ignored with `clock`. */
  speed?: number;
  /** Seed of every random choice (household, addresses, timing jitter, faults). Default 1. */
  seed?: number;
  /** Simulated time at start. Default: now. Ignored with `clock`. */
  start?: Date | number;
  /** Fault switches: a `--faults` spec string or settings. Default none. */
  faults?: string | Partial<FaultSettings>;
  /** Directory for the dongle's flash (`<model>.flash.json`), so WOPT survives restarts. Default: memory. */
  stateDir?: string;
  /** Append the meter's ground truth (JSON lines) to this file. */
  truthFile?: string;
  /** A picky meter: Gets with more properties than this are refused as a whole (`true` = 4). */
  picky?: boolean | number;
  /** Rooftop solar: peak W (`true` = 4000 W). Default none. */
  solar?: boolean | number;
  /** Radio identity of the meter. Defaults derive from `seed`. */
  meterMac?: string;
  channel?: number;
  panId?: number;
  /** ARIB transmit-time budget per hour, ms. Default 360 000. */
  sendBudgetMs?: number;
  /** Use this clock instead of creating one. */
  clock?: SimClock;
  /** More SmartMeter options (counters, notify, omit, …). */
  meter?: Partial<Omit<SmartMeterOptions, 'clock' | 'seed' | 'truth'>>;
  meterLogger?: MeterLogger;
  /** Debug trace of the dongle (never carries secrets). */
  trace?: (message: string) => void;
}

export interface SimulatorEvents {
  /** The dongle disappeared (USB unplugged) for `durationMs` of simulated time. */
  unplug: [durationMs: number];
  /** The dongle is back (a fresh boot). */
  replug: [];
  /** The dongle rebooted by itself. */
  reset: [];
  close: [];
}

/** Virtual sensors of the same home (same clock, seed and weather). */
export interface SimulatedSensors {
  readonly climate: ClimateSource;
  readonly mhz19: VirtualMhz19;
  readonly bme280: VirtualBme280;
  readonly cpu: VirtualCpu;
}

const PRINTABLE = /^[\x21-\x7e]+$/;

/** Validation shared by the CLI; returns a message for the first problem, or null. */
export function checkCredentials(rbid: string, password: string): string | null {
  if (rbid.length !== 32 || !PRINTABLE.test(rbid)) return 'the B-route ID must be 32 printable characters';
  if (password.length < 1 || password.length > 32 || !PRINTABLE.test(password)) {
    return 'the B-route password must be 1–32 printable characters';
  }
  return null;
}

/**
 * The whole simulated installation: simulated clock, smart meter, Wi-SUN dongle of one model with
 * fault switches, and the home's sensors. Attach a host to the dongle's UART with
 * `attachInProcess`, `serveTcp` or `attachPty` (src/attach).
 *
 * @throws RangeError for an unknown model, bad credentials or a bad fault spec.
 */
export class Simulator extends EventEmitter<SimulatorEvents> {
  readonly options: Readonly<SimulatorOptions>;
  readonly clock: SimClock;
  readonly meter: SmartMeter;
  readonly dongle: VirtualDongle;
  readonly faults: Faults;
  readonly flash: DongleFlash;
  readonly sensors: SimulatedSensors;
  /** The radio identity the dongle sees (MAC, channel, PAN ID, pairing ID). */
  readonly radio: MeterEndpoint;
  readonly #ownsClock: boolean;
  readonly #truthClose: (() => Promise<void>) | null;
  #plugged = true;
  #replugTimer: SimTimer | null = null;
  #scheduled: SimTimer[] = [];
  #closed = false;
  readonly #inputListeners = new Set<(bytes: Uint8Array) => void>();
  readonly #startedAt: number;

  constructor(options: SimulatorOptions) {
    super();
    if (!DONGLE_MODELS.includes(options.model))
      throw new RangeError(`unknown dongle model "${options.model}"`);
    const problem = checkCredentials(options.rbid, options.password);
    if (problem) throw new RangeError(problem);
    this.options = options;
    const seed = options.seed ?? 1;
    this.#ownsClock = options.clock === undefined;
    this.clock =
      options.clock ??
      new SimClock({
        speed: options.speed ?? 1,
        unref: true,
        ...(options.start === undefined ? {} : { start: options.start }),
      });
    this.#startedAt = this.clock.now();
    this.faults = new Faults(options.faults ?? {}, seed);

    const truth = options.truthFile ? appendFileTruthWriter(options.truthFile) : null;
    this.#truthClose = truth ? truth.close : null;
    const solar = options.solar === true ? 4000 : typeof options.solar === 'number' ? options.solar : 0;
    const picky = options.picky === true ? 4 : typeof options.picky === 'number' ? options.picky : undefined;
    this.meter = new SmartMeter({
      ...options.meter,
      clock: this.clock,
      seed,
      household: { ...(solar > 0 ? { solar: { peakW: solar } } : {}), ...options.meter?.household },
      ...(picky === undefined ? {} : { maxPropertiesPerGet: picky }),
      ...(options.meterLogger ? { logger: options.meterLogger } : {}),
      ...(truth ? { truth: new TruthRecorder(truth.write) } : {}),
    });
    this.radio = meterRadio(this.meter, {
      mac: options.meterMac ?? `001C6400${hash32(seed, 0x3ac).toString(16).toUpperCase().padStart(8, '0')}`,
      channel: options.channel ?? 0x21 + (hash32(seed, 0xc4) % 28),
      panId: options.panId ?? hash32(seed, 0xba) & 0xffff,
      rbid: options.rbid,
      password: options.password,
    });
    this.flash = new DongleFlash(
      options.stateDir ? { file: join(options.stateDir, `${options.model}.flash.json`) } : {},
    );
    this.dongle = new VirtualDongle({
      model: options.model,
      clock: this.clock,
      meter: this.radio,
      flash: this.flash,
      faults: this.faults,
      seed,
      ...(options.sendBudgetMs === undefined ? {} : { sendBudget: { budgetMs: options.sendBudgetMs } }),
      ...(options.trace ? { trace: options.trace } : {}),
    });
    const now = () => this.clock.now();
    const climate = indoorClimate({ seed });
    this.sensors = {
      climate,
      mhz19: new VirtualMhz19({ clock: now, seed, climate }),
      bme280: new VirtualBme280({ clock: now, seed, climate }),
      cpu: new VirtualCpu({ clock: now, seed, climate }),
    };
    this.#scheduleFaults(this.faults.settings);
    this.faults.onChange((s) => this.#scheduleFaults(s));
  }

  /** False while the dongle is unplugged. */
  get plugged(): boolean {
    return this.#plugged;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Host → dongle bytes (ignored while unplugged). */
  write(bytes: Uint8Array): void {
    if (!this.#plugged || this.#closed) return;
    for (const listener of this.#inputListeners) listener(bytes);
    this.dongle.write(bytes);
  }

  /**
   * Host → dongle bytes the dongle received (not those written while unplugged), for a listener
   * that follows both directions of the UART. Returns an unsubscribe function.
   */
  onInput(listener: (bytes: Uint8Array) => void): () => void {
    this.#inputListeners.add(listener);
    return () => this.#inputListeners.delete(listener);
  }

  /** Dongle → host bytes. Returns an unsubscribe function. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    return this.dongle.onOutput(listener);
  }

  /** The dongle reboots mid-session: it forgets the session and needs SKRESET, credentials and SKJOIN again. */
  injectReset(): void {
    if (!this.#plugged || this.#closed) return;
    this.dongle.reboot();
    this.emit('reset');
  }

  /**
   * The dongle disappears for `ms` of simulated time: attachments drop their host (TCP connection
   * closed, PTY link removed) and come back on replug with a freshly booted dongle.
   */
  unplug(ms: number): void {
    if (this.#closed) return;
    if (!(ms >= 0)) throw new RangeError(`unplug needs ms ≥ 0, got ${ms}`);
    this.clock.clearTimeout(this.#replugTimer);
    this.#replugTimer = this.clock.setTimeout(() => {
      this.#replugTimer = null;
      this.replug();
    }, ms);
    if (!this.#plugged) return;
    this.#plugged = false;
    this.dongle.powerOff();
    this.emit('unplug', ms);
  }

  /** The dongle is plugged back in now (also ends an `unplug` early). */
  replug(): void {
    if (this.#closed || this.#plugged) return;
    this.clock.clearTimeout(this.#replugTimer);
    this.#replugTimer = null;
    this.#plugged = true;
    this.dongle.powerOn();
    this.emit('replug');
  }

  /** The meter is out of reach for `ms` of simulated time. */
  meterUnreachable(ms: number): void {
    this.faults.setUnreachableUntil(this.clock.now() + ms);
  }

  /** Ends the PANA session lifetime now (EVENT 29, then re-authentication if S17=1). */
  expireSession(): void {
    this.dongle.expireSession();
  }

  /** Stops every timer, the meter and the truth file. Attachments close on the `close` event. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#scheduled) this.clock.clearTimeout(t);
    this.clock.clearTimeout(this.#replugTimer);
    this.dongle.dispose();
    this.meter.close();
    if (this.#ownsClock) this.clock.dispose();
    this.emit('close');
    await this.#truthClose?.();
  }

  #scheduleFaults(settings: FaultSettings): void {
    for (const t of this.#scheduled) this.clock.clearTimeout(t);
    this.#scheduled = [];
    const now = this.clock.now();
    for (const when of settings.resetAt) {
      const at = resolveWhen(when, this.#startedAt);
      if (at >= now) this.#scheduled.push(this.clock.setTimeoutAt(() => this.injectReset(), at));
    }
    for (const u of settings.unplugAt) {
      const at = resolveWhen(u.at, this.#startedAt);
      if (at >= now) this.#scheduled.push(this.clock.setTimeoutAt(() => this.unplug(u.durationMs), at));
    }
  }
}

/** The SmartMeter behind its radio: what the dongle can see and reach. */
export function meterRadio(
  meter: SmartMeter,
  radio: {
    mac: string;
    channel: number;
    panId: number;
    rbid: string;
    password: string;
    lqi?: number;
    rssiDbm?: number;
  },
): MeterEndpoint {
  return {
    mac: radio.mac.toUpperCase(),
    channel: radio.channel,
    panId: radio.panId,
    pairingId: radio.rbid.slice(-8),
    lqi: radio.lqi ?? 0xe1,
    rssiDbm: radio.rssiDbm ?? -62,
    authenticate: (rbid, password) => rbid === radio.rbid && password === radio.password,
    receive: (frame, from) => meter.handleFrame(frame, from),
    joined: () => meter.onJoined(),
    onNotify: (listener) => {
      meter.on('inf', listener);
      return () => meter.off('inf', listener);
    },
  };
}
