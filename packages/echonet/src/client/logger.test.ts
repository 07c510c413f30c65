import { describe, expect, it } from 'vitest';
import { EchonetError } from '../errors.js';
import { type Logger, levelEnabled, maskSecrets } from './logger.js';

const ID = '0123456789ABCDEF0123456789ABCDEF';
const PWD = 'PASSWORD1234';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (obj: object, msg?: string) =>
    lines.push(JSON.stringify({ level, ...obj, msg }));
  return {
    lines,
    logger: {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child(bindings) {
        const parent = this as Logger;
        const bound = (level: 'debug' | 'info' | 'warn' | 'error') => (obj: object, msg?: string) =>
          parent[level]({ ...bindings, ...obj }, msg);
        return { debug: bound('debug'), info: bound('info'), warn: bound('warn'), error: bound('error') };
      },
    },
  };
}

describe('maskSecrets', () => {
  it('masks secrets in messages, nested strings, arrays and errors (with causes), any case', () => {
    const { logger, lines } = capture();
    const log = maskSecrets(logger, [ID, PWD, ID.slice(-8)], 'echonet:test');
    log.debug({ line: `SKSETRBID ${ID}`, nested: { list: [`x${PWD.toLowerCase()}y`] } }, `tx ${PWD}`);
    const err = new EchonetError('sk.fail', `FAIL after SKSETPWD C ${PWD}`, { cause: new Error(`id ${ID}`) });
    log.error({ err }, 'failed');
    log.info({ pairId: ID.slice(-8) });
    const all = lines.join('\n');
    expect(all).not.toContain(ID);
    expect(all).not.toContain(ID.slice(-8));
    expect(all.toUpperCase()).not.toContain(PWD);
    expect(all).toContain('********');
    expect(JSON.parse(lines[0]!).ns).toBe('echonet:test');
    expect(JSON.parse(lines[1]!).err.code).toBe('sk.fail');
  });

  it('keeps masking in children and reports levels', () => {
    const { logger, lines } = capture();
    maskSecrets(logger, [PWD]).child?.({ part: 'x' }).warn({ v: PWD });
    expect(lines[0]).not.toContain(PWD);
    expect(JSON.parse(lines[0]!).part).toBe('x');
    expect(levelEnabled({ ...logger, isLevelEnabled: (l) => l !== 'debug' }, 'debug')).toBe(false);
    expect(levelEnabled(logger, 'debug')).toBe(true);
  });
});
