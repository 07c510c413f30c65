import { seededRandom } from '@b-route/core';
import { type DongleModel, type SkCommandInput, SkCommandReader } from '@b-route/echonet';
import type { SimTimer } from '../clock.js';
import { Faults } from '../faults/faults.js';
import { hash32 } from '../random.js';
import { macToLinkLocal } from './addresses.js';
import {
  type Checked,
  checkAddNbr,
  checkJoin,
  checkLl64,
  checkNone,
  checkScan,
  checkSendTo,
  checkSetPwd,
  checkSetRbid,
  checkUdpPort,
} from './command-args.js';
import { DongleOutput, type ErxudpFormat } from './dongle-output.js';
import { DongleFlash } from './flash.js';
import type { MeterEndpoint } from './meter-endpoint.js';
import { type DongleProfile, dongleProfile } from './models.js';
import { PANA_PORT, PanaPeer } from './pana.js';
import { type PanaFlowHost, startJoin, startReauth, startTerm } from './pana-flows.js';
import { RegisterBank } from './registers.js';
import { startScan } from './scan.js';
import type { SendBudgetOptions } from './send-budget.js';
import { NO_SESSION, type SessionInput, type SessionState, sessionTransition } from './session.js';
import { flashCommand, productSetting, type SettingsHost, sreg } from './settings-commands.js';
import { type DongleClock, Timeline } from './timeline.js';
import { TransmitGate } from './transmit-gate.js';
import { deliver, sendTo, type UdpHost } from './udp.js';

export interface VirtualDongleOptions {
  model: DongleModel;
  clock: DongleClock;
  meter: MeterEndpoint;
  /** Non-volatile memory (WOPT mode, SKSAVE); pass the same object across reboots. Default: fresh. */
  flash?: DongleFlash;
  faults?: Faults;
  /** Seeds the dongle's MAC and its timing jitter. Default 1. */
  seed?: number;
  /** EUI-64 of the dongle. Default: the model's vendor prefix + 8 hex digits from `seed`. */
  mac?: string;
  /** ARIB STD-T108 transmit-time budget. Default 360 s per hour. */
  sendBudget?: SendBudgetOptions;
  /** Debug trace of what the dongle does; secrets are never passed to it. */
  trace?: (message: string) => void;
}

/**
 * A Wi-SUN dongle running the SK stack, as seen from its UART: command bytes in, answer and
 * event bytes out. It talks to a `MeterEndpoint` over a simulated radio link with realistic
 * delays in simulated time, with the per-model quirks of `DONGLE_PROFILES` and the fault switches
 * of `faults`. Everything runs on the injected clock; `write` answers synchronously.
 */
export class VirtualDongle {
  readonly profile: DongleProfile;
  /** EUI-64 of the dongle (EINFO). */
  readonly mac: string;
  /** Link-local IPv6 of the dongle (EINFO, ERXUDP DEST). */
  readonly linkLocal: string;
  readonly flash: DongleFlash;
  readonly faults: Faults;
  readonly #clock: DongleClock;
  readonly #meter: MeterEndpoint;
  readonly #meterLla: string;
  readonly #random: () => number;
  readonly #trace: (message: string) => void;
  readonly #registers: RegisterBank;
  readonly #gate: TransmitGate;
  readonly #timeline: Timeline;
  readonly #out: DongleOutput;
  readonly #flows: PanaFlowHost;
  readonly #udp: UdpHost;
  readonly #settings: SettingsHost;
  readonly #unsubscribe: (() => void) | undefined;
  #reader = new SkCommandReader();
  #session: SessionState = NO_SESSION;
  #lifetimeTimer: SimTimer | null = null;
  #pana: PanaPeer | null = null;
  #scanning = false;
  #rbid: string | null = null;
  #password: string | null = null;
  #frameCounter = 0;
  #powered = true;

