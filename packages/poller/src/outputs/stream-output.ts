/**
 * JSON lines, CSV or YAML to stdout (for `| jq`) or appended to a file. The file is opened for
 * each batch, so logrotate's move-and-create works without a signal; a CSV file gets its header
 * when it is new or empty, stdout once at the start.
 */
import { appendFile, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { CSV_HEADER, CSV_KINDS, formatRecord, type TextFormat } from './formats.js';
import type { OutputRecord } from './output-record.js';
import type { OutputTarget } from './output-runner.js';

export interface StreamOutputOptions {
  readonly format: TextFormat;
  /** A file to append to; omitted, `stream` is written. */
  readonly file?: string;
  /** Default process.stdout. */
  readonly stream?: Writable;
}

export function streamOutput(options: StreamOutputOptions): OutputTarget {
  const { format, file } = options;
  let headerWritten = false;
  const write = async (text: string): Promise<void> => {
    if (file) {
      if (format === 'csv') {
        const size = await stat(file).then(
          (s) => s.size,
          () => 0,
        );
        if (size === 0) text = CSV_HEADER + text;
      }
      await appendFile(file, text);
      return;
    }
    const stream = options.stream ?? process.stdout;
    if (format === 'csv' && !headerWritten) {
      headerWritten = true;
      text = CSV_HEADER + text;
    }
    await new Promise<void>((resolve, reject) => {
      stream.write(text, (err) => (err ? reject(err) : resolve()));
    });
  };
  return {
    name: file ? `file:${file}` : 'stdout',
    accepts: (r: OutputRecord) => format !== 'csv' || CSV_KINDS.has(r.kind),
    deliver: (batch) => write(batch.map((r) => formatRecord(format, r)).join('')),
  };
}
