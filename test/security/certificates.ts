import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Paths of the PEM files makeCertificates writes. */
export interface Certificates {
  readonly caCert: string;
  /** A second CA that signed nothing the server trusts. */
  readonly otherCaCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Another server certificate (same CA and key), to check that a reload takes effect. */
  readonly renewedServerCert: string;
  /** A server certificate (same CA and key) that expired in 2020. */
  readonly expiredServerCert: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate signed by otherCaCert. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

function openssl(dir: string, args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'the TLS tests need openssl (Debian: apt-get install openssl)' : `openssl ${args[0]} failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`, { cause: err });
  }
}

function key(dir: string, name: string): string {
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', name]);
  return path.join(dir, name);
}

function ca(dir: string, name: string): string {
  const k = key(dir, `${name}.key`);
  openssl(dir, ['req', '-x509', '-new', '-key', k, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`]);
  return path.join(dir, `${name}.pem`);
}

/**
 * A certificate for `subject` signed by the CA `caName` with `openssl ca`, valid from `start` to
 * `end` (YYYYMMDDHHMMSSZ; the `ca` command can backdate, which `x509 -req` of OpenSSL 3.0 cannot).
 */
function signed(dir: string, caName: string, keyFile: string, name: string, subject: string, usage: 'serverAuth' | 'clientAuth', start: string, end: string): string {
  const caDir = path.join(dir, `${caName}-db`);
  mkdirSync(caDir, { recursive: true });
  writeFileSync(path.join(caDir, 'index.txt'), '', { flag: 'a' });
  writeFileSync(path.join(caDir, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
  const config = path.join(caDir, 'ca.cnf');
  writeFileSync(
    config,
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `database = ${path.join(caDir, 'index.txt')}`,
      `serial = ${path.join(caDir, 'serial')}`,
      `new_certs_dir = ${caDir}`,
      'default_md = sha256',
      'policy = anything',
      'unique_subject = no',
      'copy_extensions = none',
      'x509_extensions = ext',
      '[anything]',
      'commonName = supplied',
      '[ext]',
      'basicConstraints = CA:FALSE',
      `extendedKeyUsage = ${usage}`,
      'subjectAltName = DNS:localhost,IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  openssl(dir, ['req', '-new', '-key', keyFile, '-out', `${name}.csr`, '-subj', `/CN=${subject}`]);
  const caFiles = ['-cert', `${caName}.pem`, '-keyfile', `${caName}.key`];
  openssl(dir, ['ca', '-batch', '-notext', '-config', config, ...caFiles, '-in', `${name}.csr`, '-out', `${name}.pem`, '-startdate', start, '-enddate', end]);
  return path.join(dir, `${name}.pem`);
}

/** Writes a CA, server and client certificates (and the wrong and expired ones the tests need) into `dir`. */
export function makeCertificates(dir: string): Certificates {
  const now = new Date();
  const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const start = stamp(new Date(now.getTime() - 3600_000));
  const end = stamp(new Date(now.getTime() + 2 * 86_400_000));
  const caCert = ca(dir, 'ca');
  const otherCaCert = ca(dir, 'other-ca');
  const serverKey = key(dir, 'server.key');
  const clientKey = key(dir, 'client.key');
  const strangerKey = key(dir, 'stranger.key');
  return {
    caCert,
    otherCaCert,
    serverKey,
    clientKey,
    strangerKey,
    serverCert: signed(dir, 'ca', serverKey, 'server', 'localhost', 'serverAuth', start, end),
    renewedServerCert: signed(dir, 'ca', serverKey, 'server-renewed', 'renewed.localhost', 'serverAuth', start, end),
    expiredServerCert: signed(dir, 'ca', serverKey, 'server-expired', 'localhost', 'serverAuth', '20200101000000Z', '20200102000000Z'),
    clientCert: signed(dir, 'ca', clientKey, 'client', 'runner-1', 'clientAuth', start, end),
    strangerCert: signed(dir, 'other-ca', strangerKey, 'stranger', 'stranger', 'clientAuth', start, end),
  };
}
