import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DongleFlash } from './flash.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flash-'));
  dirs.push(dir);
  return join(dir, 'sub', 'bp35a1.flash.json');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('DongleFlash', () => {
  it('counts every write and keeps the WOPT mode across instances (power cycles)', () => {
    const file = tempFile();
    const a = new DongleFlash({ file });
    expect(a.opt).toBeUndefined();
    expect(a.writes).toBe(0);
    a.writeOpt(1);
    a.writeOpt(1);
    const b = new DongleFlash({ file });
    expect(b.opt).toBe(1);
    expect(b.writes).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ opt: 1, writes: 2 });
  });

  it('saves and erases registers, each a counted write', () => {
    const flash = new DongleFlash();
    flash.saveRegisters({ S02: 0x2b, SFE: 0 });
    expect(flash.registers).toEqual({ S02: 0x2b, SFE: 0 });
    flash.eraseRegisters();
    expect(flash.registers).toBeUndefined();
    expect(flash.writes).toBe(2);
  });
});
