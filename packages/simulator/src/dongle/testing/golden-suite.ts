import { type DongleModel, decodeFrame, ESV, type SkEvent, toHex } from '@b-route/echonet';
import { describe, expect, it } from 'vitest';
import { FIXTURE_EDT } from './fixture-meter.js';
import { runFullSession, SCENARIO_EPCS } from './scenario.js';

/**
 * The checks every model's golden session gets: the exact transcript, no parser error event,
 * and every Get answered with the fixture meter's value, matched by TID.
 */
export function describeGoldenSessions(golden: Partial<Record<DongleModel, string>>): void {
  describe.each(Object.keys(golden) as DongleModel[])('%s: full session', (model) => {
    const host = runFullSession(model);

    it('prints exactly the golden transcript', () => {
      expect(host.take()).toBe(golden[model]);
    });

    it('decodes with the echonet SkLineParser without a single error event', () => {
      const errors = [...host.events, ...host.parser.flush()].filter((e) => e.type === 'error');
      expect(errors).toEqual([]);
    });

    it('answers every Get with the meter value, matched by TID', () => {
      const answers = host.events
        .filter((e): e is Extract<SkEvent, { type: 'erxudp' }> => e.type === 'erxudp' && e.rport === 0x0e1a)
        .map((e) => decodeFrame(e.data))
        .filter((f) => f.tid !== 0);
      expect(answers.map((f) => f.tid)).toEqual(SCENARIO_EPCS.map((_, i) => i + 1));
      answers.forEach((f, i) => {
        const epc = SCENARIO_EPCS[i]!;
        const expected = FIXTURE_EDT[epc];
        expect(f.esv).toBe(expected === undefined ? ESV.Get_SNA : ESV.Get_Res);
        expect(f.properties.map((p) => [p.epc, toHex(p.edt)])).toEqual([[epc, expected ?? '']]);
      });
    });
  });
}
