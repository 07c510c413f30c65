import { createRequire } from 'node:module';

/**
 * The real `serialport` package, taken from the poller's dependencies (the simulator package does
 * not depend on it). Typed to the little the tests use.
 */
export interface SerialPortLike {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'open' | 'close', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  once(event: 'open' | 'close', listener: () => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  write(data: Uint8Array | string, callback?: (err: Error | null | undefined) => void): boolean;
  close(callback?: (err: Error | null) => void): void;
  readonly isOpen: boolean;
}

type SerialPortCtor = new (options: { path: string; baudRate: number; autoOpen?: boolean }) => SerialPortLike;

const require = createRequire(new URL('../../../../poller/package.json', import.meta.url));
export const SerialPort = (require('serialport') as { SerialPort: SerialPortCtor }).SerialPort;

/** Opens `path` at 115200 8N1 and resolves once open. */
export function openSerial(path: string): Promise<SerialPortLike> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200 });
    port.once('open', () => resolve(port));
    port.once('error', reject);
  });
}

export function closeSerial(port: SerialPortLike): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}
