/**
 * `mkdir -p` that reports the real reason. Node's recursive mkdir answers ENOENT when the
 * directory cannot be created because its parent is on a read-only file system (or not
 * writable), which reads as "a path is missing" and sends the operator the wrong way.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Creates `dir` and its missing parents.
 * @throws the file system's error; for an ENOENT, the error of creating the first missing
 *   directory under the deepest one that exists (EROFS, EACCES, ENOTDIR), when that differs.
 */
export async function makeDir(dir: string, mode?: number): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, ...(mode === undefined ? {} : { mode }) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    let missing = dir;
    while (dirname(missing) !== missing && !(await exists(dirname(missing)))) missing = dirname(missing);
    await mkdir(missing); // fails with the real reason
    await mkdir(dir, { recursive: true, ...(mode === undefined ? {} : { mode }) }); // it was a race
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
