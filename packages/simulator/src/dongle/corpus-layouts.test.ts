/**
 * Each model's output held against the real captures of that model in fixtures/sk-corpus.json:
 * for every kind of line both print (EINFO, EVER, EVENT nn, the SKSENDTO echo, EPANDESC keys, the
 * ROPT answer with its line end, ERXUDP layout), the simulator's layout must be one the captures
 * show. Layout = the line's tokens classed (IPv6, 16/4/2/1 hex digits, version, literal), line end
 * included. EVER must also match the captured version exactly.
 */
import { readFileSync } from 'node:fs';
import { DONGLE_MODELS, type DongleModel, SkLineParser } from '@b-route/echonet';
import { describe, expect, it } from 'vitest';
import { getRequest } from './testing/host.js';
import { createTestDongle, METER_LLA, METER_MAC, TEST_PASSWORD, TEST_RBID } from './testing/scenario.js';

interface Corpus {
  sources: Record<string, { kind: 'capture' | 'fixture'; models: string[] }>;
  entries: { source: string; text: string }[];
}
const CORPUS = JSON.parse(
  readFileSync(new URL('../../../../fixtures/sk-corpus.json', import.meta.url), 'utf8'),
) as Corpus;

function tokenClass(t: string): string {
  if (t.includes('...')) return 'any';
  if (/^[0-9A-F]{4}(:[0-9A-F]{4}){7}$/.test(t)) return 'ipv6';
  if (/^\d+\.\d+\.\d+$/.test(t)) return 'version';
  if (/^[0-9A-F]{1,4}$/.test(t)) return `hex${t.length}`;
  if (/^[0-9A-F]{8}$/.test(t)) return 'hex8';
  if (/^[0-9A-F]{16}$/.test(t)) return 'hex16';
  return t === '' ? '(space)' : `"${t}"`;
}

/** The kind of a printed line this test compares, or undefined for lines it ignores. */
function kindOf(line: string): string | undefined {
  const words = line.split(' ');
  if (words[0] === 'EVENT') return `EVENT ${words[1]}`;
  if (words[0] === 'EINFO' || words[0] === 'EVER' || words[0] === 'EPANDESC') return words[0];
  if (words[0] === 'SKSENDTO') return 'SKSENDTO echo';
  if (words[0] === 'OK' && words.length === 2) return 'OK <value> (ROPT/WOPT)';
  const key = /^ {2}([A-Za-z ]+):/.exec(line);
  return key ? `EPANDESC ${key[1]}` : undefined;
}

/** Kind → layouts of the lines in `text` (bytes, one char each). ERXUDP is read by the parser. */
function layouts(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (kind: string, layout: string) => out.set(kind, (out.get(kind) ?? new Set()).add(layout));
  for (const m of text.matchAll(/([^\r\n]*)(\r\n|\r|\n)/g)) {
    const [, line = '', end = ''] = m;
    const kind = kindOf(line);
    if (kind === undefined) continue;
    const words = line.startsWith('  ') ? [line.trim().split(':')[0]!, line.split(':')[1]!] : line.split(' ');
    const keep = kind.startsWith('EVENT') ? 2 : kind.startsWith('EPANDESC ') ? 1 : 1;
    const classed = [...words.slice(0, keep), ...words.slice(keep).map(tokenClass)];
    add(kind, `${classed.join(' ')} ${JSON.stringify(end)}`);
    if (kind === 'EVER') add('EVER value', line);
  }
  const parser = new SkLineParser();
  for (const ev of [...parser.push(Uint8Array.from(text, (c) => c.charCodeAt(0))), ...parser.flush()]) {
    if (ev.type === 'erxudp')
      add(`ERXUDP ${ev.rport.toString(16).toUpperCase().padStart(4, '0')}`, ev.layout);
  }
  return out;
}

/** What a client sees from each model: echo on, SA2 untouched, the meter found, joined, one Get. */
function simulatorText(model: DongleModel): string {
  const { host } = createTestDongle(model);
  host.send({ name: 'SKRESET' }).send({ name: 'SKVER' }).send({ name: 'SKINFO' }).send('ROPT');
  host
    .send({ name: 'SKSETPWD', password: TEST_PASSWORD })
    .send({ name: 'SKSETRBID', id: TEST_RBID })
    .send({ name: 'SKSCAN', duration: 6 }, 20_000)
    .send('SKSREG S2 2B')
    .send('SKSREG S3 8888')
    .send({ name: 'SKLL64', mac: METER_MAC })
    .send({ name: 'SKJOIN', ipv6: METER_LLA }, 10_000)
    .send({ name: 'SKSENDTO', ipv6: METER_LLA, data: getRequest(1, 0xe7) }, 5_000);
  return Buffer.from(host.bytes()).toString('latin1');
}

function captureLayouts(model: DongleModel): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of CORPUS.entries) {
    const source = CORPUS.sources[e.source]!;
    if (source.kind !== 'capture' || !source.models.includes(model)) continue;
    for (const [kind, set] of layouts(e.text)) out.set(kind, new Set([...(out.get(kind) ?? []), ...set]));
  }
  return out;
}

/** Kinds each model's captures must at least let this test compare (a lost capture shows up here). */
const COMPARED: Readonly<Record<DongleModel, readonly string[]>> = {
  bp35a1: ['EVER', 'EVER value', 'EVENT 20', 'EVENT 21', 'EVENT 22', 'EPANDESC LQI', 'ERXUDP 0E1A'],
  'rl7023-ips': [],
  bp35c0: [],
  bp35c2: ['EINFO', 'EVER', 'EVER value', 'EVENT 21'],
  'rs-wsuha-p': [
    ...['EINFO', 'EVER', 'EVER value', 'SKSENDTO echo', 'OK <value> (ROPT/WOPT)', 'EPANDESC Side'],
    ...['EVENT 20', 'EVENT 21', 'EVENT 22', 'EVENT 25', 'ERXUDP 02CC', 'ERXUDP 0E1A'],
  ],
  'rl7023-dss': ['EVENT 21'],
};

describe('simulator output against the real captures of each model (fixtures/sk-corpus.json)', () => {
  it.each(DONGLE_MODELS)('%s prints only captured layouts', (model) => {
    const captured = captureLayouts(model);
    const printed = layouts(simulatorText(model));
    const compared = [...captured.keys()].filter((k) => printed.has(k)).sort();
    expect(compared).toEqual(expect.arrayContaining([...COMPARED[model]]));
    if (COMPARED[model].length === 0) expect(compared).toEqual([]);
    for (const kind of compared) {
      for (const layout of printed.get(kind)!) {
        const ok = [...captured.get(kind)!].some((c) => {
          const a = c.split(' ');
          const b = layout.split(' ');
          return a.length === b.length && a.every((w, i) => w === b[i] || w === 'any');
        });
        expect(
          ok,
          `${model} ${kind}: printed ${layout}; captured ${[...captured.get(kind)!].join(' | ')}`,
        ).toBe(true);
      }
    }
  });
});
