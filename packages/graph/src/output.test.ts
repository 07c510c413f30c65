import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isGraphError } from './errors.js';
import { openOutput, resolveOutputPath } from './output.js';

const dir = mkdtempSync(join(tmpdir(), 'graph-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveOutputPath', () => {
  it('defaults to the name in cwd and puts the name inside a directory', async () => {
    expect(await resolveOutputPath(undefined, 'power_2024-06-01.png', dir)).toBe(
      join(dir, 'power_2024-06-01.png'),
    );
    mkdirSync(join(dir, 'charts'));
    expect(await resolveOutputPath('charts', 'p.png', dir)).toBe(join(dir, 'charts', 'p.png'));
    expect(await resolveOutputPath('new-dir/', 'p.png', dir)).toBe(join(dir, 'new-dir', 'p.png'));
    expect(await resolveOutputPath('x.png', 'p.png', dir)).toBe(join(dir, 'x.png'));
    expect(await resolveOutputPath('/abs/x.png', 'p.png', dir)).toBe('/abs/x.png');
  });
});

describe('openOutput', () => {
  it('writes through a temporary file and leaves only the destination', async () => {
    const path = join(dir, 'a.png');
    writeFileSync(path, 'old');
    const out = await openOutput(path);
    expect(readdirSync(dir).some((f) => f.startsWith('.a.png.') && f.endsWith('.tmp'))).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('old');
    await out.commit(new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves nothing behind when discarded', async () => {
    const out = await openOutput(join(dir, 'b.png'));
    await out.discard();
    await out.discard();
    expect(readdirSync(dir).filter((f) => f.startsWith('.b.png') || f === 'b.png')).toEqual([]);
  });

  it('fails up front with output.unwritable for a missing directory, a file as directory, a directory as file', async () => {
    writeFileSync(join(dir, 'plain'), '');
    mkdirSync(join(dir, 'adir'));
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing', 'x.png'), /does not exist/],
      [join(dir, 'plain', 'x.png'), /not a directory/],
      [join(dir, 'adir'), /is a directory/],
    ];
    for (const [path, why] of cases) {
      let error: unknown;
      try {
        await openOutput(path);
      } catch (e) {
        error = e;
      }
      expect(isGraphError(error, 'output.unwritable'), path).toBe(true);
      expect((error as Error).message).toMatch(why);
      expect((error as Error).message).toContain(path);
    }
  });

  it('says a virtual file system does not allow new files, instead of "does not exist"', async () => {
    await expect(openOutput('/proc/x.png')).rejects.toThrow(/\/proc does not allow new files/);
  });

  it('removes the temporary files of renders that were killed, and only theirs', async () => {
    const sub = join(dir, 'sweep');
    mkdirSync(sub);
    const dead = spawnSync('true').pid!; // a pid that has just ended
    const stale = `.c.png.${dead}.0badf00d.tmp`;
    const live = `.c.png.${process.ppid}.00c0ffee.tmp`; // a process that is running
    writeFileSync(join(sub, stale), '');
    writeFileSync(join(sub, live), '');
    const out = await openOutput(join(sub, 'c.png'));
    await out.discard();
    expect(readdirSync(sub).sort()).toEqual([live]);
  });
});
