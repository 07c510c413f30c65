import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isOk, LineClient, typicalSession } from '../attach/testing/line-client.js';
import { MHZ19_READ_COMMAND, mhz19ChecksumValid, mhz19Ppm, nextBytes } from '../attach/testing/mhz19-host.js';
import { closeSerial, openSerial } from '../attach/testing/serialport.js';
import { main } from './main.js';

const RBID = '0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'PASSWORD1234';
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Runs the CLI as its own process (`node --import tsx main.ts`), as `pnpm start` does. */
function spawnCli(args: string[]): {
  proc: ChildProcess;
  output: () => string;
  line: (re: RegExp) => Promise<RegExpMatchArray>;
} {
  const proc = spawn(process.execPath, ['--conditions=b-route-source', '--import', 'tsx', MAIN, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  cleanup.push(() => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  });
  const line = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.match(re);
        if (m) return resolve(m);
        if (proc.exitCode !== null) return reject(new Error(`CLI exited: ${out}`));
        waiters.push(check);
      };
      check();
    });
  return { proc, output: () => out, line };
}

const exited = (proc: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (c) => resolve(c)),
  );

describe('simulator CLI', () => {
  it('serves --pty and --tcp, a serialport client runs a session, Ctrl-C stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'ttyWISUN');
    const cli = spawnCli([
      '--model',
      'bp35c2',
      '--pty',
      path,
      '--tcp',
      '0',
      '--rbid',
      RBID,
      '--password',
      PASSWORD,
      '--speed',
      '1000',
      '--state-dir',
      dir,
    ]);
    const [, port] = await cli.line(/listening on tcp:\/\/127\.0\.0\.1:(\d+)/);
    expect(cli.output()).toContain(`listening on ${path}`);
    expect(cli.output()).not.toContain(RBID);
    expect(cli.output()).not.toContain(PASSWORD);

    const serial = await openSerial(path);
    const client = new LineClient((b) => serial.write(b), 'dual-stack');
    serial.on('data', (b) => client.feed(b));
    await client.send('SKSREG SFE 0', isOk);
    await client.send({ name: 'WOPT', mode: 1 }, isOk);
    const { reply } = await typicalSession(client, { rbid: RBID, password: PASSWORD });
    expect(reply[0]).toBe(0x10);
    await closeSerial(serial);

    // The TCP side reaches the same dongle.
    const socket = connect(Number(port), '127.0.0.1');
    const tcpClient = new LineClient((b) => socket.write(b), 'dual-stack');
    socket.on('data', (b: Buffer) => tcpClient.feed(b));
    const evs = await tcpClient.send({ name: 'ROPT' }, isOk);
    expect(evs).toContainEqual({ type: 'ok', value: '01' });
    socket.destroy();

    cli.proc.kill('SIGINT');
    expect(await exited(cli.proc)).toBe(0);
    expect(cli.output()).toContain('stopped (flash writes: 1)');
    expect(existsSync(path)).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'bp35c2.flash.json'), 'utf8')).opt).toBe(1);
  });

  it('serves the MH-Z19 on --co2-pty and --co2-tcp beside the dongle; Ctrl-C removes the links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-co2-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dongle = join(dir, 'ttyWISUN');
    const co2 = join(dir, 'ttyCO2');
    const cli = spawnCli([
      '--model',
      'bp35a1',
      '--pty',
      dongle,
      '--co2-pty',
      co2,
      '--co2-tcp',
      '0',
      '--rbid',
      RBID,
      '--password',
      PASSWORD,
      '--start',
      '2026-01-15T03:00:00Z',
      '--speed',
      '1000',
      '--verbose',
    ]);
    const [, port] = await cli.line(/MH-Z19 CO2 sensor listening on tcp:\/\/127\.0\.0\.1:(\d+)/);
    expect(cli.output()).toContain(`listening on ${dongle}`);
    expect(cli.output()).toContain(`MH-Z19 CO2 sensor listening on ${co2}`);

    // The poller's way: serialport at the sensor's 9600 8N1.
    const serial = await openSerial(co2, 9600);
    const answer = nextBytes(serial, 9);
    serial.write(Buffer.from(MHZ19_READ_COMMAND));
    const bytes = await answer;
    expect(bytes[0]).toBe(0xff);
    expect(bytes[1]).toBe(0x86);
    expect(mhz19ChecksumValid(bytes)).toBe(true);
    expect(mhz19Ppm(bytes)).toBeGreaterThan(0);
    expect(mhz19Ppm(bytes)).toBeLessThanOrEqual(5000);
    await closeSerial(serial);

    const socket = connect(Number(port), '127.0.0.1');
    cleanup.push(() => {
      socket.destroy();
    });
    const viaTcp = nextBytes(socket, 9);
    socket.write(MHZ19_READ_COMMAND);
    const tcpBytes = await viaTcp;
    expect(tcpBytes[1]).toBe(0x86);
    expect(mhz19ChecksumValid(tcpBytes)).toBe(true);
    socket.destroy();
    await cli.line(/co2: > FF 86 /);
    expect(cli.output()).toContain('co2: < FF 01 86 00 00 00 00 00 79');

    // The dongle is attached as before.
    const dongleSerial = await openSerial(dongle);
    const client = new LineClient((b) => dongleSerial.write(b), 'single-hop');
    dongleSerial.on('data', (b) => client.feed(b));
    const evs = await client.send('SKSREG S2', isOk);
    expect(evs).toContainEqual({ type: 'esreg', value: '21' });
    await closeSerial(dongleSerial);

    cli.proc.kill('SIGINT');
    expect(await exited(cli.proc)).toBe(0);
    expect(cli.output()).toContain('stopped');
    expect(existsSync(co2)).toBe(false);
    expect(existsSync(dongle)).toBe(false);
    expect(cli.output()).not.toContain(PASSWORD);
  });

  it('exits 2 with a clear message on a bad command line', async () => {
    const lines: string[] = [];
    const code = await main(
      ['--model', 'bp35c2', '--tcp', '0', '--rbid', RBID, '--password', 'x'],
      {},
      {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      },
    );
    expect(code).toBe(2);
    expect(lines[0]).toBe('simulator: the B-route password must be 12 characters');
  });

  it('exits 1 when it cannot listen', async () => {
    const lines: string[] = [];
    const code = await main(
      ['--model', 'bp35a1', '--pty', '/proc/self/no-such-dir/tty', '--rbid', RBID, '--password', PASSWORD],
      {},
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    );
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/^simulator: /m);
  });
});
