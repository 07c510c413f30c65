/**
 * A progress display for the long-running scripts: one line rewritten in place on a terminal,
 * plain lines at most every `plainEveryMs` otherwise (a log file or CI keeps a readable trace).
 */

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressOptions {
  /** Default process.stdout. */
  readonly stream?: ProgressStream;
  /** Treat the stream as a terminal; default its `isTTY`. */
  readonly tty?: boolean;
  /** Shortest real time between two plain lines; default 10 000 ms. */
  readonly plainEveryMs?: number;
  /** Real time; default Date.now. */
  readonly now?: () => number;
}

export interface Progress {
  /** The current state; on a terminal it replaces the line shown, otherwise it may be skipped. */
  update(text: string): void;
  /** A line that stays (ends the updating line first). */
  log(text: string): void;
  /** Ends the updating line; later `log` lines start on a fresh line. */
  done(): void;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stdout;
  const tty = options.tty ?? stream.isTTY === true;
  const every = options.plainEveryMs ?? 10_000;
  const now = options.now ?? Date.now;
  let shown = false;
  let lastPlain = Number.NEGATIVE_INFINITY;
  const endLine = (): void => {
    if (shown) stream.write('\n');
    shown = false;
  };
  return {
    update(text) {
      if (tty) {
        // A pseudo-terminal without a size reports 0 columns.
        const width = Math.max(20, (stream.columns || 120) - 1);
        // \r back to column 0, the text cut to the terminal width, then clear what the last one left.
        stream.write(`\r${text.length > width ? text.slice(0, width) : text}\x1b[K`);
        shown = true;
        return;
      }
      const t = now();
      if (t - lastPlain < every) return;
      lastPlain = t;
      stream.write(`${text}\n`);
    },
    log(text) {
      endLine();
      stream.write(`${text}\n`);
    },
    done: endLine,
  };
}
