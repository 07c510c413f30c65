import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runDecode, USAGE } from './run-decode.js';

const FIXTURE = new URL('../../../../fixtures/real-traffic.txt', import.meta.url);
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

const E7_LINE =
  'ERXUDP FE80:0000:0000:0000:021C:6400:6014:21A3 FE80:0000:0000:0000:021D:1290:0005:747B 0E1A 0E1A ' +
  '001C6400601421A3 1 0012 1081000102880105FF017201E70400000278\r\n';

/** A Writable that keeps what is written. */
function sink(): Writable & { text(): string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8') });
}

async function run(argv: string[], stdin: AsyncIterable<Uint8Array | string>) {
  const stdout = sink();
  const stderr = sink();
  const code = await runDecode({ argv, stdin, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('runDecode', () => {
  it('writes one JSON record per line, in input order, and exits 0', async () => {
    const { code, stdout, stderr } = await run(
      [],
      Readable.from([Buffer.from(`OK\r\n${E7_LINE}nonsense\r\n`)]),
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const records = stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => [r.line, r.type])).toEqual([
      [1, 'ok'],
      [2, 'erxudp'],
      [3, 'error'],
    ]);
    expect(records[1].echonet.properties[0]).toMatchObject({ epc: 'E7', value: 632 });
  });

  it('prints usage for -h/--help, rejects unknown arguments with exit 2', async () => {
    expect(await run(['--help'], Readable.from([]))).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    expect((await run(['-h'], Readable.from([]))).stdout).toBe(USAGE);
    const bad = await run(['--pretty'], Readable.from([]));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown argument "--pretty"');
  });

  it('exits 1 with one line on stderr when stdin cannot be read, after the records read so far', async () => {
    async function* failing() {
      yield Buffer.from(E7_LINE);
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    const { code, stdout, stderr } = await run([], failing());
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toBe('decode: cannot read stdin: EIO: i/o error, read\n');
  });

  it('stops quietly with exit 0 when the reader of stdout goes away (EPIPE)', async () => {
    const stdout = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, cb) {
        const err = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        cb(err);
      },
    });
    const stdin = new PassThrough();
    const stderr = sink();
    const done = runDecode({ argv: [], stdin, stdout, stderr });
    stdin.write(E7_LINE);
    stdin.write(E7_LINE);
    // stdin is never ended: decode must stop reading by itself once stdout is gone
    const timer = setInterval(() => stdin.write(E7_LINE), 5);
    try {
      expect(await done).toBe(0);
    } finally {
      clearInterval(timer);
    }
    expect(stderr.text()).toBe('');
  });
});

/** Spawns the real command: `tsx src/cli/decode.ts` in packages/echonet, as `pnpm decode` does. */
function spawnDecode(
  stdin: Buffer | number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['--conditions=b-route-source', 'src/cli/decode.ts'], {
      cwd: PACKAGE_DIR,
      stdio: [typeof stdin === 'number' ? stdin : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    if (typeof stdin !== 'number') child.stdin!.end(stdin);
  });
}

describe('decode command (end to end)', () => {
  it('decodes the real-traffic fixture from stdin to NDJSON, exit 0; random bytes exit 0; unreadable stdin exit 1', async () => {
    const fixture = await spawnDecode(readFileSync(FIXTURE));
    expect(fixture.stderr).toBe('');
    expect(fixture.code).toBe(0);
    const records = fixture.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(14);
    expect(records.every((r) => r.type === 'erxudp' && r.echonet.esv.startsWith('Get_'))).toBe(true);
    expect(records[3]).toMatchObject({
      line: 12,
      echonet: { esv: 'Get_Res', properties: [{ epc: 'E7', name: 'instantaneousPower', value: 632 }] },
    });
    expect(records[13].echonet.properties[0].value).toBe(686);

    let seed = 7;
    const random = Buffer.alloc(64 * 1024);
    for (let i = 0; i < random.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      random[i] = seed >> 16;
    }
    const noise = await spawnDecode(random);
    expect(noise.code).toBe(0);
    expect(noise.stderr).toBe('');
    for (const line of noise.stdout.trimEnd().split('\n')) expect(JSON.parse(line)).toHaveProperty('type');

    // a descriptor opened write-only: every read fails with EBADF
    const dir = mkdtempSync(join(tmpdir(), 'decode-'));
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      const unreadable = await spawnDecode(fd);
      expect(unreadable.code).toBe(1);
      expect(unreadable.stderr).toMatch(/^decode: cannot read stdin: .*EBADF.*\n$/);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true });
    }
  });
});
