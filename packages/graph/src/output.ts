/**
 * Where the PNG goes. The destination is checked by creating the temporary file next to it
 * before any query or drawing, so an unwritable path fails fast; the PNG is written to that
 * temporary file and renamed over the destination, so a reader never sees half a file and a
 * failure never leaves one behind.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { type FileHandle, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GraphError } from './errors.js';

/**
 * The file to write: `output` itself, or `defaultName` inside `output` when that is an existing
 * directory or ends with a slash, or `defaultName` in `cwd` when no output was given.
 */
export async function resolveOutputPath(
  output: string | undefined,
  defaultName: string,
  cwd: string,
): Promise<string> {
  if (output === undefined || output === '') return join(cwd, defaultName);
  const target = resolve(cwd, output);
  if (/[\\/]$/.test(output)) return join(target, defaultName);
  const st = await stat(target).catch(() => undefined);
  return st?.isDirectory() ? join(target, defaultName) : target;
}

export interface PendingOutput {
  /** The destination path. */
  readonly path: string;
  /** Writes `data` to the temporary file and renames it to `path`. */
  commit(data: Uint8Array): Promise<void>;
  /** Removes the temporary file; safe to call after commit or twice. */
  discard(): Promise<void>;
}

/**
 * Creates the temporary file beside `path`.
 * @throws GraphError `output.unwritable` naming the path and the reason (missing directory, no
 *   permission, read-only file system, a directory in the way).
 */
export async function openOutput(path: string): Promise<PendingOutput> {
  const dir = dirname(path);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw unwritable(path, 'it is a directory');
  await sweepStaleTemporaries(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', 0o644);
  } catch (e) {
    throw unwritable(path, await reason(e, dir), e);
  }
  temporaries.add(tmp);
  let done = false;
  const discard = async (): Promise<void> => {
    if (done) return;
    done = true;
    temporaries.delete(tmp);
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
  };
  return {
    path,
    async commit(data) {
      if (done) throw new Error('output already committed or discarded');
      try {
        await handle!.writeFile(data);
        await handle!.sync();
        await handle!.close();
        handle = undefined;
        await rename(tmp, path);
        temporaries.delete(tmp);
        done = true;
      } catch (e) {
        await discard();
        throw unwritable(path, await reason(e, dir), e);
      }
    },
    discard,
  };
}

function unwritable(path: string, why: string, cause?: unknown): GraphError {
  return new GraphError('output.unwritable', `cannot write ${path}: ${why}`, {
    context: { path },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Temporary files of this process not yet renamed or removed (for `removeTemporariesNow`). */
const temporaries = new Set<string>();

/**
 * Removes this process's temporary files at once: for a signal handler, when the render is
 * interrupted (Ctrl-C, SIGTERM) and no `finally` will run.
 */
export function removeTemporariesNow(): void {
  for (const tmp of temporaries) {
    try {
      unlinkSync(tmp);
    } catch {
      // gone already
    }
  }
  temporaries.clear();
}

/**
 * Temporary files of `path` left by renders that were killed (kill -9 runs no handler): named
 * `.<name>.<pid>.<hex>.tmp`, theirs to remove once that pid is gone.
 */
async function sweepStaleTemporaries(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(/^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function reason(e: unknown, dir: string): Promise<string> {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      // procfs and sysfs answer ENOENT for a file they do not allow to be created.
      if ((await stat(dir).catch(() => undefined))?.isDirectory()) {
        return `${dir} does not allow new files (a virtual file system such as /proc or /sys?)`;
      }
      return `directory ${dir} does not exist`;
    case 'ENOTDIR':
      return `${dir} is not a directory`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${dir}`;
    case 'EROFS':
      return `${dir} is on a read-only file system`;
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return (e as Error).message;
  }
}
