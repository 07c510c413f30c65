/**
 * Throughput of the transcript decoder behind `pnpm --filter echonet decode` (SK line parser +
 * ECHONET Lite frame description) on a generated transcript shaped like a day of polling: per
 * poll the echo of SKSENDTO, EVENT 21, OK and the meter's ERXUDP answer (E7+E8, every tenth
 * with E0+E3), in hex (WOPT 01), fed in 64 KiB chunks.
 */
import { performance } from 'node:perf_hooks';
import { createDecoder, EOJ, ESV, encodeFrame, METER_PROPERTIES as P, toHex } from '@b-route/echonet';

export interface DecodeBenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export interface DecodeBenchOptions {
  /** Polls in the transcript (4 lines each). Default 25 000. */
  readonly polls?: number;
  /** Timed runs; the median is reported. Default 3. */
  readonly runs?: number;
}

const METER = 'FE80:0000:0000:0000:021C:6400:6014:21A3';
const HOST = 'FE80:0000:0000:0000:021D:1290:0005:747B';
const LLA = '001C6400601421A3';

export function generateTranscript(polls: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < polls; i++) {
    const tid = i & 0xffff;
    const full = i % 10 === 0;
    const ask = [0xe7, 0xe8, ...(full ? [0xe0, 0xe3] : [])];
    const request = encodeFrame({
      tid,
      seoj: EOJ.controller,
      deoj: EOJ.smartMeter,
      esv: ESV.Get,
      properties: ask.map((epc) => ({ epc, edt: new Uint8Array(0) })),
    });
    const w = 300 + ((i * 37) % 2500) - 600;
    const answer = encodeFrame({
      tid,
      seoj: EOJ.smartMeter,
      deoj: EOJ.controller,
      esv: ESV.Get_Res,
      properties: [
        { epc: 0xe7, edt: P.instantaneousPower.encode(w) },
        { epc: 0xe8, edt: P.instantaneousCurrents.encode({ r: w / 200, t: w / 250 }) },
        ...(full
          ? [
              { epc: 0xe0, edt: P.cumulativeEnergyNormal.encode(10_000 + i) },
              { epc: 0xe3, edt: P.cumulativeEnergyReverse.encode(500 + (i >> 3)) },
            ]
          : []),
      ],
    });
    const len = (b: Uint8Array) => b.length.toString(16).toUpperCase().padStart(4, '0');
    lines.push(
      `SKSENDTO 1 ${METER} 0E1A 1 ${len(request)} ${toHex(request)}`,
      `EVENT 21 ${METER} 00`,
      'OK',
      `ERXUDP ${METER} ${HOST} 0E1A 0E1A ${LLA} 1 ${len(answer)} ${toHex(answer)}`,
    );
  }
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}

export async function benchDecode(options: DecodeBenchOptions = {}): Promise<DecodeBenchResult[]> {
  const transcript = generateTranscript(options.polls ?? 25_000);
  const runs = options.runs ?? 3;
  const chunk = 64 * 1024;
  const once = (): { records: number; errors: number } => {
    const decoder = createDecoder();
    let records = 0;
    let errors = 0;
    const count = (out: readonly { type: string }[]) => {
      records += out.length;
      for (const r of out) if (r.type === 'error') errors++;
    };
    for (let at = 0; at < transcript.length; at += chunk)
      count(decoder.push(transcript.subarray(at, at + chunk)));
    count(decoder.end());
    return { records, errors };
  };
  let result = once(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = once();
    times.push(performance.now() - t);
    await new Promise((r) => setImmediate(r));
  }
  if (result.errors > 0)
    throw new Error(`the generated transcript decoded with ${result.errors} error records`);
  times.sort((a, b) => a - b);
  const seconds = times[Math.floor(times.length / 2)]! / 1000;
  return [
    { name: 'decode.records_per_second', value: Math.round(result.records / seconds), unit: 'records/s' },
    {
      name: 'decode.megabytes_per_second',
      value: Math.round((transcript.length / 1024 / 1024 / seconds) * 10) / 10,
      unit: 'MB/s',
    },
    { name: 'decode.transcript_records', value: result.records, unit: 'records' },
  ];
}
