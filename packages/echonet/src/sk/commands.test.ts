import { describe, expect, it } from 'vitest';
import { isEchonetError } from '../errors.js';
import { ascii } from './bytes.js';
import { describeCommand, formatCommand, redactCommand, type SkCommand } from './commands.js';

const IP = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const FRAME = Uint8Array.from([
  0x10, 0x81, 0x00, 0x01, 0x05, 0xff, 0x01, 0x02, 0x88, 0x01, 0x62, 0x01, 0xe7, 0x00,
]);
const text = (family: 'single-hop' | 'dual-stack', cmd: SkCommand) => ascii(formatCommand(family, cmd));

describe('formatCommand', () => {
  it.each([
    [{ name: 'SKVER' }, 'SKVER\r\n', 'SKVER\r\n'],
    [{ name: 'SKINFO' }, 'SKINFO\r\n', 'SKINFO\r\n'],
    [{ name: 'SKRESET' }, 'SKRESET\r\n', 'SKRESET\r\n'],
    [{ name: 'SKTERM' }, 'SKTERM\r\n', 'SKTERM\r\n'],
    [{ name: 'ROPT' }, 'ROPT\r\n', 'ROPT\r\n'],
    [{ name: 'WOPT', mode: 1 }, 'WOPT 01\r\n', 'WOPT 01\r\n'],
    [{ name: 'WOPT', mode: 0 }, 'WOPT 00\r\n', 'WOPT 00\r\n'],
    [
      { name: 'SKSETPWD', password: '0123456789AB' },
      'SKSETPWD C 0123456789AB\r\n',
      'SKSETPWD C 0123456789AB\r\n',
    ],
    [
      { name: 'SKSETRBID', id: '00112233445566778899AABBCCDDEEFF' },
      'SKSETRBID 00112233445566778899AABBCCDDEEFF\r\n',
      'SKSETRBID 00112233445566778899AABBCCDDEEFF\r\n',
    ],
    [{ name: 'SKSREG', reg: 'S2', value: '21' }, 'SKSREG S2 21\r\n', 'SKSREG S2 21\r\n'],
    [{ name: 'SKSREG', reg: 'sfe' }, 'SKSREG SFE\r\n', 'SKSREG SFE\r\n'],
    [{ name: 'SKSCAN', duration: 6 }, 'SKSCAN 2 FFFFFFFF 6\r\n', 'SKSCAN 2 FFFFFFFF 6 0\r\n'],
    [
      { name: 'SKSCAN', duration: 10, mode: 3, channelMask: '0000ffff' },
      'SKSCAN 3 0000FFFF A\r\n',
      'SKSCAN 3 0000FFFF A 0\r\n',
    ],
    [
      { name: 'SKLL64', mac: '001c6400601421a3' },
      'SKLL64 001C6400601421A3\r\n',
      'SKLL64 001C6400601421A3\r\n',
    ],
    [{ name: 'SKJOIN', ipv6: IP }, `SKJOIN ${IP}\r\n`, `SKJOIN ${IP}\r\n`],
  ] as [SkCommand, string, string][])('%o', (cmd, single, dual) => {
    expect(text('single-hop', cmd)).toBe(single);
    expect(text('dual-stack', cmd)).toBe(dual);
  });

  it('writes SKSENDTO data raw after DATALEN and ONE space, with no CRLF after it', () => {
    const single = formatCommand('single-hop', { name: 'SKSENDTO', ipv6: IP, data: FRAME });
    const dual = formatCommand('dual-stack', { name: 'SKSENDTO', ipv6: IP, data: FRAME });
    const head = (s: string) => Array.from(Buffer.from(s, 'latin1'));
    expect(Array.from(single)).toEqual([...head(`SKSENDTO 1 ${IP} 0E1A 1 000E `), ...FRAME]);
    expect(Array.from(dual)).toEqual([...head(`SKSENDTO 1 ${IP} 0E1A 1 0 000E `), ...FRAME]);
    const custom = formatCommand('single-hop', {
      name: 'SKSENDTO',
      handle: 2,
      ipv6: IP,
      port: 716,
      sec: 0,
      data: Uint8Array.of(0x0d),
    });
    expect(ascii(custom.subarray(0, -1))).toBe(`SKSENDTO 2 ${IP} 02CC 0 0001 `);
    expect(custom[custom.length - 1]).toBe(0x0d);
  });

  it.each([
    [{ name: 'SKSETPWD', password: 'has space12' }, 'password'],
    [{ name: 'SKSETPWD', password: '' }, 'password'],
    [{ name: 'SKSETPWD', password: 'X'.repeat(33) }, 'password'],
    [{ name: 'SKSETRBID', id: 'short' }, 'id'],
    [{ name: 'SKSETRBID', id: `${'0'.repeat(30)}\r\n` }, 'id'],
    [{ name: 'SKSCAN', duration: 15 }, 'duration'],
    [{ name: 'SKSCAN', duration: 6, channelMask: 'FFFF' }, 'channelMask'],
    [{ name: 'SKLL64', mac: '001C' }, 'mac'],
    [{ name: 'SKJOIN', ipv6: 'FE80::1' }, 'ipv6'],
    [{ name: 'SKSENDTO', ipv6: IP, data: new Uint8Array(0x10000) }, 'data'],
    [{ name: 'SKSENDTO', ipv6: IP, handle: 7, data: FRAME }, 'handle'],
    [{ name: 'SKSREG', reg: 'X2' }, 'reg'],
    [{ name: 'WOPT', mode: 2 as 0 }, 'mode'],
  ] as [SkCommand, string][])('rejects %o with config.invalid naming %s, never the secret', (cmd, field) => {
    let error: unknown;
    try {
      formatCommand('dual-stack', cmd);
    } catch (e) {
      error = e;
    }
    expect(isEchonetError(error, 'config.invalid')).toBe(true);
    expect((error as { context: { field: string } }).context.field).toBe(field);
    expect((error as Error).message).not.toContain('has space12');
  });
});

describe('redactCommand and describeCommand', () => {
  it('masks the SKSETPWD and SKSETRBID arguments, idempotently', () => {
    expect(redactCommand('SKSETPWD C 0123456789AB')).toBe('SKSETPWD C ********');
    expect(redactCommand('SKSETRBID 00112233445566778899AABBCCDDEEFF')).toBe('SKSETRBID ********');
    expect(redactCommand(redactCommand('SKSETPWD C 0123456789AB'))).toBe('SKSETPWD C ********');
    expect(redactCommand('\\x00SKSETPWDC 0123456789AB trailing')).toBe('\\x00SKSETPWD C ********');
    expect(redactCommand('SKSETRBID')).toBe('SKSETRBID');
    expect(redactCommand('SKSREG S2 21')).toBe('SKSREG S2 21');
  });

  it('describes commands for logs: secrets masked, SKSENDTO data as hex', () => {
    expect(describeCommand('single-hop', { name: 'SKSETPWD', password: '0123456789AB' })).toBe(
      'SKSETPWD C ********',
    );
    expect(describeCommand('dual-stack', { name: 'SKSENDTO', ipv6: IP, data: FRAME.subarray(0, 2) })).toBe(
      `SKSENDTO 1 ${IP} 0E1A 1 0 0002 1081`,
    );
  });
});
