/**
 * The `decode` command with its streams injected: reads a transcript from `stdin` as it arrives,
 * writes one JSON record per line (NDJSON) to `stdout`.
 *
 * Exit codes: 0 after the whole input (undecodable lines are `error` records, not failures) and
 * when the reader of stdout went away (EPIPE, `decode | head`); 1 when stdin cannot be read (or
 * stdout fails otherwise); 2 for an unknown option.
 */
import type { Writable } from 'node:stream';
import { createDecoder } from './decode-stream.js';
import type { DecodedRecord } from './records.js';

export const USAGE = `Usage: decode [-h|--help] < transcript

Decodes a Wi-SUN dongle transcript (SK text: ERXUDP, EVENT, OK, FAIL, EPANDESC, ...) or bare
ECHONET Lite frames in hex (one per line, starting 1081) from stdin. Writes one JSON object per
event to stdout, in input order, each with the input line number in "line".

  ERXUDP on port 0E1A   {"type":"erxudp",...,"echonet":{"tid","seoj","deoj","esv","properties"}}
  ERXUDP on port 02CC   {"type":"erxudp",...,"pana":{"length","hex"}}
  bare hex frame        {"type":"frame","line":n,"echonet":{...}}
  SK events             {"type":"event","num":"21","name":"udp-send-done",...}, "ok", "fail", ...
  undecodable input     {"type":"error","line":n,"code":"...","reason":"...","input":"..."}

Lines starting with # and blank lines are skipped. Log prefixes are stripped: [tags], ISO
date-times and times, and direction markers <, >, <<, >>, <-, ->, RX, TX, RX:, TX:.
Exit code 0 unless stdin cannot be read (1).
`;

export interface DecodeIo {
  readonly argv: readonly string[];
  readonly stdin: AsyncIterable<Uint8Array | string>;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Runs `decode`; resolves to the exit code. Never rejects. */
export async function runDecode(io: DecodeIo): Promise<number> {
  const { argv, stdin, stdout, stderr } = io;
  if (argv.some((a) => a === '-h' || a === '--help')) {
    stdout.write(USAGE);
    return 0;
  }
  if (argv.length > 0) {
    stderr.write(`decode: unknown argument ${JSON.stringify(argv[0])}\n${USAGE}`);
    return 2;
  }

  const out = new NdjsonWriter(stdout);
  const decoder = createDecoder();
  const encoder = new TextEncoder();
  let readError: unknown;
  try {
    for await (const chunk of stdin) {
      await out.write(decoder.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
      if (out.closed) break;
    }
  } catch (e) {
    readError = e;
  }
  await out.write(decoder.end());
  if (readError !== undefined) {
    stderr.write(`decode: cannot read stdin: ${message(readError)}\n`);
    return 1;
  }
  if (out.error !== undefined && (out.error as NodeJS.ErrnoException).code !== 'EPIPE') {
    stderr.write(`decode: cannot write stdout: ${message(out.error)}\n`);
    return 1;
  }
  return 0;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Writes records as NDJSON, waiting for `drain` when the consumer is slow. After an error on
 * stdout (EPIPE when the reader exits) it drops everything quietly and reports `closed`.
 */
class NdjsonWriter {
  closed = false;
  error: unknown;

  constructor(private readonly stream: Writable) {
    stream.on('error', (e) => {
      this.closed = true;
      this.error ??= e;
    });
  }

  async write(records: readonly DecodedRecord[]): Promise<void> {
    if (this.closed || records.length === 0) return;
    let text = '';
    for (const r of records) text += JSON.stringify(r) + '\n';
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }
}
