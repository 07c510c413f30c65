/**
 * Readable rendering of dongle output for golden tests: printable ASCII as is, CRLF as a line
 * break, a lone CR as `\r` + line break, a lone LF as `\n` + line break, any other byte (and `\`)
 * as `\xNN`. Exact and deterministic, so a golden string pins every byte.
 */
export function renderTranscript(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0d && bytes[i + 1] === 0x0a) {
      out += '\n';
      i++;
    } else if (b === 0x0d) out += '\\r\n';
    else if (b === 0x0a) out += '\\n\n';
    else if (b >= 0x20 && b <= 0x7e && b !== 0x5c && b !== 0x60 && b !== 0x24) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
