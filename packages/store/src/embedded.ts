/**
 * The embedded default: with no database configured, the poller and the graph commands share a
 * real PostgreSQL whose cluster lives under `./data/postgres`, listening on 127.0.0.1 only.
 *
 * Lifecycle, chosen for robustness: the first process that needs the server starts it with
 * `pg_ctl start`, which detaches it (own session) so it outlives that process; every later
 * process, including a second one starting at the same moment, finds it answering and just
 * connects. Nobody stops it on exit: counting clients across processes breaks when one crashes,
 * an idle PostgreSQL costs a few MB, and keeping it up across poller restarts means no spooling
 * while the poller restarts. `stopEmbedded()` stops it explicitly (tests, the demo, uninstall).
 *
 * Layout of `dir`: `pgdata/` (the cluster), `password` (mode 0600, generated at initialisation),
 * `.lock` (held while initialising or starting). The server writes its logs to
 * `pgdata/log/postgresql-<weekday>.log` (a week of files, overwritten) and startup messages
 * to `pgdata/startup.log`.
 */
import { randomBytes } from 'node:crypto';
import {
  appendFile,
  chmod,
  chown,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { sweepEmbeddedLeftovers } from './embedded-leftovers.js';
import {
  blockedAncestor,
  postgresBinaries,
  runTool,
  type ServerAccount,
  serverAccount,
} from './embedded-process.js';
import { removeOnExit } from './exit-cleanup.js';
import { withFileLock } from './file-lock.js';
import { type StoreLogger, silentLogger } from './logger.js';
import { StoreError } from './store-error.js';

export const EMBEDDED_DEFAULT_PORT = 54329;
export const EMBEDDED_DEFAULT_DATABASE = 'power_consumption';
const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';

export interface EmbeddedOptions {
  /** Directory holding the cluster and its password; default `./data/postgres` (from the cwd). */
  readonly dir?: string;
  /** TCP port on 127.0.0.1; default 54329. */
  readonly port?: number;
  /** Database created (when missing) and named in the returned URL; default 'power_consumption'. */
  readonly database?: string;
  /** When this process is root: the OS account the server runs as; default 'postgres'. */
  readonly systemUser?: string;
  /** When this process is root: create `systemUser` if missing (changes the host); default true. */
  readonly createSystemUser?: boolean;
  /**
   * Extra server settings (`-c name=value`) used when this call starts the server, e.g.
   * `{ fsync: 'off' }` for tests. Names and values: letters, digits, `_` and `.` only.
   */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long to wait for initdb + start, or for another process doing it; default 120 000 ms. */
  readonly timeoutMs?: number;
  readonly logger?: StoreLogger;
}

export interface EmbeddedServer {
  /** Connection URL of `database` (holds the generated password: never log it). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Absolute path of the directory given as `dir`. */
  readonly dir: string;
  /** True when this call started the server; false when it was already running. */
  readonly started: boolean;
  /** URL of another database of the same server (for example 'postgres' to create databases). */
  urlFor(database: string): string;
}

/**
 * Makes sure the embedded server runs (initialising the cluster on first use) and that
 * `database` exists; returns how to connect. Safe to call from several processes at once.
 * @throws StoreError 'store.embedded' when it cannot initialise or start the server (the message
 *   says why: port taken, directory not reachable by the server's account, …).
 */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const o = resolveOptions(options);
  await sweepEmbeddedLeftovers(o.dir, o.logger);
  let started = false;
  let password = await readPassword(o.dir);
  if (password === undefined || (await probe(o, password)) !== 'up') {
    await mkdir(o.dir, { recursive: true });
    password = await withFileLock(
      join(o.dir, '.lock'),
      async () => {
        const known = await readPassword(o.dir);
        if (known !== undefined && (await probe(o, known)) === 'up') return known;
        const account = await serverAccount(o.systemUser, o.createSystemUser);
        await prepareDir(o, account);
        const fresh = (await exists(join(o.dir, 'pgdata', 'PG_VERSION')))
          ? undefined
          : await initialise(o, account);
        const pw = fresh ?? known;
        if (pw === undefined) {
          throw new StoreError(
            'store.embedded',
            `${join(o.dir, 'password')} is missing: the cluster in ${o.dir} cannot be opened without it`,
          );
        }
        started = await start(o, account, pw);
        return pw;
      },
      { timeoutMs: o.timeoutMs },
    );
  }
  const pw = password;
  await ensureDatabase(o, pw);
  const urlFor = (database: string): string =>
    `postgres://${SUPERUSER}:${encodeURIComponent(pw)}@${HOST}:${o.port}/${encodeURIComponent(database)}`;
  return {
    url: urlFor(o.database),
    host: HOST,
    port: o.port,
    database: o.database,
    dir: o.dir,
    started,
    urlFor,
  };
}

/**
 * Stops the embedded server of `dir` (fast shutdown: open sessions are ended, committed data is
 * kept). Resolves true when it was running, false when it was not.
 * @throws StoreError 'store.embedded' when pg_ctl fails.
 */
