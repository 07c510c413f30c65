import { describe, expect, it } from 'vitest';
import { parseRequests, RequestsError } from './requests.js';
import { nextDue } from './schedule.js';

const jst = (s: string) => new Date(`${s}+09:00`).getTime();

describe("keilog's requests", () => {
  const entries = parseRequests('D3,D7,E1 @ 3600; E7 @ 10; E0,E3 @ 300');

  it('reads EPC groups with their cycles', () => {
    expect(entries).toEqual([
      { name: 'D3,D7,E1', epcs: [0xd3, 0xd7, 0xe1], periodMs: 3_600_000 },
      { name: 'E7', epcs: [0xe7], periodMs: 10_000 },
      { name: 'E0,E3', epcs: [0xe0, 0xe3], periodMs: 300_000 },
    ]);
  });

  it('asks everything due together in one frame', () => {
    expect(nextDue(entries, jst('2026-12-06T10:00:01')).epcs).toEqual([0xe7]);
    const top = nextDue(entries, jst('2026-12-06T10:59:55'));
    expect(top.at).toBe(jst('2026-12-06T11:00:00'));
    expect(top.epcs).toEqual([0xd3, 0xd7, 0xe1, 0xe7, 0xe0, 0xe3]);
  });

  it('takes properties outside the usual ones (EA/EB, D0/D1) and newlines between groups', () => {
    expect(parseRequests('EA,EB @ 1800\nD0,0xD1 @ 86400').map((e) => e.epcs)).toEqual([
      [0xea, 0xeb],
      [0xd0, 0xd1],
    ]);
  });

  it.each([
    ['E7', /write EPCs @ seconds/],
    ['E7 @ 5', /10 to 86400 seconds/],
    ['7F @ 60', /"7F" is not an EPC/],
    ['', /no group/],
  ])('refuses %j', (text, message) => {
    expect(() => parseRequests(text)).toThrow(RequestsError);
    expect(() => parseRequests(text)).toThrow(message);
  });
});
