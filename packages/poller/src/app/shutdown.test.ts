import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installShutdown, STOP_SIGNALS } from './shutdown.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function fakeProcess() {
  const proc = new EventEmitter();
  return {
    proc: proc as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
    emit: (s: string) => proc.emit(s),
    count: (s: string) => proc.listenerCount(s),
  };
}

describe('installShutdown', () => {
  it.each(STOP_SIGNALS)('%s runs the graceful stop once and exits 0', async (signal) => {
    const { proc, emit } = fakeProcess();
    const stops: string[] = [];
    const exits: number[] = [];
    const h = installShutdown({
      proc,
      logger: quiet,
      forceExit: (c) => exits.push(c),
      stop: async (s) => void stops.push(s),
    });
    emit(signal);
    expect(await h.done).toBe(0);
    expect(stops).toEqual([signal]);
    expect(exits).toEqual([]);
    h.uninstall();
  });

  it('a stop that hangs is cut by the hard timer with status 1', async () => {
    const { proc, emit } = fakeProcess();
    const exited = new Promise<number>((resolve) => {
      installShutdown({
        proc,
        logger: quiet,
        timeoutMs: 20,
        forceExit: resolve,
        stop: () => new Promise(() => {}),
      });
    });
    emit('SIGTERM');
    expect(await exited).toBe(1);
  });

  it('the same signal delivered twice at once is one request; a later one exits at once; a failed stop gives status 1', async () => {
    const { proc, emit, count } = fakeProcess();
    const exits: number[] = [];
    let fail!: (e: Error) => void;
    let t = 0;
    const h = installShutdown({
      proc,
      logger: quiet,
      now: () => t,
      forceExit: (c) => exits.push(c),
      stop: () => new Promise((_, reject) => (fail = reject)),
    });
    emit('SIGINT');
    t = 200;
    emit('SIGINT');
    expect(exits).toEqual([]);
    t = 3_000;
    emit('SIGINT');
    expect(exits).toEqual([1]);
    fail(new Error('writer failed'));
    expect(await h.done).toBe(1);
    h.uninstall();
    expect(STOP_SIGNALS.map(count)).toEqual([0, 0, 0]);
  });
});