export async function stopEmbedded(
  options: Pick<EmbeddedOptions, 'dir' | 'systemUser'> = {},
): Promise<boolean> {
  const dir = resolve(options.dir ?? join('data', 'postgres'));
  const pgdata = join(dir, 'pgdata');
  if (!(await exists(join(pgdata, 'postmaster.pid')))) return false;
  const account = await serverAccount(options.systemUser ?? 'postgres', false);
  const { pgCtl } = await postgresBinaries();
  const status = await runTool(pgCtl, ['status', '-D', pgdata], account);
  if (status.code === 3) return false; // pg_ctl: "no server running"
  const result = await runTool(pgCtl, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60', '-s'], account);
  if (result.code !== 0) {
    throw new StoreError('store.embedded', `pg_ctl stop failed for ${pgdata}: ${lastLines(result.output)}`);
  }
  return true;
}

interface ResolvedOptions {
  readonly dir: string;
  readonly port: number;
  readonly database: string;
  readonly systemUser: string;
  readonly createSystemUser: boolean;
  readonly settings: readonly string[];
  readonly timeoutMs: number;
  readonly logger: StoreLogger;
}

function resolveOptions(options: EmbeddedOptions): ResolvedOptions {
  const port = options.port ?? EMBEDDED_DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StoreError('store.config', `embedded PostgreSQL port ${port} is not a TCP port (1–65535)`);
  }
  const settings: string[] = [];
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    // pg_ctl hands -o to a shell: allow nothing that a shell would interpret.
    if (!/^[A-Za-z0-9_.]+$/.test(name) || !/^[A-Za-z0-9_.]+$/.test(value)) {
      throw new StoreError(
        'store.config',
        `embedded PostgreSQL setting ${name} has characters outside [A-Za-z0-9_.]`,
      );
    }
    settings.push(`-c ${name}=${value}`);
  }
  return {
    settings,
    dir: resolve(options.dir ?? join('data', 'postgres')),
    port,
    database: options.database ?? EMBEDDED_DEFAULT_DATABASE,
    systemUser: options.systemUser ?? 'postgres',
    createSystemUser: options.createSystemUser ?? true,
    timeoutMs: options.timeoutMs ?? 120_000,
    logger: options.logger ?? silentLogger,
  };
}

type Probe = 'up' | 'down' | 'starting' | 'refused-login';

