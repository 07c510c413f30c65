import { checkNone, checkWopt } from './command-args.js';
import type { DongleOutput } from './dongle-output.js';
import type { DongleFlash } from './flash.js';
import type { DongleProfile } from './models.js';
import type { RegisterBank } from './registers.js';

/** What the settings commands touch. */
export interface SettingsHost {
  readonly out: DongleOutput;
  readonly registers: RegisterBank;
  readonly flash: DongleFlash;
  readonly profile: DongleProfile;
}

/** `SKSREG <reg>` → `ESREG <value>`, `OK`; `SKSREG <reg> <value>` → `OK`. */
export function sreg(host: SettingsHost, args: readonly string[]): void {
  const { out, registers } = host;
  if (args.length < 1 || args.length > 2) {
    out.fail('ER05');
    return;
  }
  const def = registers.lookup(args[0]!);
  if (!def) {
    out.fail('ER06');
  } else if (args.length === 1) {
    out.out({ type: 'esreg', value: registers.read(def) });
    out.ok();
  } else {
    const result = registers.write(def, args[1]!);
    if (result.ok) out.ok();
    else out.fail(result.code);
  }
}

/**
 * ROHM product-setting commands ROPT/WOPT: the ERXUDP data format, kept in flash. BP35A1
 * answers them with CR only (`OK 01\r`); stacks without them answer ER04.
 */
export function productSetting(host: SettingsHost, name: 'ROPT' | 'WOPT', args: readonly string[]): void {
  const { out, flash } = host;
  const opt = host.profile.opt;
  if (opt === null) {
    out.fail('ER04');
    return;
  }
  const lineEnd = opt.crOnly ? 'cr' : 'crlf';
  if (name === 'ROPT') {
    if (args.length !== 0) out.fail('ER05');
    else out.ok((flash.opt ?? opt.defaultMode) === 1 ? '01' : '00', lineEnd);
    return;
  }
  const mode = checkWopt(args);
  if (!mode.ok) {
    out.fail(mode.code);
    return;
  }
  flash.writeOpt(mode.value);
  out.ok(undefined, lineEnd);
}

/** SKSAVE / SKLOAD / SKERASE: the registers in flash (SKLOAD fails ER10 when nothing is saved). */
export function flashCommand(
  host: SettingsHost,
  name: 'SKSAVE' | 'SKLOAD' | 'SKERASE',
  args: readonly string[],
): void {
  const { out, flash, registers } = host;
  const none = checkNone(args);
  if (!none.ok) {
    out.fail(none.code);
    return;
  }
  if (name === 'SKSAVE') flash.saveRegisters(registers.snapshot());
  else if (name === 'SKERASE') flash.eraseRegisters();
  else if (flash.registers) registers.restore(flash.registers);
  else {
    out.fail('ER10');
    return;
  }
  out.ok();
}
