import { StoreError } from '@b-route/store';
import { describe, expect, it } from 'vitest';
import { toGraphDbError } from './charts.js';
import { GraphError } from './errors.js';

const codeOf = (e: unknown): string | undefined => {
  const g = toGraphDbError(e);
  return g instanceof GraphError ? g.code : undefined;
};

describe('toGraphDbError', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    [{ code: 'ENOENT', message: 'connect ENOENT /run/postgresql/.s.PGSQL.5432' }],
    [{ code: '57P03', message: 'the database system is starting up' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '28P01', message: 'password authentication failed for user "b"' }],
    [{ code: '3D000', message: 'database "x" does not exist' }],
    [new Error('Connection terminated unexpectedly')],
    [new AggregateError([{ code: 'ENOENT' }, { code: 'ECONNREFUSED' }])],
    [new StoreError('store.auth', 'PostgreSQL at h:1/db refused us')],
  ])('reports %o as db.unreachable', (e) => {
    expect(codeOf(e)).toBe('db.unreachable');
  });

  it('reports statement errors as db.query, a missing table with a hint', () => {
    expect(codeOf({ code: '23505', message: 'duplicate key' })).toBe('db.query');
    expect(codeOf(new StoreError('store.migration', 'x'))).toBe('db.query');
    const missing = toGraphDbError({ code: '42P01', message: 'relation "power_sample" does not exist' });
    expect((missing as GraphError).message).toMatch(/no B-route tables/);
  });

  it('keeps the store message, adds a prefix to a driver message', () => {
    expect(
      (toGraphDbError(new StoreError('store.unreachable', 'cannot reach h:1/db')) as Error).message,
    ).toBe('cannot reach h:1/db');
    expect((toGraphDbError({ code: 'ECONNREFUSED', message: 'connect refused' }) as Error).message).toBe(
      'cannot reach the database: connect refused',
    );
  });
});
