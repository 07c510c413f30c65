/**
 * Every line of fixtures/sk-corpus.json (real dongle output from public sources) through the real
 * parser, whole and split byte by byte, against the values each source states; and family
 * detection on every EINFO, EPANDESC, EVENT and ERXUDP layout in it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHex } from '../frame/hex.js';
import { familyFromEvent } from './detect.js';
import type { SkEvent } from './events.js';
import { SkLineParser } from './parser.js';

interface CorpusSource {
  readonly where: string;
  readonly kind: 'capture' | 'fixture';
  readonly models: readonly string[];
}
interface CorpusEntry {
  readonly source: string;
  readonly text: string;
  readonly expect: readonly Record<string, unknown>[];
  readonly family?: 'single-hop' | 'dual-stack';
  readonly absent?: readonly string[];
}
const CORPUS = JSON.parse(
  readFileSync(new URL('../../../../fixtures/sk-corpus.json', import.meta.url), 'utf8'),
) as { sources: Record<string, CorpusSource>; entries: CorpusEntry[] };
const REAL_TRAFFIC = readFileSync(new URL('../../../../fixtures/real-traffic.txt', import.meta.url), 'utf8');

/** The corpus text is bytes, one character per byte. */
const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Events as the corpus states them: ERXUDP data as upper-case hex. */
function comparable(ev: SkEvent): Record<string, unknown> {
  if (ev.type !== 'erxudp') return { ...ev };
  const { data, ...rest } = ev;
  return { ...rest, dataHex: toHex(data).toUpperCase() };
}

function parseWhole(text: string): Record<string, unknown>[] {
  const p = new SkLineParser();
  return [...p.push(bytesOf(text)), ...p.flush()].map(comparable);
}

function parseByteByByte(text: string): Record<string, unknown>[] {
  const p = new SkLineParser();
  const out: SkEvent[] = [];
  for (const b of bytesOf(text)) out.push(...p.push(Uint8Array.of(b)));
  return [...out, ...p.flush()].map(comparable);
}

const label = (e: CorpusEntry) => `${e.source}: ${JSON.stringify(e.text.slice(0, 60))}`;

describe('fixtures/sk-corpus.json', () => {
  it('names a known source for every entry, and every source has entries', () => {
    const used = new Set(CORPUS.entries.map((e) => e.source));
    for (const e of CORPUS.entries) expect(CORPUS.sources[e.source], e.source).toBeDefined();
    for (const name of Object.keys(CORPUS.sources)) expect(used.has(name), name).toBe(true);
    expect(CORPUS.entries.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CORPUS.entries.map((e) => [label(e), e] as const))('%s', (_name, entry) => {
    const events = parseWhole(entry.text);
    expect(events.map((e) => e.type)).toEqual(entry.expect.map((e) => e.type));
    entry.expect.forEach((want, i) => {
      expect(events[i]).toMatchObject(want);
      for (const field of entry.absent ?? []) expect(events[i], field).not.toHaveProperty(field);
    });
    expect(parseByteByByte(entry.text)).toEqual(events);
  });

  it.each(CORPUS.entries.filter((e) => e.family !== undefined).map((e) => [label(e), e] as const))(
    'tells the family from %s',
    (_name, entry) => {
      const p = new SkLineParser();
      const families = [...p.push(bytesOf(entry.text)), ...p.flush()]
        .map(familyFromEvent)
        .filter((f) => f !== undefined);
      expect(families.length).toBeGreaterThan(0);
      expect(new Set(families)).toEqual(new Set([entry.family]));
    },
  );

  it('reads every EINFO layout in it: addr16 on single-hop, the side on dual-stack', () => {
    const einfos = CORPUS.entries.flatMap((e) => parseWhole(e.text)).filter((e) => e.type === 'einfo');
    expect(einfos.length).toBeGreaterThanOrEqual(3);
    for (const e of einfos) expect('addr16' in e !== 'side' in e, JSON.stringify(e)).toBe(true);
  });
});

describe('fixtures/real-traffic.txt (single-hop captures)', () => {
  const lines = REAL_TRAFFIC.split('\n').filter((l) => l.startsWith('ERXUDP '));

  it.each(lines.map((l, i) => [i, l] as const))('ERXUDP %i is a single-hop datagram', (_i, line) => {
    const p = new SkLineParser();
    const [ev, ...rest] = p.push(bytesOf(`${line}\r\n`));
    expect(rest).toEqual([]);
    expect(ev).toMatchObject({ type: 'erxudp', layout: 'single-hop', rport: 0x0e1a, secured: 1 });
    expect(familyFromEvent(ev!)).toBe('single-hop');
  });
});
