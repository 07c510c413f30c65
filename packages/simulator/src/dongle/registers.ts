/**
 * SK virtual registers (SKSREG). Names are `S` + a hex number (`S2` = `S02`, `SFE`, `SA2`);
 * ESREG prints each at its fixed width. Values and ranges follow the ROHM BP35A1 command
 * reference as used by public clients: S16 accepts 60 … FFFFFFFF seconds, SFD is 64-bit.
 */
export interface RegisterDef {
  /** Register number (`SFE` → 0xFE). */
  readonly id: number;
  /** Canonical name as ESREG-related logs spell it (`S02`, `SFE`). */
  readonly name: string;
  /** `hex`: unsigned number in hex digits; `flag`: 0/1; `chars`: fixed-length text. */
  readonly kind: 'hex' | 'flag' | 'chars';
  /** ESREG width in characters. */
  readonly width: number;
  readonly min?: number;
  readonly max?: number;
  /** Written only by the stack itself (SKSREG with a value fails ER06). */
  readonly readOnly?: boolean;
  readonly description: string;
}

export const REGISTERS: readonly RegisterDef[] = [
  { id: 0x02, name: 'S02', kind: 'hex', width: 2, min: 0x21, max: 0x3c, description: 'channel (33–60)' },
  { id: 0x03, name: 'S03', kind: 'hex', width: 4, min: 0, max: 0xffff, description: 'PAN ID' },
  { id: 0x07, name: 'S07', kind: 'hex', width: 8, readOnly: true, description: 'MAC frame counter' },
  { id: 0x0a, name: 'S0A', kind: 'chars', width: 8, description: 'pairing ID (set by SKSETRBID)' },
  { id: 0x15, name: 'S15', kind: 'flag', width: 1, description: 'answer beacon requests' },
  {
    id: 0x16,
    name: 'S16',
    kind: 'hex',
    width: 8,
    min: 60,
    max: 0xffffffff,
    description: 'PANA session lifetime (s)',
  },
  { id: 0x17, name: 'S17', kind: 'flag', width: 1, description: 'automatic re-authentication' },
  {
    id: 0xa2,
    name: 'SA2',
    kind: 'flag',
    width: 1,
    description: 'RSSI field in ERXUDP (dual-stack; every model accepts it)',
  },
  {
    id: 0xfb,
    name: 'SFB',
    kind: 'flag',
    width: 1,
    readOnly: true,
    description: 'send-time restriction active',
  },
  {
    id: 0xfd,
    name: 'SFD',
    kind: 'hex',
    width: 16,
    readOnly: true,
    description: 'transmit time in the last hour (ms)',
  },
  { id: 0xfe, name: 'SFE', kind: 'flag', width: 1, description: 'echo back' },
  { id: 0xff, name: 'SFF', kind: 'flag', width: 1, description: 'load flash settings at boot' },
];

export type RegisterName =
  | 'S02'
  | 'S03'
  | 'S07'
  | 'S0A'
  | 'S15'
  | 'S16'
  | 'S17'
  | 'SA2'
  | 'SFB'
  | 'SFD'
  | 'SFE'
  | 'SFF';

/** Values after power-on or SKRESET. */
export const REGISTER_DEFAULTS: Readonly<Record<RegisterName, number | string>> = {
  S02: 0x21,
  S03: 0xffff,
  S07: 0,
  S0A: '00000000',
  S15: 1,
  S16: 86_400,
  S17: 1,
  SA2: 0,
  SFB: 0,
  SFD: 0,
  SFE: 1,
  SFF: 0,
};

const NAME = /^S([0-9A-Fa-f]{1,2})$/;
const HEX = /^[0-9A-Fa-f]{1,16}$/;
const PRINTABLE = /^[\x21-\x7e]+$/;

/** Result of a register write: applied, or the FAIL code the dongle answers. */
export type RegisterWrite = { ok: true } | { ok: false; code: 'ER06' };

/**
 * The register file of one dongle. Read-only registers that the stack computes (frame counter,
 * send restriction) are supplied by `live` at read time.
 */
export class RegisterBank {
  readonly #live: Partial<Record<RegisterName, () => number>>;
  #values: Record<RegisterName, number | string>;

  constructor(live: Partial<Record<RegisterName, () => number>> = {}) {
    this.#live = live;
    this.#values = { ...REGISTER_DEFAULTS };
  }

  /** The register a SKSREG argument names on this model (`S2`, `S02`, `sfe`), or null. */
  lookup(token: string): RegisterDef | null {
    const m = NAME.exec(token);
    if (!m) return null;
    const id = Number.parseInt(m[1]!, 16);
    const def = REGISTERS.find((r) => r.id === id);
    if (!def) return null;
    return def;
  }

  /** The ESREG text of `def` (fixed width, upper-case hex). */
  read(def: RegisterDef): string {
    const name = def.name as RegisterName;
    const live = this.#live[name];
    const value = live ? live() : this.#values[name];
    if (def.kind === 'chars') return String(value);
    return Math.trunc(Number(value)).toString(16).toUpperCase().padStart(def.width, '0');
  }

  /** Apply `SKSREG <reg> <text>`. */
  write(def: RegisterDef, text: string): RegisterWrite {
    if (def.readOnly) return { ok: false, code: 'ER06' };
    const name = def.name as RegisterName;
    if (def.kind === 'chars') {
      if (text.length !== def.width || !PRINTABLE.test(text)) return { ok: false, code: 'ER06' };
      this.#values[name] = text;
      return { ok: true };
    }
    if (def.kind === 'flag') {
      if (text !== '0' && text !== '1') return { ok: false, code: 'ER06' };
      this.#values[name] = Number(text);
      return { ok: true };
    }
    if (!HEX.test(text) || text.length > def.width) return { ok: false, code: 'ER06' };
    const value = Number.parseInt(text, 16);
    if ((def.min !== undefined && value < def.min) || (def.max !== undefined && value > def.max)) {
      return { ok: false, code: 'ER06' };
    }
    this.#values[name] = value;
    return { ok: true };
  }

  /** Current value of a numeric register (live registers included). */
  num(name: Exclude<RegisterName, 'S0A'>): number {
    const live = this.#live[name];
    return live ? live() : Number(this.#values[name]);
  }

  /** Current text of a character register. */
  text(name: 'S0A'): string {
    return String(this.#values[name]);
  }

  /** Set a register from inside the stack (no range check: callers pass valid values). */
  set(name: RegisterName, value: number | string): void {
    this.#values[name] = value;
  }

  /** Back to power-on values; `keep` names registers that survive (e.g. SFE over SKRESET). */
  reset(keep: readonly RegisterName[] = []): void {
    const kept = Object.fromEntries(keep.map((k) => [k, this.#values[k]]));
    this.#values = { ...REGISTER_DEFAULTS, ...kept };
  }

  /** Snapshot of the writable registers, for SKSAVE. */
  snapshot(): Record<string, number | string> {
    const out: Record<string, number | string> = {};
    for (const def of REGISTERS) if (!def.readOnly) out[def.name] = this.#values[def.name as RegisterName];
    return out;
  }

  /** Restore a snapshot made by `snapshot()` (unknown names ignored), for SKLOAD. */
  restore(snapshot: Readonly<Record<string, number | string>>): void {
    for (const def of REGISTERS) {
      const v = snapshot[def.name];
      if (!def.readOnly && v !== undefined) this.#values[def.name as RegisterName] = v;
    }
  }
}
