import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeTarget, isConnectionError, openDatabase, toStoreError } from './db.js';
import { isStoreError, StoreError } from './store-error.js';
import { withTestDatabase } from './testing/test-db.js';

/** A port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('openDatabase', () => {
  it('turns a refused connection into one line naming host:port, never the password', async () => {
    const port = await deadPort();
    const error = await openDatabase({ url: `postgres://me:s3cr3t-pw@127.0.0.1:${port}/power` }).catch(
      (e: unknown) => e,
    );
    expect(isStoreError(error, 'store.unreachable')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`127.0.0.1:${port}/power`);
    expect(message).not.toContain('s3cr3t-pw');
    expect(message).not.toContain('\n');
    expect(JSON.stringify((error as StoreError).context)).not.toContain('s3cr3t-pw');
    expect((error as StoreError).isRetryable()).toBe(true);
  });

  it('reports a wrong password as store.auth without echoing it', async () => {
    await withTestDatabase(async (t) => {
      const u = new URL(t.url);
      u.password = 'wrong-password-123';
      const error = await openDatabase({ url: u.toString() }).catch((e: unknown) => e);
      expect(isStoreError(error, 'store.auth')).toBe(true);
      expect((error as Error).message).toContain(`127.0.0.1:${u.port}/${t.name}`);
      expect((error as Error).message).not.toContain('wrong-password-123');
    });
  });

  it('returns numeric and bigint columns as numbers, timestamptz as Date', async () => {
    await withTestDatabase(async (t) => {
      await t.db
        .insertInto('energy_reading')
        .values({
          meter: '001C6400601421A3',
          time: new Date('2025-01-01T00:00:00Z'),
          normal_kwh: '12345.6',
          normal_count: 123456,
          reverse_kwh: null,
          reverse_count: '99999999',
          coefficient: 1,
          unit_kwh: 0.1,
        })
        .execute();
      const row = await t.db.selectFrom('energy_reading').selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        normal_kwh: 12345.6,
        normal_count: 123456,
        reverse_count: 99999999,
        unit_kwh: 0.1,
      });
      expect(row.time).toEqual(new Date('2025-01-01T00:00:00Z'));
      const { rows } = await t.pool.query('SELECT count(*) AS n FROM energy_reading');
      expect(rows[0].n).toBe(1);
    });
  });

  it('close() is idempotent', async () => {
    await withTestDatabase(async (t) => {
      const h = await openDatabase({ url: t.url });
      await h.close();
      await h.close();
      expect(h.target).toBe(`127.0.0.1:${new URL(t.url).port}/${t.name}`);
    });
  });
});

describe('describeTarget', () => {
  it.each([
    ['postgres://u:p@db.example:6543/power', 'db.example:6543/power'],
    ['postgresql://u@localhost/power', 'localhost:5432/power'],
    ['postgres:///power?host=/run/postgresql', '/run/postgresql:5432/power'],
    ['postgres://u:p@10.0.0.2', '10.0.0.2:5432/(default)'],
  ])('%s → %s', (url, target) => {
    expect(describeTarget(url)).toBe(target);
  });

  it('rejects what is not a postgres URL without echoing it', () => {
    for (const url of ['mysql://u:topsecret@h/db', 'not a url topsecret']) {
      const error = (() => {
        try {
          describeTarget(url);
        } catch (e) {
          return e;
        }
      })();
      expect(isStoreError(error, 'store.config')).toBe(true);
      expect((error as Error).message).not.toContain('topsecret');
    }
  });
});

describe('isConnectionError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '57P03', message: 'the database system is starting up' }, true],
    [{ code: '08006' }, true],
    [new Error('Connection terminated unexpectedly'), true],
    [Object.assign(new AggregateError([{ code: 'ECONNREFUSED' }]), {}), true],
    [new StoreError('store.unreachable', 'x'), true],
    [{ code: '23505', message: 'duplicate key' }, false],
    [{ code: '22P02', message: 'invalid input syntax' }, false],
    [new StoreError('store.auth', 'x'), false],
    [undefined, false],
  ])('%o → %s', (e, expected) => {
    expect(isConnectionError(e)).toBe(expected);
  });

  it('toStoreError leaves statement errors alone', () => {
    const e = { code: '23505', message: 'duplicate key' };
    expect(toStoreError(e, 'h:1/db')).toBe(e);
  });
});
