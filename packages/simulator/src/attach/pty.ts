import { type ChildProcess, spawn } from 'node:child_process';
import { lstatSync, unlinkSync } from 'node:fs';
import type { Simulator } from '../simulator.js';
import { type ByteEndpoint, endpointAvailable, onEndpointLifecycle, toEndpoint } from './byte-endpoint.js';
import { serveTcp, type TcpAttachment } from './tcp.js';

export interface PtyOptions {
  /** Where the device appears (a symlink to the pseudo-terminal), e.g. `/tmp/ttyWISUN`. */
  path: string;
  /** The socat binary. Default `socat`. */
  socat?: string;
  /** How long to wait for socat to bring the link up, real ms. Default 5000. */
  readyTimeoutMs?: number;
  /** Called when the link appears, disappears or socat fails (for the CLI's messages). */
  onState?: (state: 'ready' | 'gone' | 'error', detail?: string) => void;
}

export interface PtyAttachment {
  readonly path: string;
  /** True while the link exists and socat carries bytes. */
  readonly ready: boolean;
  /** Resolves once the link is (back) in place. */
  whenReady(): Promise<void>;
  /** Resolves once the link is gone (after an unplug). */
  whenGone(): Promise<void>;
  /** Removes the link, stops socat and the bridge. */
  close(): Promise<void>;
}

const POLL_MS = 20;

function linkExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes `path` if it is a symlink (our own link); refuses to touch anything else. */
function removeLink(path: string): void {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSymbolicLink()) throw new Error(`${path} exists and is not a symlink; not touching it`);
  unlinkSync(path);
}

/**
 * Makes a UART a serial device at `path` that any program, `serialport` included, opens like a
 * USB device: the dongle's for a `Simulator` (`new SerialPort({ path, baudRate: 115200 })`), any
 * device's for a `ByteEndpoint` (e.g. `mhz19Endpoint(sim)`, opened at 9600 8N1). A
 * pseudo-terminal has no line speed, so whatever baud rate, data bits, parity and stop bits the
 * program sets are accepted and bytes pass unchanged. socat creates a raw pseudo-terminal with
 * `path` as a symlink to it and bridges it to a private TCP attachment (`serveTcp`) of the UART:
 *
 *   socat pty,raw,echo=0,link=PATH tcp:127.0.0.1:<internal port>
 *
 * Unplug drops the bridge: socat exits and the link disappears, as the device node of an
 * unplugged USB dongle does; a program holding the port open gets an error or a close. Replug
 * starts socat again and the link comes back (a new pseudo-terminal behind it). The host may
 * close and reopen the port while plugged.
 *
 * @throws Error when socat cannot be started, the link does not appear in time, or `path`
 *   exists and is not a symlink.
 */
export async function attachPty(
  target: Simulator | ByteEndpoint,
  options: PtyOptions,
): Promise<PtyAttachment> {
  const endpoint = toEndpoint(target);
  const path = options.path;
  const socatBin = options.socat ?? 'socat';
  const timeoutMs = options.readyTimeoutMs ?? 5000;
  const notify = options.onState ?? (() => {});
  removeLink(path);
  const bridge: TcpAttachment = await serveTcp(endpoint, { host: '127.0.0.1', port: 0 });

  let child: ChildProcess | null = null;
  let ready = false;
  let closed = false;
  let respawn: NodeJS.Timeout | null = null;
  let readyWaiters: (() => void)[] = [];
  let goneWaiters: (() => void)[] = [];

  const settle = (list: (() => void)[]) => {
    for (const w of list) w();
  };

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc = spawn(socatBin, [`pty,raw,echo=0,link=${path}`, `tcp:127.0.0.1:${bridge.port}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = proc;
      let stderr = '';
      proc.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-2000);
      });
      const started = Date.now();
      let settled = false;
      const poll = setInterval(() => {
        if (settled) return;
        if (linkExists(path) && bridge.connected) {
          settled = true;
          clearInterval(poll);
          ready = true;
          notify('ready');
          settle(readyWaiters);
          readyWaiters = [];
          resolve();
        } else if (Date.now() - started > timeoutMs) {
          settled = true;
          clearInterval(poll);
          proc.kill('SIGTERM');
          reject(new Error(`socat did not bring up ${path} within ${timeoutMs} ms: ${stderr.trim()}`));
        }
      }, POLL_MS);
      proc.on('error', (err) => {
        if (settled) return;
        settled = true;
        clearInterval(poll);
        reject(new Error(`cannot run ${socatBin} (is socat installed?): ${err.message}`));
      });
      proc.on('exit', (code, signal) => {
        clearInterval(poll);
        if (child === proc) child = null;
        const wasReady = ready;
        ready = false;
        try {
          removeLink(path);
        } catch (e) {
          notify('error', (e as Error).message);
        }
        if (wasReady) notify('gone');
        settle(goneWaiters);
        goneWaiters = [];
        if (!settled) {
          settled = true;
          reject(new Error(`socat exited (${signal ?? code}) before ${path} was ready: ${stderr.trim()}`));
          return;
        }
        // socat went away on its own while the device is plugged: bring the device back.
        if (!closed && endpointAvailable(endpoint)) {
          notify('error', `socat exited (${signal ?? code}); restarting`);
          respawn = setTimeout(() => {
            respawn = null;
            if (!closed && endpointAvailable(endpoint) && child === null)
              start().catch((e: Error) => notify('error', e.message));
          }, 500);
        }
      });
    });

  const stop = (): Promise<void> => {
    const proc = child;
    if (!proc) return Promise.resolve();
    return new Promise((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };

  const offLifecycle = onEndpointLifecycle(endpoint, (event) => {
    // On unplug the bridge drops socat's connection; make sure socat is gone too.
    if (event === 'unplug') void stop();
    else if (event === 'replug') {
      if (!closed && child === null) start().catch((e: Error) => notify('error', e.message));
    } else void close();
  });

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      closed = true;
      if (respawn) clearTimeout(respawn);
      offLifecycle();
      await stop();
      removeLink(path);
      await bridge.close();
      settle(readyWaiters);
      readyWaiters = [];
    })();
    return closing;
  }

  try {
    if (endpointAvailable(endpoint)) await start();
  } catch (e) {
    await close();
    throw e;
  }

  return {
    path,
    get ready() {
      return ready;
    },
    whenReady: () =>
      ready || closed ? Promise.resolve() : new Promise<void>((resolve) => readyWaiters.push(resolve)),
    whenGone: () =>
      !ready && child === null
        ? Promise.resolve()
        : new Promise<void>((resolve) => goneWaiters.push(resolve)),
    close,
  };
}
