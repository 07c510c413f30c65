import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a dongle keeps in flash across power cycles. */
export interface FlashContents {
  /** ERXUDP data format written by WOPT (0 binary, 1 ASCII hex); absent = factory setting. */
  opt?: 0 | 1;
  /** Registers stored by SKSAVE; absent after SKERASE or when never saved. */
  registers?: Record<string, number | string>;
  /** Number of flash writes so far (WOPT, SKSAVE, SKERASE). Flash survives a limited number. */
  writes: number;
}

export interface DongleFlashOptions {
  /** JSON file that holds the contents; without it the flash lives as long as the object. */
  file?: string;
}

/**
 * The dongle's non-volatile memory. Every write is counted, because WOPT on every start is a
 * classic way to wear out a BP35A1 (the reference tells clients to ROPT first); the count is
 * what tests and the CLI look at.
 */
export class DongleFlash {
  readonly #file: string | undefined;
  #contents: FlashContents;

  constructor(options: DongleFlashOptions = {}) {
    this.#file = options.file;
    this.#contents = this.#file ? readContents(this.#file) : { writes: 0 };
  }

  /** Flash writes since the flash was new (persisted with the contents). */
  get writes(): number {
    return this.#contents.writes;
  }

  get opt(): 0 | 1 | undefined {
    return this.#contents.opt;
  }

  get registers(): Readonly<Record<string, number | string>> | undefined {
    return this.#contents.registers;
  }

  writeOpt(mode: 0 | 1): void {
    this.#contents.opt = mode;
    this.#commit();
  }

  saveRegisters(registers: Record<string, number | string>): void {
    this.#contents.registers = { ...registers };
    this.#commit();
  }

  eraseRegisters(): void {
    delete this.#contents.registers;
    this.#commit();
  }

  #commit(): void {
    this.#contents.writes += 1;
    if (!this.#file) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.#contents, null, 2)}\n`);
    renameSync(tmp, this.#file);
  }
}

function readContents(file: string): FlashContents {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { writes: 0 };
    throw e;
  }
  const raw = JSON.parse(text) as Partial<FlashContents>;
  const out: FlashContents = { writes: typeof raw.writes === 'number' ? raw.writes : 0 };
  if (raw.opt === 0 || raw.opt === 1) out.opt = raw.opt;
  if (raw.registers && typeof raw.registers === 'object') out.registers = raw.registers;
  return out;
}
