import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function sink(isTTY: boolean, columns = 40) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns, write: (t: string) => out.push(t) } };
}

describe('createProgress', () => {
  it('on a terminal rewrites one line, cut to the width, and ends it before a lasting line', () => {
    const { out, stream } = sink(true, 21);
    const p = createProgress({ stream });
    p.update('12:00 polls 1');
    p.update('12:30 polls 2 and a long tail');
    p.log('done');
    expect(out).toEqual(['\r12:00 polls 1\x1b[K', '\r12:30 polls 2 and a \x1b[K', '\n', 'done\n']);
  });

  it('elsewhere writes plain lines, at most one per interval', () => {
    const { out, stream } = sink(false);
    let now = 0;
    const p = createProgress({ stream, plainEveryMs: 1000, now: () => now });
    p.update('a');
    now = 500;
    p.update('b');
    now = 1000;
    p.update('c');
    p.done();
    p.log('end');
    expect(out).toEqual(['a\n', 'c\n', 'end\n']);
  });
});
