import { chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { startEmbedded, stopEmbedded } from './embedded.js';
import { blockedAncestor, serverAccount } from './embedded-process.js';
import { migrate } from './migrate.js';
import { Spool } from './spool.js';
import { isStoreError } from './store-error.js';
import { StoreWriter } from './writer.js';

// A cluster of its own (not the shared test server), since these tests stop and restart it, on
// a port free right now (another test run may be going on in the same work tree).
let PORT: number;
let root: string;
let dir: string;

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  PORT = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  root = await mkdtemp(join(tmpdir(), 'embedded-'));
  await chmod(root, 0o755); // the server's own account must be able to enter it when we are root
  dir = join(root, 'postgres');
});

afterAll(async () => {
  await stopEmbedded({ dir }).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

describe('startEmbedded', () => {
  it('initialises on first use, is found running by concurrent callers, and survives a stop/start', async () => {
    const calls = await Promise.all(
      [1, 2, 3].map(() => startEmbedded({ dir, port: PORT, database: 'power' })),
    );
    expect(calls.filter((s) => s.started)).toHaveLength(1);
    const urls = new Set(calls.map((s) => s.url));
    expect(urls.size).toBe(1);
    const [s] = calls;
    expect(s!.host).toBe('127.0.0.1');
    expect(new URL(s!.url).pathname).toBe('/power');

    const password = (await readFile(join(dir, 'password'), 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect((await stat(join(dir, 'password'))).mode & 0o077).toBe(0);
    expect(s!.url).toContain(encodeURIComponent(password));

    const h = await openDatabase({ embedded: { dir, port: PORT, database: 'power' } });
    expect(h.embedded?.started).toBe(false);
    await migrate(h.db);
    await h.db
      .insertInto('cpu_temperature')
      .values({ sensor: 'pi', time: new Date(0), celsius: 42.5 })
      .execute();
    await h.close();

    // Closing a handle leaves the server up for other processes.
    expect(await query(s!.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);

    expect(await stopEmbedded({ dir })).toBe(true);
    expect(await stopEmbedded({ dir })).toBe(false);
    await expect(query(s!.url, 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const again = await startEmbedded({ dir, port: PORT, database: 'power' });
    expect(again.started).toBe(true);
    expect(again.url).toBe(s!.url);
    expect(await query(again.url, 'SELECT celsius FROM cpu_temperature')).toEqual([{ celsius: 42.5 }]);
  });

  it('listens on 127.0.0.1 only, over TCP only', async () => {
    const s = await startEmbedded({ dir, port: PORT, database: 'power' });
    const rows = await query(
      s.url,
      `SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS sockets`,
    );
    expect(rows).toEqual([{ listen: '127.0.0.1', sockets: '' }]);
  });

  it('names the port when another program holds it', async () => {
    const other = join(root, 'other');
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const { port } = squatter.address() as { port: number };
    try {
      const error = await startEmbedded({ dir: other, port, timeoutMs: 30_000 }).catch((e: unknown) => e);
      expect(isStoreError(error, 'store.embedded')).toBe(true);
      expect((error as Error).message).toContain(`port ${port}`);
      expect((error as Error).message).toContain('embedded_port');
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
      await stopEmbedded({ dir: other }).catch(() => undefined);
    }
  });

  it('says which port the cluster already runs on when started with another', async () => {
    await startEmbedded({ dir, port: PORT });
    const error = await startEmbedded({ dir, port: PORT + 1, timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(isStoreError(error, 'store.embedded')).toBe(true);
    expect((error as Error).message).toContain(`already runs on port ${PORT}`);
  });

  it('rejects a setting that a shell would interpret', async () => {
    const error = await startEmbedded({ dir, port: PORT, settings: { fsync: 'off; rm -rf /' } }).catch(
      (e: unknown) => e,
    );
    expect(isStoreError(error, 'store.config')).toBe(true);
  });
});

describe('the writer across a real server stop', () => {
  it('spools while the embedded server is stopped and writes everything after it is started again', async () => {
    const s = await startEmbedded({ dir, port: PORT, database: 'power' });
    const h = await openDatabase({ url: s.url, connectTimeoutMs: 2000 });
    await migrate(h.db);
    await h.pool.query('TRUNCATE cpu_temperature');
    const spool = await Spool.open({ dir: join(root, 'spool') });
    const writer = new StoreWriter({ db: h.db, spool, timer: () => () => undefined });
    const row = (i: number) => ({
      sensor: 'pi',
      time: new Date(Date.UTC(2025, 0, 1, 0, i)),
      celsius: 40 + i,
    });
    try {
      writer.add('cpu_temperature', row(0));
      expect(await writer.flush()).toMatchObject({ written: 1 });

      expect(await stopEmbedded({ dir })).toBe(true);
      for (let i = 1; i <= 5; i++) writer.add('cpu_temperature', row(i));
      expect(await writer.flush()).toMatchObject({ written: 0, spooled: 5, pending: 5 });
      writer.add('cpu_temperature', row(6));
      expect(await writer.flush()).toMatchObject({ written: 0, spooled: 1, pending: 6 });

      expect((await startEmbedded({ dir, port: PORT, database: 'power' })).started).toBe(true);
      writer.add('cpu_temperature', row(7));
      expect(await writer.flush()).toMatchObject({ written: 7, pending: 0 });
      const rows = await h.db.selectFrom('cpu_temperature').select('celsius').orderBy('time').execute();
      expect(rows.map((r) => r.celsius)).toEqual([40, 41, 42, 43, 44, 45, 46, 47]);
    } finally {
      await writer.close();
      await h.close();
    }
  });
});

describe.runIf(userInfo().uid === 0)('as root', () => {
  it('finds a directory the server account cannot enter', async () => {
    const account = await serverAccount('postgres', false);
    expect(account).toBeDefined();
    const closed = join(root, 'closed');
    await mkdir(join(closed, 'inner'), { recursive: true });
    await chmod(closed, 0o700);
    expect(await blockedAncestor(join(closed, 'inner', 'postgres'), account!)).toBe(closed);
    expect(await blockedAncestor(join(root, 'postgres'), account!)).toBeUndefined();
  });

  it('refuses to start a cluster the server account cannot reach, saying which directory blocks it', async () => {
    const closed = join(root, 'closed2');
    await mkdir(closed, { recursive: true });
    await chmod(closed, 0o700);
    const error = await startEmbedded({ dir: join(closed, 'postgres'), port: PORT + 2 }).catch(
      (e: unknown) => e,
    );
    expect(isStoreError(error, 'store.embedded')).toBe(true);
    expect((error as Error).message).toContain(`cannot enter ${closed}`);
  });
});
