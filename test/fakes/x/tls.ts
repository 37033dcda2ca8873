import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** PEM path of the certificate, given to the adapter as `caFile` (self-signed: it is its own CA). */
  readonly caFile: string;
  dispose(): void;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1, made with the openssl CLI for one test run:
 * twitter-api-v2 always uses https.request, so the fake X must speak TLS (PLATFORMS §3).
 */
export function makeTestCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'fake-x-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '1',
    '-subj', '/CN=fake-x.test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return {
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    caFile: certFile,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
