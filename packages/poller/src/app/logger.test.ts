import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, installDebugToggle } from './logger.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('createLogger', () => {
  it('writes JSON lines when not on a TTY and redacts secret fields', () => {
    const out = capture();
    const log = createLogger({ stream: out.stream, pretty: false });
    log.info({ password: 'SECRETPASSWD', routeB: { id: '0123456789ABCDEF0123456789ABCDEF' } }, 'hello');
    const line = JSON.parse(out.text().trim());
    expect(line.msg).toBe('hello');
    expect(out.text()).not.toContain('SECRETPASSWD');
    expect(out.text()).not.toContain('0123456789ABCDEF0123456789ABCDEF');
  });

  it('SIGUSR1 toggles debug and back', () => {
    const out = capture();
    const log = createLogger({ stream: out.stream, pretty: false, level: 'warn' });
    const fake = new EventEmitter() as unknown as NodeJS.Process;
    const uninstall = installDebugToggle(log, fake);
    fake.emit('SIGUSR1');
    expect(log.level).toBe('debug');
    const line = out.text().trim().split('\n').at(-1)!;
    expect(line.match(/"level"/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ logLevel: 'debug', msg: 'log level changed by SIGUSR1' });
    fake.emit('SIGUSR1');
    expect(log.level).toBe('warn');
    uninstall();
    fake.emit('SIGUSR1');
    expect(log.level).toBe('warn');
  });
});
