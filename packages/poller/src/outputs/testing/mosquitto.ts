/**
 * A real mosquitto broker for the MQTT tests (Debian's `mosquitto`, installed by
 * scripts/setup.sh), on a free port, with persistence so a restart keeps sessions and queued
 * QoS 1 messages as a production broker does. `available()` is false where it is missing.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const CANDIDATES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'];

export function mosquittoPath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** SIGTERM: mosquitto saves its persistence file and exits. */
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  /** Users and passwords; given, anonymous clients are refused. */
  readonly users?: Readonly<Record<string, string>>;
  /** PEM files: the listener speaks TLS only (`url` is then mqtts://). */
  readonly tls?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string };
}

export async function mosquitto(dir: string, options: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = mosquittoPath();
  if (!bin) throw new Error('mosquitto is not installed (apt-get install mosquitto; scripts/setup.sh does)');
  const port = await freePort();
  await mkdir(dir, { recursive: true });
  const conf = join(dir, 'mosquitto.conf');
  const passwords = join(dir, 'passwords');
  if (options.users) {
    await writeFile(passwords, '');
    for (const [user, password] of Object.entries(options.users))
      await run('mosquitto_passwd', ['-b', passwords, user, password]);
  }
  await writeFile(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      ...(options.tls
        ? [
            `cafile ${options.tls.caFile}`,
            `certfile ${options.tls.certFile}`,
            `keyfile ${options.tls.keyFile}`,
          ]
        : []),
      // Started as root (CI), mosquitto 2 drops to user `mosquitto`, which cannot read the
      // test's 0700 temporary directory (password file, persistence); as any other user this
      // line has no effect.
      'user root',
      ...(options.users ? ['allow_anonymous false', `password_file ${passwords}`] : ['allow_anonymous true']),
      'persistence true',
      `persistence_location ${dir}/`,
      'log_dest none',
      // Unlimited queue for persistent sessions: a subscriber away during a backlog gets it all.
      'max_queued_messages 0',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const broker: Mosquitto = {
    port,
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    async start() {
      child = spawn(bin, ['-c', conf], { stdio: 'ignore' });
      const end = Date.now() + 10_000;
      while (!(await accepting(port))) {
        if (Date.now() > end || child.exitCode !== null) throw new Error('mosquitto did not start');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    },
  };
  return broker;
}
