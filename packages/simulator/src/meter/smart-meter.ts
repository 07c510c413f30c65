import { EventEmitter } from 'node:events';
import { DAY_MS, floorTo, HALF_HOUR_MS, jstDayNumber, jstDayStart } from '@b-route/core';
import {
  dateToJst,
  decodeFrame,
  EOJ,
  ESV,
  encodeFrame,
  type Frame,
  isResponseEsv,
  isSnaEsv,
  METER_PROPERTIES,
  toHex,
} from '@b-route/echonet';
import type { SimClock, SimTimer } from '../clock.js';
import { hash32 } from '../random.js';
import { type CounterOptions, type Counts, EnergyCounters } from './counters.js';
import { type EchonetObject, serve } from './esv-handler.js';
import { MeterHistory } from './history.js';
import { Household, type HouseholdOptions } from './household.js';
import { type MeterIdentity, MeterObject } from './meter-object.js';
import { NodeProfileObject } from './node-profile-object.js';
import type { TruthRecorder } from './truth.js';

/** Logger the meter writes to; a pino logger fits. Namespace it `simulator:meter`. */
export interface MeterLogger {
  debug(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
  isLevelEnabled?(level: string): boolean;
}

export interface SmartMeterOptions {
  /** Simulated time; the meter's clock, history and INF schedule follow it. */
  readonly clock: SimClock;
  /** Seed of the household and of the meter's serial numbers. Default 1. */
  readonly seed?: number;
  /** Household model switches (solar, EV, wiring, step). */
  readonly household?: Omit<HouseholdOptions, 'seed'>;
  /** Registers: coefficient (D3, default 1), unitCode (E1, default 0x01 = 0.1 kWh), digits (D7, default 6), initial counts at the clock's start. */
  readonly counters?: Omit<CounterOptions, 'anchor' | 'retainMs'>;
  /** Days of history kept (E2/E4, ED/EF range). Default 45. */
  readonly historyDays?: number;
  readonly identity?: Partial<MeterIdentity>;
  /** EPCs the meter does not implement (e.g. `[0xD3]` for a meter without a coefficient). */
  readonly omit?: readonly number[];
  /** Implement D0 (one-minute cumulative energy). Default false. */
  readonly oneMinuteEnergy?: boolean;
  /** Picky meter: Gets with more properties are refused as a whole (Get_SNA, all PDC 0). Default no limit. */
  readonly maxPropertiesPerGet?: number;
  /** Unsolicited notification at every half-hour boundary. */
  readonly notify?: {
    /** Default true. */
    readonly enabled?: boolean;
    /** EPCs announced. Default [EA, EB]. */
    readonly properties?: readonly number[];
    /** Sent this long after the boundary. Default 0. */
    readonly delayMs?: number;
    /** Send INFC (0x74, wants INFC_Res) instead of INF (0x73). Default false. */
    readonly confirmed?: boolean;
  };
  readonly logger?: MeterLogger;
  /** Ground-truth recorder (power served, half-hour counts; the kept days are written at start). */
  readonly truth?: TruthRecorder;
}

export interface SmartMeterEvents {
  /** An unsolicited frame (INF/INFC) for the controller; the dongle decides where it goes. */
  inf: [frame: Uint8Array, sender?: string];
}

/** INFC notifications remembered while waiting for their INFC_Res. */
const MAX_PENDING = 64;
const NULL_LOGGER: MeterLogger = { debug() {}, warn() {}, isLevelEnabled: () => false };

/**
 * A virtual low-voltage smart electric energy meter (EOJ 0x028801) with its node profile
 * (0x0EF001), answering ECHONET Lite frames as a real meter does and announcing EA/EB every
 * half hour on the simulated clock. Malformed frames are logged and ignored; nothing throws out
 * of `handleFrame`.
 */
export class SmartMeter extends EventEmitter<SmartMeterEvents> {
  readonly household: Household;
  readonly counters: EnergyCounters;
  readonly history: MeterHistory;
  readonly meter: MeterObject;
  readonly nodeProfile: NodeProfileObject;
  readonly #clock: SimClock;
  readonly #log: MeterLogger;
  readonly #truth: TruthRecorder | undefined;
  readonly #maxGet: number | undefined;
  readonly #notify: { enabled: boolean; properties: readonly number[]; delayMs: number; confirmed: boolean };
  readonly #pending = new Map<number, number>();
  #tid = 0;
  #timer: SimTimer | null = null;
  /** The instant the frame being answered is answered at (see `handleFrame`). */
  #frameTime: number | undefined;

