/**
 * The host side of an MH-Z19 exchange for attach tests, written from the Winsen MH-Z19B user
 * manual rather than from the simulator's sensor, so a test checks the sensor against the manual.
 */

/** "Read CO2 concentration": sensor number 0x01, command 0x86, checksum 0x79. */
export const MHZ19_READ_COMMAND = Uint8Array.of(0xff, 0x01, 0x86, 0x00, 0x00, 0x00, 0x00, 0x00, 0x79);

/** A byte source: a socket or a SerialPort. */
interface Readable {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

/**
 * Resolves with the first `n` bytes `source` delivers from now on (they may arrive in pieces).
 * Real time bounds the wait only as a safety net.
 */
export function nextBytes(source: Readable, n: number, timeoutMs = 20_000): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const got: number[] = [];
    const timer = setTimeout(() => {
      source.off('data', onData);
      reject(new Error(`got ${got.length} of ${n} bytes within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      got.push(...chunk);
      if (got.length < n) return;
      clearTimeout(timer);
      source.off('data', onData);
      resolve(Uint8Array.from(got.slice(0, n)));
    };
    source.on('data', onData);
  });
}

/** The checksum byte makes bytes 1..8 sum to 0 modulo 256 (manual, "Checksum calculation"). */
export function mhz19ChecksumValid(frame: Uint8Array): boolean {
  let sum = 0;
  for (let i = 1; i < 9; i++) sum += frame[i] ?? 0;
  return frame.length === 9 && (sum & 0xff) === 0;
}

/** CO2 in ppm (HIGH·256 + LOW) of a 0x86 answer. */
export const mhz19Ppm = (answer: Uint8Array): number => answer[2]! * 256 + answer[3]!;
