/**
 * Masking of the B-route secrets. `SKSETPWD <len> <password>` and `SKSETRBID <id>` are the only
 * commands that carry them, and with echo on (register SFE=1, the default) the dongle repeats
 * them verbatim, so every line that reaches a log or an event goes through here.
 */
export const SECRET_MASK = '********';

const SECRET_COMMAND = /(SKSETPWD|SKSETRBID)([^\r\n]*)/g;

/**
 * `SKSETPWD C secret` → `SKSETPWD C ********`; `SKSETRBID 0000…` → `SKSETRBID ********`.
 * The command may stand anywhere in `line` (a garbled echo still hides the secret); everything
 * after it up to the line end is masked. Idempotent. Other text is returned unchanged.
 */
export function redactCommand(line: string): string {
  return line.replace(SECRET_COMMAND, (_match, command: string, rest: string) => {
    const words = rest
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    if (words.length === 0) return command + rest;
    const length = words[0]!;
    if (command === 'SKSETPWD' && words.length >= 2 && /^[0-9A-Fa-f]{1,2}$/.test(length)) {
      return `${command} ${length} ${SECRET_MASK}`;
    }
    return `${command} ${SECRET_MASK}`;
  });
}