  constructor(options: SmartMeterOptions) {
    super();
    const clock = options.clock;
    this.#clock = clock;
    this.#log = options.logger ?? NULL_LOGGER;
    this.#truth = options.truth;
    this.#maxGet = options.maxPropertiesPerGet;
    const seed = (options.seed ?? 1) >>> 0;
    const days = options.historyDays ?? 45;
    const start = clock.now();
    this.household = new Household({ ...options.household, seed });
    const origin = jstDayStart(jstDayNumber(start) - (days - 1));
    this.counters = new EnergyCounters((t) => this.household.powerAt(t), this.household.stepMs, origin, {
      ...options.counters,
      anchor: start,
      retainMs: (days + 2) * DAY_MS,
    });
    this.history = new MeterHistory(this.counters, { days });

    const manufacturerCode = options.identity?.manufacturerCode ?? '000016';
    const unique = hash32(seed, 0x1d).toString(16).toUpperCase().padStart(8, '0');
    const identity: MeterIdentity = {
      release: 'F',
      productionNumber: `SM${String(hash32(seed, 0x8d) % 1e10).padStart(10, '0')}`,
      identificationNumber: `FE${manufacturerCode}${'0'.repeat(18)}${unique}`,
      installationLocation: 0x00,
      ...options.identity,
      manufacturerCode,
    };
    this.meter = new MeterObject({
      now: () => this.#frameTime ?? clock.now(),
      household: this.household,
      counters: this.counters,
      history: this.history,
      identity,
      omit: options.omit ?? [],
      oneMinuteEnergy: options.oneMinuteEnergy ?? false,
      onPowerServed: (time, s) =>
        this.#truth?.power({ time, powerW: s.powerW, currentR: s.currentR, currentT: s.currentT }),
    });
    this.nodeProfile = new NodeProfileObject({
      instances: [EOJ.smartMeter],
      manufacturerCode,
      identificationNumber: `FE${manufacturerCode}${'0'.repeat(16)}01${unique}`,
    });
    this.#notify = {
      enabled: options.notify?.enabled ?? true,
      properties: options.notify?.properties ?? [0xea, 0xeb],
      delayMs: options.notify?.delayMs ?? 0,
      confirmed: options.notify?.confirmed ?? false,
    };
    if (this.#truth) {
      for (let slot = this.history.oldest(start); slot <= start; slot += HALF_HOUR_MS) this.#recordSlot(slot);
    }
    this.#schedule(start);
  }

  /**
   * Answers one ECHONET Lite frame received from `from` (an address, for the log). Returns the
   * frames to send back: usually one, none for notifications, responses, SetI successes, frames
   * for objects the node lacks, and malformed input.
   */
  handleFrame(bytes: Uint8Array, from: string): Uint8Array[] {
    // One frame is answered at one instant: E7 and E8 of the same answer come from one sample,
    // even when an accelerated clock ticks between reading one property and the next.
    this.#frameTime = this.#clock.now();
    try {
      return this.#answer(bytes, from);
    } finally {
      this.#frameTime = undefined;
    }
  }

