import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrate, withoutPsqlMetaCommands } from './migrate.js';
import { createLegacySchema } from './testing/legacy-schema.js';
import { withTestDatabase } from './testing/test-db.js';

const PSQL = '/usr/bin/psql';
const hasPsql = existsSync(PSQL);
const INIT = join(DEFAULT_MIGRATIONS_DIR, 'init.sql');

/** psql as the README runs it: no -v ON_ERROR_STOP, no -1. */
async function plainPsql(url: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(PSQL, ['-q', '-X', '-f', INIT, url]);
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, stderr: err.stderr };
  }
}

describe('init.sql on a database of the original power-consumption', () => {
  it.skipIf(!hasPsql)('plain psql -f moves its scan_log to schema legacy and builds ours', async () => {
    await withTestDatabase(
      async (t) => {
        await createLegacySchema(t.pool);
        await t.pool.query(
          `INSERT INTO scan_log (channel, channel_page, pan_id, addr, lqi, pair_id) VALUES (59, 9, 4660, '001C640000000001', 80, 'ABCD')`,
        );
        const { code, stderr } = await plainPsql(t.url);
        expect(code).toBe(0);
        expect(stderr).toMatch(/moved the original power-consumption's scan_log to legacy\.scan_log/);
        const { rows } = await t.pool.query('SELECT addr FROM legacy.scan_log');
        expect(rows).toEqual([{ addr: '001C640000000001' }]);
        const ours = await t.pool.query(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'scan_log' ORDER BY ordinal_position`,
        );
        expect(ours.rows.map((r) => r.column_name)).toContain('address');
        // Its other tables are left where they were.
        expect((await t.pool.query('SELECT count(*)::int AS n FROM public.power_log')).rows).toEqual([
          { n: 0 },
        ]);
        // A second run finds nothing to move and changes nothing.
        expect((await plainPsql(t.url)).code).toBe(0);
        expect((await migrate(t.db)).applied).not.toContain(1);
      },
      { migrate: false },
    );
  });

  it('the poller migrate() does the same (it skips psql meta-commands)', async () => {
    await withTestDatabase(
      async (t) => {
        await createLegacySchema(t.pool);
        expect((await migrate(t.db)).applied[0]).toBe(1);
        expect(
          (await t.pool.query(`SELECT to_regclass('legacy.scan_log') IS NOT NULL AS moved`)).rows,
        ).toEqual([{ moved: true }]);
      },
      { migrate: false },
    );
  });

  it.skipIf(!hasPsql)('plain psql -f stops at the first error and records no version', async () => {
    await withTestDatabase(
      async (t) => {
        // A table of ours with other columns: the index on power_sample (time) cannot be built.
        await t.pool.query('CREATE TABLE power_sample (meter text, at timestamptz)');
        const { code, stderr } = await plainPsql(t.url);
        expect(code).not.toBe(0);
        expect(stderr).toMatch(/column "time" does not exist/);
        const { rows } = await t.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
        expect(rows).toEqual([{ n: 0 }]);
      },
      { migrate: false },
    );
  });

  it('withoutPsqlMetaCommands keeps line numbers', () => {
    const sql = 'SELECT 1;\n\\set ON_ERROR_STOP on\n  \\echo hi\nSELECT 2;';
    expect(withoutPsqlMetaCommands(sql)).toBe('SELECT 1;\n--\n--\nSELECT 2;');
  });
});