/** Whether our server answers on the port, and whether it knows our password. */
async function probe(o: ResolvedOptions, password: string): Promise<Probe> {
  const client = new pg.Client({
    host: HOST,
    port: o.port,
    user: SUPERUSER,
    password,
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'up';
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === '57P03') return 'starting';
    if (code === '28P01' || code === '28000') return 'refused-login';
    return 'down';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function prepareDir(o: ResolvedOptions, account: ServerAccount | undefined): Promise<void> {
  if (!account) {
    await chmod(o.dir, 0o700);
    return;
  }
  // The server's account must be able to walk down to pgdata; root keeps the password file.
  await chmod(o.dir, 0o711);
  const blocked =
    (await blockedAncestor(o.dir, account)) ??
    (await blockedAncestor((await postgresBinaries()).postgres, account));
  if (blocked) {
    throw new StoreError(
      'store.embedded',
      `the PostgreSQL server runs as OS user "${account.name}", which cannot enter ${blocked}: ` +
        `set [database] data_dir to a directory it can reach, or make ${blocked} searchable (chmod o+x)`,
      { context: { blocked, user: account.name } },
    );
  }
}

/** initdb into a scratch directory, then rename: a crash mid-way never leaves a half cluster. */
async function initialise(o: ResolvedOptions, account: ServerAccount | undefined): Promise<string> {
  const { initdb } = await postgresBinaries();
  const password = randomBytes(18).toString('base64url');
  const scratch = join(o.dir, `pgdata.init-${process.pid}`);
  const pwfile = join(o.dir, `.pwfile-${process.pid}`);
  const forgetScratch = removeOnExit(scratch);
  const forgetPwfile = removeOnExit(pwfile);
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { mode: 0o700 });
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) {
    await chown(scratch, account.uid, account.gid);
    await chown(pwfile, account.uid, account.gid);
  }
  o.logger.info({ dir: o.dir }, 'initialising the embedded PostgreSQL cluster');
  try {
    const result = await runTool(
      initdb,
      [
        `--pgdata=${scratch}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      account,
    );
    if (result.code !== 0) {
      throw new StoreError('store.embedded', `initdb failed in ${o.dir}: ${lastLines(result.output)}`);
    }
  } finally {
    await rm(pwfile, { force: true });
    forgetPwfile();
  }
  await appendFile(
    join(scratch, 'postgresql.conf'),
    [
      '',
      '# Embedded server of the B-route poller: local TCP only, logs rotate over a week.',
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      'logging_collector = on',
      "log_directory = 'log'",
      "log_filename = 'postgresql-%a.log'",
      'log_truncate_on_rotation = on',
      'log_rotation_age = 1d',
      'log_rotation_size = 0',
      '',
    ].join('\n'),
  );
  // The password goes in place first: a crash before the rename leaves no cluster, and the next
  // start initialises again with a new password.
  await writeFile(join(o.dir, 'password'), `${password}\n`, { mode: 0o600 });
  await rm(join(o.dir, 'pgdata'), { recursive: true, force: true });
  await rename(scratch, join(o.dir, 'pgdata'));
  forgetScratch();
  return password;
}

/** Starts the server; resolves false when it turned out to be running already (e.g. recovering). */
async function start(
  o: ResolvedOptions,
  account: ServerAccount | undefined,
  password: string,
): Promise<boolean> {
  const { pgCtl } = await postgresBinaries();
  const pgdata = join(o.dir, 'pgdata');
  const timeoutS = Math.max(1, Math.ceil(o.timeoutMs / 1000));
  o.logger.info({ dir: o.dir, port: o.port }, 'starting the embedded PostgreSQL server');
  const result = await runTool(
    pgCtl,
    [
      'start',
      '-D',
      pgdata,
      '-l',
      join(pgdata, 'startup.log'),
      '-w',
      '-t',
      String(timeoutS),
      '-s',
      '-o',
      [`-p ${o.port}`, ...o.settings].join(' '),
    ],
    account,
  );
  if (result.code === 0) {
    if ((await probe(o, password)) === 'up') return true;
    throw refusedLogin(o);
  }
  const runningPort = await postmasterPort(pgdata);
  if (runningPort === o.port) {
    // Already running from this directory, still starting up (crash recovery after a power cut).
    const deadline = Date.now() + o.timeoutMs;
    for (;;) {
      const state = await probe(o, password);
      if (state === 'up') return false;
      if (state === 'refused-login') throw refusedLogin(o);
      if (Date.now() > deadline) break;
      await sleep(250);
    }
  }
  if (runningPort !== undefined && runningPort !== o.port) {
    throw new StoreError(
      'store.embedded',
      `the embedded PostgreSQL in ${o.dir} already runs on port ${runningPort}, not ${o.port}: ` +
        `set [database] embedded_port = ${runningPort} or stop it first`,
      { context: { port: o.port, runningPort } },
    );
  }
  const log = await recentServerLog(pgdata);
  const inUse = /could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(log);
  throw new StoreError(
    'store.embedded',
    inUse
      ? `port ${o.port} on ${HOST} is used by another program: set [database] embedded_port to a free port`
      : `the embedded PostgreSQL in ${o.dir} did not start: ${lastLines(log || result.output)} (logs in ${join(pgdata, 'log')})`,
    { context: { port: o.port } },
  );
}

/**
 * The last lines the server wrote: startup.log gets what precedes the logging collector, the
 * newest file of log/ what follows (a port that cannot be bound shows up in either, by version).
 */
async function recentServerLog(pgdata: string): Promise<string> {
  const tail = (text: string): string => text.trim().split('\n').slice(-8).join('\n');
  let text = tail(await readFile(join(pgdata, 'startup.log'), 'utf8').catch(() => ''));
  try {
    const dir = join(pgdata, 'log');
    const files = await Promise.all(
      (await readdir(dir)).map(async (f) => ({ f, t: (await stat(join(dir, f))).mtimeMs })),
    );
    const newest = files.sort((a, b) => b.t - a.t)[0];
    if (newest) text += `\n${tail(await readFile(join(dir, newest.f), 'utf8'))}`;
  } catch {
    // No log directory yet: the server stopped before its logging collector started.
  }
  return text;
}

function refusedLogin(o: ResolvedOptions): StoreError {
  return new StoreError(
    'store.embedded',
    `the PostgreSQL on ${HOST}:${o.port} refuses the password in ${join(o.dir, 'password')}: ` +
      `another server may hold that port; set [database] embedded_port to a free port`,
    { context: { port: o.port } },
  );
}

async function ensureDatabase(o: ResolvedOptions, password: string): Promise<void> {
  const client = new pg.Client({ host: HOST, port: o.port, user: SUPERUSER, password, database: 'postgres' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [o.database]);
    if (found.rowCount === 0) {
      await client
        .query(`CREATE DATABASE ${client.escapeIdentifier(o.database)}`)
        .catch((e: { code?: string }) => {
          // Another process created it between our check and our CREATE.
          if (e.code !== '42P04' && e.code !== '23505') throw e;
        });
    }
  } catch (e) {
    throw new StoreError(
      'store.embedded',
      `cannot create database ${o.database} on the embedded PostgreSQL (${HOST}:${o.port}): ${(e as Error).message}`,
      { cause: e },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function readPassword(dir: string): Promise<string | undefined> {
  try {
    const text = (await readFile(join(dir, 'password'), 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** The port line (4th) of postmaster.pid, when a server holds the directory. */
async function postmasterPort(pgdata: string): Promise<number | undefined> {
  try {
    const lines = (await readFile(join(pgdata, 'postmaster.pid'), 'utf8')).split('\n');
    const port = Number.parseInt(lines[3] ?? '', 10);
    return Number.isInteger(port) ? port : undefined;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
