/**
 * A spool disk that fills, for tests and the soak: spool segment files opened through it behave
 * as on a full Linux file system. A write larger than the room left takes what fits and reports
 * it without failing (a short write); a write with no room fails with ENOSPC; truncation frees.
 * Hand `open` to `Spool.open({ open })`; set `room` (bytes) or `full` at any time.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { OpenFile } from '../spool.js';

export interface FillingDisk {
  readonly open: OpenFile;
  /** Bytes segment files may still take. */
  room: number;
  /** Shorthand: true sets `room` to 0, false to "plenty". */
  full: boolean;
}

const PLENTY = Number.MAX_SAFE_INTEGER;

export function fillingDisk(room = PLENTY): FillingDisk {
  const disk: FillingDisk = {
    room,
    get full() {
      return disk.room <= 0;
    },
    set full(on: boolean) {
      disk.room = on ? 0 : PLENTY;
    },
    open: (async (path: string, flags: string, mode?: number) => {
      const handle = await open(path, flags, mode);
      if (!/spool-\d+\.jsonl$/.test(path)) return handle;
      let size = 0;
      return new Proxy(handle, {
        get(target, prop) {
          if (prop === 'write') {
            return async (buffer: Buffer, offset = 0, length = buffer.length - offset, position?: number) => {
              if (disk.room <= 0) {
                throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
              }
              const r = await target.write(buffer, offset, Math.min(length, disk.room), position);
              disk.room -= r.bytesWritten;
              size += r.bytesWritten;
              return r;
            };
          }
          if (prop === 'truncate') {
            return async (len = 0) => {
              await target.truncate(len);
              if (disk.room !== PLENTY) disk.room += size - len;
              size = len;
            };
          }
          const v = Reflect.get(target, prop, target);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }) as FileHandle;
    }) as OpenFile,
  };
  return disk;
}
