import { describe, expect, it } from 'vitest';
import { bareFrameHex, isCommentLine, logPrefix } from './log-prefix.js';

const A = 'FE80:0000:0000:0000:021C:6400:6014:21A3';

const rest = (line: string): string => line.slice(logPrefix(line).length);

describe('logPrefix', () => {
  it.each([
    ['[2026-05-20 14:26:00.123] ERXUDP x', 'ERXUDP x'],
    ['[DEBUG] [recv]: EVENT 21 x 00', 'EVENT 21 x 00'],
    ['2026-05-20T14:26:00.123Z RX: OK', 'OK'],
    ['2026-05-20T14:26:00+09:00 < OK', 'OK'],
    ['2026-05-20 14:26:00,5 TX SKVER', 'SKVER'],
    ['2026/05/20 14:26 >> SKINFO', 'SKINFO'],
    ['14:26:00.123 <- FAIL ER05', 'FAIL ER05'],
    ['->\tSKSCAN 2 FFFFFFFF 6', 'SKSCAN 2 FFFFFFFF 6'],
    ['rx:   EVER 1.2.10', 'EVER 1.2.10'],
    ['2026-05-20', ''],
  ])('strips %j', (line, expected) => {
    expect(rest(line)).toBe(expected);
  });

  it.each([
    'ERXUDP FE80:0000 x',
    'EVENT 21 x 00',
    A,
    '  Channel:21',
    'OK',
    'TXT is not a marker',
    '[unclosed ERXUDP',
    '<ERXUDP glued to the marker',
    '12:34:56:78 not a time',
  ])('leaves a line without prefix alone: %j', (line) => {
    expect(logPrefix(line)).toEqual({ length: 0, reindent: false });
  });

  it('asks to indent an EPANDESC field again when a prefix ate its indentation', () => {
    expect(logPrefix('RX:   Pan ID:8888')).toEqual({ length: 6, reindent: true });
    expect(logPrefix('[t] PairID:AABBCCDD').reindent).toBe(true);
    expect(logPrefix('[t] SKSETPWD C pass:word').reindent).toBe(false);
  });
});

describe('isCommentLine / bareFrameHex', () => {
  it('knows comments by their first non-blank #', () => {
    expect(isCommentLine('# Get_Res E7')).toBe(true);
    expect(isCommentLine('   # indented')).toBe(true);
    expect(isCommentLine('ERXUDP # not a comment')).toBe(false);
  });

  it('reads bare frames with or without blanks, in either case', () => {
    expect(bareFrameHex('1081000102880105FF017201E70400000278')).toBe('1081000102880105FF017201E70400000278');
    expect(bareFrameHex('10 81 00 01\t02 88 01')).toBe('10810001028801');
    expect(bareFrameHex('1081 0001 05ff01')).toBe('1081000105ff01');
  });

  it('leaves other hex-only lines to the SK parser (an EEDSCAN result line, say)', () => {
    expect(bareFrameHex('21 E1 22 D5 23 C0')).toBeUndefined();
    expect(bareFrameHex('1082000102880105FF01')).toBeUndefined();
    expect(bareFrameHex('1081 00 zz')).toBeUndefined();
    expect(bareFrameHex(A)).toBeUndefined();
  });
});
