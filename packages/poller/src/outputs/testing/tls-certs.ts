/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1, made with the
 * `openssl` command line (Debian's `openssl`), for TLS tests against a real broker. A second,
 * unrelated CA is made too: a client trusting it must refuse the server.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));

export function opensslPath(): string | undefined {
  return OPENSSL;
}

export interface TestCerts {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** A CA that signed nothing here. */
  readonly otherCaFile: string;
}

async function selfSignedCa(bin: string, dir: string, name: string): Promise<string> {
  const key = join(dir, `${name}.key`);
  const crt = join(dir, `${name}.crt`);
  await run(bin, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    crt,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
  return crt;
}

export async function makeTestCerts(dir: string): Promise<TestCerts> {
  const bin = OPENSSL;
  if (!bin) throw new Error('openssl is not installed');
  const caFile = await selfSignedCa(bin, dir, 'test-ca');
  const otherCaFile = await selfSignedCa(bin, dir, 'other-ca');
  const keyFile = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const certFile = join(dir, 'server.crt');
  const ext = join(dir, 'server.ext');
  await writeFile(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run(bin, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    csr,
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await run(bin, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caFile,
    '-CAkey',
    join(dir, 'test-ca.key'),
    '-CAcreateserial',
    '-out',
    certFile,
    '-days',
    '2',
    '-extfile',
    ext,
  ]);
  return { caFile, certFile, keyFile, otherCaFile };
}
