import { EchonetError } from '../errors.js';

const HEX_DIGITS = '0123456789ABCDEF';

/** Upper-case hex of `bytes`, no separators (`Uint8Array [0x10, 0x81]` → `'1081'`). */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 0x0f]!;
  return out;
}

/**
 * Bytes of a hex string (either case, no separators; `''` → empty array).
 * @throws EchonetError `frame.invalid` on an odd length or a non-hex character.
 */
export function fromHex(str: string): Uint8Array {
  if (str.length % 2 !== 0) {
    throw new EchonetError('frame.invalid', `hex string has odd length ${str.length}`, {
      context: { length: str.length },
    });
  }
  const out = new Uint8Array(str.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(str, 2 * i);
    const lo = nibble(str, 2 * i + 1);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function nibble(str: string, index: number): number {
  const c = str.charCodeAt(index);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  throw new EchonetError(
    'frame.invalid',
    `non-hex character ${JSON.stringify(str[index])} at index ${index}`,
    {
      context: { index },
    },
  );
}
