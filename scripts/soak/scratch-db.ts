/**
 * A throw-away database on the embedded PostgreSQL: `soak_<pid>` is created on the server of
 * `dir` (started if needed) and dropped again by `close()` unless `keep` is set.
 */
import { openDatabase, startEmbedded } from '@b-route/store';

export interface ScratchDatabase {
  /** Connection URL (holds the server's password: never print it). */
  readonly url: string;
  /** The database's name. */
  readonly name: string;
  close(): Promise<void>;
}

export interface ScratchDatabaseOptions {
  /** The embedded cluster's directory, e.g. `<repo>/data/postgres`. */
  readonly dir: string;
  /** Default: the embedded default port. */
  readonly port?: number;
  /** Default `soak_<pid>`. */
  readonly name?: string;
  /** Leave the database in place on close. Default false. */
  readonly keep?: boolean;
}

export async function embeddedScratchDatabase(options: ScratchDatabaseOptions): Promise<ScratchDatabase> {
  const name = options.name ?? `soak_${process.pid}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`bad database name "${name}"`);
  const server = await startEmbedded({
    dir: options.dir,
    database: name,
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    name,
    close: () => {
      closing ??= (async () => {
        if (options.keep) return;
        const admin = await openDatabase({ url: server.urlFor('postgres'), maxConnections: 1 });
        try {
          await admin.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await admin.close();
        }
      })();
      return closing;
    },
  };
}
