/**
 * Reads a configuration file, refusing what cannot be one before it costs time or memory: a
 * device such as /dev/urandom never ends (reading it whole took 17 s and 1.2 GB before
 * "Invalid string length"), and binary content would only produce a parse error far down.
 */
import { open } from 'node:fs/promises';

/** Largest configuration file read; a real one is a few KiB. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * The file's text.
 * @throws Error with a message for the operator ("not a text file", "larger than 256 KiB") or the
 *   file system's error (ENOENT, EACCES, EISDIR).
 */
export async function readTextFile(path: string, maxBytes = MAX_CONFIG_BYTES): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    const bytes = buffer.subarray(0, length);
    if (bytes.includes(0)) throw new Error('not a text file (it holds NUL bytes)');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new Error('not a text file (it is not UTF-8)');
    }
    if (length > maxBytes) throw new Error(`not a configuration file (larger than ${maxBytes / 1024} KiB)`);
    return text;
  } finally {
    await handle.close();
  }
}
