/**
 * Ctrl-C (SIGINT) during a render: the command is its own process, stopped while it waits for a
 * database that does not answer, after it created the temporary PNG beside the destination.
 * Nothing may be left behind (issue 14, item 8).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const MAIN = join(here, 'main.ts');
const work = mkdtempSync(join(tmpdir(), 'graph-int-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('graph interrupted during a render', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s leaves no temporary file', async (signal) => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s.on('error', () => undefined)));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const out = join(work, `${signal}.png`);
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'power', '-o', out], {
        cwd: join(here, '../..'),
        env: { ...process.env, INIT_CWD: work, DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/db` },
        stdio: 'ignore',
      });
      const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      // The temporary file exists once the command is waiting on the database.
      while (sockets.length === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(work).some((f) => f.endsWith('.tmp'))).toBe(true);
      child.kill(signal);
      expect(await exit).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
