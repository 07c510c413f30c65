/**
 * Where the application puts rows: the store's `StoreWriter` (batched, spooled to disk while
 * PostgreSQL is away), or anything with the same two methods.
 */
import type { RowKind, StoreEntry, StoreRows } from '@b-route/store';

export interface RowSink {
  add<K extends RowKind>(kind: K, row: StoreRows[K]): void;
  /** Writes what waits; `pending`/`buffered` > 0 afterwards means the database is away. */
  flush(): Promise<{ readonly pending: number; readonly buffered: number }>;
}

export function put(sink: RowSink, entry: StoreEntry | undefined): void {
  if (!entry) return;
  (sink.add as (kind: RowKind, row: unknown) => void)(entry.kind, entry.row);
}
