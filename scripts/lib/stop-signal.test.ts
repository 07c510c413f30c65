import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onStopSignal } from './stop-signal.js';

describe('onStopSignal', () => {
  it('stops on the first signal, takes a repeat within the window as the same press, quits on a later one', () => {
    const proc = new EventEmitter();
    let now = 0;
    const calls: string[] = [];
    const uninstall = onStopSignal(() => calls.push('stop'), {
      proc,
      now: () => now,
      quit: () => calls.push('quit'),
    });
    proc.emit('SIGINT');
    now = 300;
    proc.emit('SIGINT');
    expect(calls).toEqual(['stop']);
    now = 2000;
    proc.emit('SIGTERM');
    expect(calls).toEqual(['stop', 'quit']);
    uninstall();
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
  });
});
