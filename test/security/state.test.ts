import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { SECURITY_DEFAULTS } from '../../src/security/options';
import type { SecurityOptions } from '../../src/security/options';
import type { TlsMaterial } from '../../src/security/state';
import { SecurityState } from '../../src/security/state';
import { captureLogs } from '../support/log-capture';
import type { Certificates } from './certificates';
import { makeCertificates } from './certificates';

const TOKEN = 'state-admin-token-0123456789';

describe('SecurityState', () => {
  let dir: string;
  let certs: Certificates;
  const options = (o: Partial<SecurityOptions>): SecurityOptions => ({ ...SECURITY_DEFAULTS, ...o });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ls-state-'));
    certs = makeCertificates(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has no tokens and no TLS by default', () => {
    const state = new SecurityState(SECURITY_DEFAULTS, pino({ level: 'silent' }));
    expect([state.tokens, state.tls, state.requiresClientCertificate]).toEqual([null, null, false]);
  });

  it('refuses to start with half a TLS configuration or a key that does not fit the certificate', () => {
    const silent = pino({ level: 'silent' });
    expect(() => new SecurityState(options({ tlsCert: certs.serverCert }), silent)).toThrow('TLS needs both --tls-cert and --tls-key');
    expect(() => new SecurityState(options({ tlsClientCa: certs.caCert }), silent)).toThrow('--tls-client-ca needs --tls-cert and --tls-key');
    expect(() => new SecurityState(options({ tlsCert: certs.serverCert, tlsKey: certs.clientKey }), silent)).toThrow(/do not make a usable certificate/);
    expect(() => new SecurityState(options({ tlsCert: path.join(dir, 'none.pem'), tlsKey: certs.serverKey }), silent)).toThrow(/cannot read the TLS certificate .*ENOENT/);
  });

  it('reloads a changed certificate, tells its listeners, and keeps the old one when the new files are bad', () => {
    const certFile = path.join(dir, 'state-cert.pem');
    copyFileSync(certs.serverCert, certFile);
    const { logger, lines } = captureLogs();
    const state = new SecurityState(options({ tlsCert: certFile, tlsKey: certs.serverKey, tlsClientCa: certs.caCert }), logger);
    expect(state.requiresClientCertificate).toBe(true);
    const seen: TlsMaterial[] = [];
    state.onTlsChange((m) => seen.push(m));
    state.reload();
    expect(seen).toEqual([]);
    copyFileSync(certs.renewedServerCert, certFile);
    state.reload();
    expect(seen.length).toBe(1);
    expect(state.tls!.cert.toString()).toBe(seen[0]!.cert.toString());
    writeFileSync(certFile, 'not a certificate');
    state.reload();
    expect(seen.length).toBe(1);
    expect(state.tls!.cert.equals(seen[0]!.cert)).toBe(true);
    expect(lines.some((l) => l['msg'] === 'TLS files not reloaded: keeping the previous certificate')).toBe(true);
  });

  it('reads tokens from the file and the variable together', () => {
    const file = path.join(dir, 'tokens');
    writeFileSync(file, `admin ${TOKEN}\n`);
    const state = new SecurityState(options({ tokenFile: file, tokens: 'runner state-runner-token-0123456789' }), pino({ level: 'silent' }));
    expect(state.tokens!.size).toBe(2);
    expect(state.tokens!.scopeOf(TOKEN)).toBe('admin');
  });
});
