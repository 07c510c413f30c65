/**
 * Where the PNG goes. The destination is checked by creating the temporary file next to it
 * before any query or drawing, so an unwritable path fails fast; the PNG is written to that
 * temporary file and renamed over the destination, so a reader never sees half a file and a
 * failure never leaves one behind.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, stat, unlink } from 'node:fs/promises';
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
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', 0o644);
  } catch (e) {
    throw unwritable(path, reason(e, dir), e);
  }
  let done = false;
  const discard = async (): Promise<void> => {
    if (done) return;
    done = true;
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
        done = true;
      } catch (e) {
        await discard();
        throw unwritable(path, reason(e, dir), e);
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

function reason(e: unknown, dir: string): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
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
