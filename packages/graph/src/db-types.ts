/**
 * The store's tables as kysely sees them, owned by the poller (migrations/init.sql). Every
 * numeric value the graph queries read is cast to float8 in SQL, so results do not depend on
 * the pool's type parsers.
 */
export type { Database } from '@b-route/store';