  #answer(bytes: Uint8Array, from: string): Uint8Array[] {
    let request: Frame;
    try {
      request = decodeFrame(bytes);
    } catch (e) {
      this.#log.warn({ from, hex: toHex(bytes), err: e }, 'ignoring malformed ECHONET Lite frame');
      return [];
    }
    this.#debugWire('rx', from, bytes, 'frame received');
    if (request.esv === ESV.INFC_Res) {
      const sent = this.#pending.delete(request.tid);
      this.#log.debug({ from, tid: request.tid, matched: sent }, 'INFC_Res received');
      return [];
    }
    // INFC (0x74) is a notification that wants an INFC_Res; every other 0x7X/0x5X is an answer.
    if (request.esv !== ESV.INFC && (isResponseEsv(request.esv) || isSnaEsv(request.esv))) return [];
    const object = this.#route(request.deoj);
    if (!object) {
      this.#log.debug({ from, deoj: request.deoj }, 'frame for an object this node lacks, ignored');
      return [];
    }
    const limit = object === this.meter ? this.#maxGet : undefined;
    const answer = serve(object, request, limit === undefined ? {} : { maxPropertiesPerGet: limit });
    if (answer === null) return [];
    try {
      const out = encodeFrame(answer);
      this.#debugWire('tx', from, out, 'frame sent');
      return [out];
    } catch (e) {
      this.#log.warn({ from, err: e }, 'could not encode the answer');
      return [];
    }
  }

  /** The frames a real meter sends once a PANA session is up: node profile D5 (instance list). */
  onJoined(): Uint8Array[] {
    const frame: Frame = {
      tid: this.#nextTid(),
      seoj: EOJ.nodeProfile,
      deoj: EOJ.nodeProfile,
      esv: ESV.INF,
      properties: [{ epc: 0xd5, edt: this.nodeProfile.instanceListNotification() }],
    };
    return [encodeFrame(frame)];
  }

  /**
   * Fault switch: a meter answering Gets of `epc` with `edt` as it is (an overflow code, a count
   * beyond its digits, …); undefined ends it.
   */
  serveRaw(epc: number, edt: Uint8Array | undefined): void {
    this.meter.serveRaw(epc, edt);
  }

  /**
   * Fault switch: an INF with these properties, now. With `sender`, the frame reaches the
   * controller from that IPv6 address instead of the meter's (another node on the PAN).
   */
  notifyNow(properties: readonly { epc: number; edt: Uint8Array }[], sender?: string): void {
    const bytes = encodeFrame({
      tid: this.#nextTid(),
      seoj: EOJ.smartMeter,
      deoj: EOJ.controller,
      esv: ESV.INF,
      properties: [...properties],
    });
    this.emit('inf', bytes, sender);
  }

  /** 88 fault status (a fault switch). */
  setFault(on: boolean): void {
    this.meter.fault = on;
  }

  /** TIDs of INFC notifications no INFC_Res has confirmed yet. */
  get pendingConfirmations(): readonly number[] {
    return [...this.#pending.keys()];
  }

  /** Stops the half-hour notifications. */
  close(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #route(deoj: number): EchonetObject | undefined {
    // Instance code 0 addresses every instance of the class (Part 2 §3.2.4).
    if (deoj === EOJ.smartMeter || deoj === EOJ.smartMeter - 1) return this.meter;
    if (deoj === EOJ.nodeProfile || deoj === EOJ.nodeProfile - 1) return this.nodeProfile;
    return undefined;
  }

  #schedule(after: number): void {
    const boundary = floorTo(after, HALF_HOUR_MS) + HALF_HOUR_MS;
    this.#timer = this.#clock.setTimeoutAt(() => this.#onBoundary(boundary), boundary + this.#notify.delayMs);
  }

  #onBoundary(boundary: number): void {
    this.#schedule(boundary);
    this.#recordSlot(boundary);
    if (!this.#notify.enabled) return;
    const counts = this.history.countsAt(boundary, boundary);
    const properties = this.#notify.properties.flatMap((epc) => {
      const edt = this.#fixedTimeEdt(epc, boundary, counts) ?? this.meter.get(epc);
      return edt === undefined ? [] : [{ epc, edt }];
    });
    const tid = this.#nextTid();
    const esv = this.#notify.confirmed ? ESV.INFC : ESV.INF;
    const bytes = encodeFrame({ tid, seoj: EOJ.smartMeter, deoj: EOJ.controller, esv, properties });
    if (this.#notify.confirmed) {
      this.#pending.set(tid, boundary);
      // A client that never confirms must not make the meter grow without bound.
      if (this.#pending.size > MAX_PENDING) this.#pending.delete(this.#pending.keys().next().value as number);
    }
    this.#debugWire('tx', 'controller', bytes, 'half-hour notification');
    try {
      this.emit('inf', bytes);
    } catch (e) {
      this.#log.warn({ err: e }, 'an inf listener threw');
    }
  }

  /** EA/EB at `boundary` itself (not at the time the notification happens to run). */
  #fixedTimeEdt(epc: number, boundary: number, counts: Counts | null): Uint8Array | undefined {
    const time = dateToJst(new Date(boundary));
    if (epc === 0xea)
      return METER_PROPERTIES.fixedTimeEnergyNormal.encode({ time, count: counts?.normal ?? null });
    if (epc === 0xeb)
      return METER_PROPERTIES.fixedTimeEnergyReverse.encode({ time, count: counts?.reverse ?? null });
    return undefined;
  }

  #debugWire(dir: 'rx' | 'tx', peer: string, bytes: Uint8Array, message: string): void {
    if (this.#log.isLevelEnabled?.('debug') ?? true)
      this.#log.debug({ dir, peer, hex: toHex(bytes) }, message);
  }

  #recordSlot(slot: number): void {
    if (!this.#truth) return;
    const c = this.counters.countsAt(slot);
    if (c === null) return;
    this.#truth.halfHour({
      slot,
      normal: c.normal,
      reverse: c.reverse,
      normalKwh: this.counters.countToKwh(c.normal),
      reverseKwh: this.counters.countToKwh(c.reverse),
    });
  }

  #nextTid(): number {
    this.#tid = (this.#tid + 1) & 0xffff;
    return this.#tid;
  }
}
