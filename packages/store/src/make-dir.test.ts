import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir } from './make-dir.js';
import { Spool } from './spool.js';

describe('makeDir', () => {
  it('creates missing parents', async () => {
    const root = await mkdtemp(join(tmpdir(), 'make-dir-'));
    try {
      await makeDir(join(root, 'a', 'b', 'c'));
      await makeDir(join(root, 'a', 'b', 'c'));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('on a read-only file system says EROFS, not ENOENT (as the spool reports it)', async (ctx) => {
    const root = await mkdtemp(join(tmpdir(), 'make-dir-ro-'));
    const mnt = join(root, 'ro');
    await mkdir(mnt);
    try {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', mnt], { stdio: 'pipe' });
      } catch (e) {
        ctx.skip(
          `cannot mount a read-only tmpfs here: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`,
        );
        return;
      }
      try {
        await expect(makeDir(join(mnt, 'data', 'spool'))).rejects.toMatchObject({ code: 'EROFS' });
        await expect(Spool.open({ dir: join(mnt, 'data', 'spool') })).rejects.toThrow(
          /EROFS: read-only file system/,
        );
      } finally {
        execFileSync('umount', ['-l', mnt]);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
