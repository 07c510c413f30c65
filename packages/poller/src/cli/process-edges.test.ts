/**
 * The `start` process at its edges (issue 14, items 3, 4 and 7), as its own process receiving
 * real signals: SIGUSR1 and SIGTERM while it is still starting, and a log pipe whose reader
 * goes away.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbedded, stopEmbedded } from '@b-route/store';
import { createTestDatabase, type TestDatabase } from '@b-route/store/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let dir: string;
let db: TestDatabase;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poller-edges-'));
  await chmod(dir, 0o755); // the embedded server's own account must be able to enter it
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const running: ChildProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

interface Cli {
  readonly proc: ChildProcess;
  readonly stderr: () => string;
  waitFor(re: RegExp): Promise<void>;
  readonly exit: Promise<number | null>;
}

function start(args: string[], env: Record<string, string> = {}): Cli {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: PACKAGE,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, INIT_CWD: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  let err = '';
  const waiters: (() => void)[] = [];
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  proc.stdout!.resume();
  const exit = new Promise<number | null>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  return {
    proc,
    stderr: () => err,
    exit,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (re.test(err)) resolve();
          else if (proc.exitCode !== null || proc.signalCode !== null)
            reject(new Error(`exited (${proc.exitCode ?? proc.signalCode}) before ${re}: ${err}`));
          else waiters.push(check);
        };
        check();
        void exit.then(() => waiters.length > 0 && check());
      }),
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** A "database" that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function powerRows(): Promise<number> {
  const r = await db.db
    .selectFrom('power_sample')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

describe('start, signals during start-up', () => {
  it('SIGUSR1 while the store opens does not open the inspector; the poller runs on and stops with 0', async () => {
    const silent = await silentServer();
    try {
      const cli = start(['--simulate', '--speed', '60'], {
        DATABASE_URL: `postgres://u:pw@127.0.0.1:${silent.port}/db`,
        B_ROUTE_PASSWORD: 'Secret-Pw-12',
      });
      // The logger is up, the store is waiting on the silent server: the old toggle was not yet there.
      await cli.waitFor(/no configuration file/);
      cli.proc.kill('SIGUSR1');
      cli.proc.kill('SIGUSR1');
      await cli.waitFor(/"msg":"poller starting"/);
      cli.proc.kill('SIGTERM');
      expect(await cli.exit).toBe(0);
      expect(cli.stderr()).not.toMatch(/Debugger listening/);
      const listening = execFileSync('ss', ['-ltnpH', 'sport = :9229'], { encoding: 'utf8' });
      expect(listening).not.toContain(`pid=${cli.proc.pid},`);
    } finally {
      await silent.close();
    }
  });

  it('SIGTERM during initdb: says so, exits 143, leaves no scratch cluster, password file or lock', async () => {
    const data = join(dir, 'data-term');
    const port = await freePort();
    await writeFile(join(dir, 'term.ini'), `[database]\ndata_dir = ${data}\nembedded_port = ${port}\n`);
    const cli = start(['--simulate', '--config', join(dir, 'term.ini')]);
    await cli.waitFor(/initialising the embedded PostgreSQL cluster/);
    cli.proc.kill('SIGTERM');
    expect(await cli.exit).toBe(143);
    expect(cli.stderr()).toContain('start: SIGTERM during start-up: stopped');
    const left = await readdir(join(data, 'postgres'));
    expect(left.filter((n) => /^(pgdata\.init-|\.pwfile-|\.lock$)/.test(n))).toEqual([]);
  });

  it('after a kill -9 during initdb, the next start removes the leftovers', async () => {
    const data = join(dir, 'data-kill');
    const port = await freePort();
    await writeFile(join(dir, 'kill.ini'), `[database]\ndata_dir = ${data}\nembedded_port = ${port}\n`);
    const cli = start(['--simulate', '--config', join(dir, 'kill.ini')]);
    await cli.waitFor(/initialising the embedded PostgreSQL cluster/);
    cli.proc.kill('SIGKILL');
    await cli.exit;
    const pgDir = join(data, 'postgres');
    const leftovers = (await readdir(pgDir)).filter((n) => /^(pgdata\.init-|\.pwfile-|\.lock$)/.test(n));
    expect(leftovers).toContain('.lock');
    expect(leftovers.some((n) => n.startsWith('pgdata.init-'))).toBe(true);
    // The orphaned initdb may still be writing; let it end before the next start.
    const scratch = join(pgDir, `pgdata.init-${cli.proc.pid}`);
    while (spawnSyncQuiet('pgrep', ['-f', scratch])) await new Promise((r) => setTimeout(r, 100));
    await mkdir(pgDir, { recursive: true });
    try {
      await startEmbedded({ dir: pgDir, port, database: 'power' });
      expect((await readdir(pgDir)).filter((n) => /^(pgdata\.init-|\.pwfile-|\.lock$)/.test(n))).toEqual([]);
    } finally {
      await stopEmbedded({ dir: pgDir });
    }
  });
});

function spawnSyncQuiet(file: string, args: string[]): boolean {
  try {
    execFileSync(file, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('start, a broken log pipe', () => {
  it('keeps reading the meter into PostgreSQL after the reader of its log went away', async () => {
    const cli = start(['--simulate', '--speed', '600', '--seed', '21'], { DATABASE_URL: db.url });
    await cli.waitFor(/"msg":"poller starting"/);
    cli.proc.stderr!.destroy(); // `| head -2` exiting
    const before = await powerRows();
    for (;;) {
      if (cli.proc.exitCode !== null) break;
      if ((await powerRows()) >= before + 5) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(cli.proc.exitCode).toBeNull();
    cli.proc.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });
});
