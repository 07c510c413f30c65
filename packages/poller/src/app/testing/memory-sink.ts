/** A `RowSink` that keeps what it is given, for tests of the loops that feed the store. */
import type { StoreEntry } from '@b-route/store';
import type { RowSink } from '../sink.js';

export function memorySink(): RowSink & { rows: StoreEntry[] } {
  const rows: StoreEntry[] = [];
  return {
    rows,
    add: (kind, row) => void rows.push({ kind, row } as StoreEntry),
    flush: async () => ({ pending: 0, buffered: 0 }),
  };
}