  constructor(options: VirtualDongleOptions) {
    this.profile = dongleProfile(options.model);
    const seed = options.seed ?? 1;
    this.mac = (
      options.mac ?? this.profile.macPrefix + hash32(seed, 0xd0a6).toString(16).padStart(8, '0')
    ).toUpperCase();
    this.linkLocal = macToLinkLocal(this.mac);
    this.flash = options.flash ?? new DongleFlash();
    this.faults = options.faults ?? new Faults({}, seed);
    this.#clock = options.clock;
    this.#meter = options.meter;
    this.#meterLla = macToLinkLocal(options.meter.mac);
    this.#random = seededRandom(hash32(seed, 0xd0));
    this.#trace = options.trace ?? (() => {});
    this.#registers = new RegisterBank({
      S07: () => this.#frameCounter,
      SFB: () => (this.#gate.restricted ? 1 : 0),
      SFD: () => Math.round(this.#gate.usedMs()),
    });
    this.#out = new DongleOutput(this.profile, () => this.#erxudpFormat());
    this.#gate = new TransmitGate(options.clock, this.#out, this.linkLocal, options.sendBudget);
    this.#timeline = new Timeline(options.clock, () => this.#gate.announce());
    this.#flows = this.#flowHost();
    this.#settings = { out: this.#out, registers: this.#registers, flash: this.flash, profile: this.profile };
    this.#udp = {
      timeline: this.#timeline,
      out: this.#out,
      gate: this.#gate,
      faults: this.faults,
      meter: this.#meter,
      meterLla: this.#meterLla,
      ownLla: this.linkLocal,
      session: () => this.#session,
      meterInReach: () => this.#meterInReach(),
      jitter: (lo, hi) => this.#jitter(lo, hi),
      rssi: () => this.#rssi(),
      securedSent: () => {
        this.#frameCounter++;
      },
      trace: (m) => this.#trace(m),
    };
    this.#bootRegisters();
    this.#unsubscribe = options.meter.onNotify?.((frame, sender) => this.#meterNotifies(frame, sender));
  }

  /** The PANA session state. */
  get session(): SessionState {
    return this.#session;
  }

  /** Flash writes so far (WOPT, SKSAVE, SKERASE), across power cycles when the flash is shared. */
  get flashWrites(): number {
    return this.flash.writes;
  }

  /** How ERXUDP data is printed now: `hex` (WOPT 01, or a stack without WOPT) or `binary`. */
  get encoding(): 'hex' | 'binary' {
    if (this.profile.opt === null) return 'hex';
    return (this.flash.opt ?? this.profile.opt.defaultMode) === 1 ? 'hex' : 'binary';
  }

  /** False between `powerOff()` and `powerOn()`. */
  get powered(): boolean {
    return this.#powered;
  }

  /** Transmit time used within the last hour, ms (register SFD). */
  get sendTimeUsedMs(): number {
    return this.#gate.usedMs();
  }

  /** True while the ARIB send-time restriction is on (register SFB). */
  get sendRestricted(): boolean {
    return this.#gate.restricted;
  }

  /** Subscribes to the bytes the dongle sends to the host. Returns an unsubscribe function. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    return this.#out.listen(listener);
  }

  /** Bytes from the host, split anywhere. Ignored while powered off. */
  write(bytes: Uint8Array): void {
    if (!this.#powered) return;
    for (const input of this.#reader.push(bytes)) this.#handle(input);
  }

  /**
   * The dongle reboots (watchdog, brown-out): session, registers, credentials and the ARIB
   * accounting are gone; flash stays (registers come back from it only when SKSAVE stored SFF=1).
   * The host sees only the profile's boot lines.
   */
  reboot(): void {
    this.#trace('reboot');
    this.#stopEverything();
    this.#reader = new SkCommandReader();
    this.#gate.clear();
    this.#powered = true;
    this.#bootRegisters();
    for (const line of this.profile.bootLines) this.#out.line(line);
  }

  /** Power is cut (unplugged): nothing runs, input is ignored until `powerOn()`. */
  powerOff(): void {
    this.#trace('power off');
    this.#stopEverything();
    this.#reader = new SkCommandReader();
    this.#gate.clear();
    this.#powered = false;
  }

  /** Power comes back (replugged): a fresh boot. */
  powerOn(): void {
    this.reboot();
  }

  /** Ends the session lifetime now: EVENT 29, then re-authentication if S17=1. No-op without a session. */
  expireSession(): void {
    if (this.#session.kind === 'established') this.#expire();
  }

  /** Cancels every timer and the meter subscription. */
  dispose(): void {
    this.#stopEverything();
    this.#unsubscribe?.();
    this.#out.clear();
  }

  // ---- state ----------------------------------------------------------------------------------

  #erxudpFormat(): ErxudpFormat {
    const layout = !this.profile.sideArgument
      ? 'single-hop'
      : this.profile.sa2 && this.#registers.num('SA2') === 1
        ? 'dual-stack-rssi'
        : 'dual-stack';
    return { layout, encoding: this.encoding };
  }

  #transition(input: SessionInput): boolean {
    const next = sessionTransition(this.#session, input);
    if (next === null) return false;
    this.#trace(`session ${this.#session.kind} → ${next.kind} (${input.type})`);
    this.#session = next;
    return true;
  }

  #stopEverything(): void {
    this.#timeline.cancelAll();
    this.#clock.clearTimeout(this.#lifetimeTimer);
    this.#lifetimeTimer = null;
    this.#session = NO_SESSION;
    this.#pana = null;
    this.#scanning = false;
    this.#rbid = null;
    this.#password = null;
  }

  #bootRegisters(): void {
    this.#registers.reset();
    const saved = this.flash.registers;
    if (saved && saved.SFF === 1) this.#registers.restore(saved);
  }

  #jitter(lo: number, hi: number): number {
    return Math.round(lo + this.#random() * (hi - lo));
  }

  #randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.#random() * 256);
    return out;
  }

  #rssi(): string {
    const dbm = Math.round(this.#meter.rssiDbm + (this.#random() * 4 - 2));
    return (dbm & 0xff).toString(16).toUpperCase().padStart(2, '0');
  }

  #lifetimeMs(): number {
    return this.faults.settings.expireEveryMs ?? this.#registers.num('S16') * 1000;
  }

  // ---- radio ----------------------------------------------------------------------------------

  /** The meter hears us: not faulted away, and we are tuned to its channel and PAN. */
  #meterInReach(): boolean {
    return (
      !this.faults.meterUnreachable(this.#clock.now()) &&
      this.#registers.num('S02') === this.#meter.channel &&
      this.#registers.num('S03') === this.#meter.panId
    );
  }

  #panaReceived(message: Uint8Array, secured: number): void {
    this.#out.erxudp({
      sender: this.#meterLla,
      dest: this.linkLocal,
      port: PANA_PORT,
      senderLla: this.#meter.mac,
      secured,
      rssi: this.#rssi(),
      data: message,
    });
  }

  #flowHost(): PanaFlowHost {
    return {
      timeline: this.#timeline,
      out: this.#out,
      meterLla: this.#meterLla,
      session: () => this.#session,
      transition: (input) => this.#transition(input),
      meterInReach: () => this.#meterInReach(),
      transmit: (bytes) => this.#gate.transmit(bytes),
      jitter: (lo, hi) => this.#jitter(lo, hi),
      pana: () => {
        this.#pana ??= new PanaPeer((n) => this.#randomBytes(n), 'meter');
        return this.#pana;
      },
      lifetimeMs: () => this.#lifetimeMs(),
      established: (_peer, firstJoin) => this.#established(firstJoin),
      ended: () => {
        this.#pana = null;
      },
      panaReceived: (message, secured) => this.#panaReceived(message, secured),
    };
  }

  #established(firstJoin: boolean): void {
    this.#clock.clearTimeout(this.#lifetimeTimer);
    this.#lifetimeTimer = this.#clock.setTimeout(() => {
      this.#lifetimeTimer = null;
      this.#expire();
    }, this.#lifetimeMs());
    if (!firstJoin) return;
    // The meter announces its instance list (node profile D5 INF) once the session is up.
    const frames = this.#meter.joined();
    if (frames.length > 0)
      this.#timeline.after(this.#jitter(300, 900), () => deliver(this.#udp, frames, false));
  }

  #expire(): void {
    if (this.#session.kind !== 'established') return;
    const peer = this.#session.peer;
    this.#clock.clearTimeout(this.#lifetimeTimer);
    this.#lifetimeTimer = null;
    const auto = this.#registers.num('S17') === 1;
    this.#transition({ type: 'expired', autoReauth: auto });
    this.#out.event(0x29, peer);
    if (auto) startReauth(this.#flows, peer, !this.faults.reauthFails(), 50);
    else this.#pana = null;
  }

  // ---- commands -------------------------------------------------------------------------------

  #handle(input: SkCommandInput): void {
    if (input.type === 'error') {
      // Bytes that can never form a command line (control characters, an over-long line).
      this.#trace(`uart error: ${input.reason}`);
      this.#out.fail('ER09');
      return;
    }
    if (this.#registers.num('SFE') === 1) this.#echo(input);
    this.#trace(`command ${input.name}`);
    this.#command(input.name, input.args, input.data);
    this.#gate.announce();
  }

  /** The echo of a command (SFE=1); SKSENDTO's stops after DATALEN's space, no data (models.ts). */
  #echo(input: Extract<SkCommandInput, { type: 'command' }>): void {
    let text = '';
    const header = input.data ? input.raw.subarray(0, input.raw.length - input.data.length) : input.raw;
    for (const b of header) text += String.fromCharCode(b);
    this.#out.out({ type: 'echo', command: input.name, line: text });
  }

  #checked<T>(result: Checked<T>, then: (value: T) => void) {
    if (!result.ok) return this.#out.fail(result.code);
    then(result.value);
  }

  #noArgs(args: readonly string[], then: () => void) {
    this.#checked(checkNone(args), then);
  }

  #command(name: string, args: readonly string[], data: Uint8Array | undefined) {
    const out = this.#out;
    switch (name) {
      case 'SKVER':
        return this.#noArgs(args, () => {
          out.out({ type: 'ever', version: this.profile.version });
          out.ok();
        });
      case 'SKAPPVER':
        return this.#noArgs(args, () => {
          out.line(`EAPPVER ${this.profile.appVersion}`);
          out.ok();
        });
      case 'SKINFO':
        return this.#noArgs(args, () => {
          out.out({
            type: 'einfo',
            ipv6: this.linkLocal,
            mac: this.mac,
            channel: this.#registers.num('S02'),
            panId: this.#registers.num('S03'),
            ...(this.profile.sideArgument ? out.side() : { addr16: this.profile.einfoAddr16 }),
          });
          out.ok();
        });
      case 'SKRESET':
        // The stack restarts; echo (SFE) is a UART setting and stays as it was.
        return this.#noArgs(args, () => {
          const echo = this.#registers.num('SFE');
          this.#stopEverything();
          this.#registers.reset();
          this.#registers.set('SFE', echo);
          out.ok();
        });
      case 'SKSREG':
        return sreg(this.#settings, args);
      case 'SKSETPWD':
        return this.#checked(checkSetPwd(args), (pwd) => {
          this.#password = pwd;
          out.ok();
        });
      case 'SKSETRBID':
        return this.#checked(checkSetRbid(args), (id) => {
          this.#rbid = id;
          // The stack derives the pairing ID (register S0A) from the last 8 characters.
          this.#registers.set('S0A', id.slice(-8));
          out.ok();
        });
      case 'SKLL64':
        return this.#checked(checkLl64(args), (mac) =>
          out.out({ type: 'ipv6', address: macToLinkLocal(mac) }),
        );
      case 'SKSCAN':
        return this.#checked(checkScan(args, this.profile), (scan) => {
          if (this.#scanning || this.#session.kind === 'joining') return out.fail('ER10');
          this.#scanning = true;
          out.ok();
          startScan(
            {
              timeline: this.#timeline,
              out,
              meter: this.#meter,
              meterLla: this.#meterLla,
              ownLla: this.linkLocal,
              pairingId: () => this.#registers.text('S0A'),
              meterReachable: () => !this.faults.meterUnreachable(this.#clock.now()),
              jitter: (lo, hi) => this.#jitter(lo, hi),
              done: () => {
                this.#scanning = false;
              },
            },
            scan,
          );
        });
      case 'SKJOIN':
        return this.#checked(checkJoin(args), (peer) => this.#join(peer));
      case 'SKREJOIN':
        return this.#noArgs(args, () => {
          if (!this.#transition({ type: 'rejoin' })) return out.fail('ER10');
          out.ok();
          const peer = (this.#session as { peer: string }).peer;
          startReauth(this.#flows, peer, !this.faults.reauthFails(), 20);
        });
      case 'SKSENDTO':
        return this.#checked(checkSendTo(args, data, this.profile), (send) => sendTo(this.#udp, send));
      case 'SKTERM':
        return this.#noArgs(args, () => this.#term());
      case 'SKADDNBR':
        return this.#checked(checkAddNbr(args), () => out.ok());
      case 'SKUDPPORT':
        return this.#checked(checkUdpPort(args), () => out.ok());
      case 'SKSAVE':
      case 'SKLOAD':
      case 'SKERASE':
        return flashCommand(this.#settings, name, args);
      case 'ROPT':
      case 'WOPT':
        return productSetting(this.#settings, name, args);
      default:
        out.fail('ER04');
    }
  }

  #join(peer: string) {
    if (this.#password === null || this.#rbid === null) return this.#out.fail('ER10');
    if (this.#scanning || this.#gate.restricted) return this.#out.fail('ER10');
    if (!this.#transition({ type: 'join', peer })) return this.#out.fail('ER10');
    this.#out.ok();
    this.#pana = new PanaPeer((n) => this.#randomBytes(n), 'meter');
    startJoin(this.#flows, peer, this.#meter.authenticate(this.#rbid, this.#password));
  }

  #term() {
    const session = this.#session;
    if (session.kind === 'none' || session.kind === 'joining' || !this.#transition({ type: 'terminate' })) {
      return this.#out.fail('ER10');
    }
    this.#out.ok();
    this.#clock.clearTimeout(this.#lifetimeTimer);
    this.#lifetimeTimer = null;
    startTerm(this.#flows, session.peer, this.#pana !== null);
  }

  #meterNotifies(frame: Uint8Array, sender?: string): void {
    if (!this.#powered || this.#session.kind !== 'established') return;
    deliver(this.#udp, [frame], true, sender);
  }
}
