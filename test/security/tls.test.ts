import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { StoreClient } from '../../src/client/store-client';
import { StoreSpanExporter } from '../../src/client/span-exporter';
import { recordSpans } from '../client/otel-spans';
import type { ClientTlsOptions } from '../../src/client/channel-security';
import { StoreClientError } from '../../src/client/errors';
import { runCli } from '../support/cli-process';
import type { Certificates } from './certificates';
import { makeCertificates } from './certificates';
import type { RequestTls, SecuredServer } from './support';
import { call, eventually, startSecured, stop } from './support';

let dir: string;
let certs: Certificates;
const pem = (file: string) => readFileSync(file);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ls-tls-'));
  certs = makeCertificates(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a getStatistics call over gRPC ends in: OK or the status name. */
async function grpcOutcome(address: string, tls: ClientTlsOptions): Promise<string> {
  const client = new StoreClient(address, { tls, retry: false, deadlineMs: 3000 });
  try {
    await client.getStatistics({});
    return 'OK';
  } catch (err) {
    if (err instanceof StoreClientError) return err.codeName;
    throw err;
  } finally {
    client.close();
  }
}

/** The HTTP status of GET /v1/agl/statistics over HTTPS, or the connection's error code. */
async function httpsOutcome(port: number, tls: RequestTls): Promise<string> {
  try {
    return String((await call(port, 'GET', '/v1/agl/statistics', { tls })).status);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}

/** The common name of the certificate a TLS handshake with 127.0.0.1:`port` gets. */
function servedName(port: number, alpn: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca: pem(certs.caCert), servername: 'localhost', ALPNProtocols: [alpn], cert: pem(certs.clientCert), key: pem(certs.clientKey) }, () => {
      const name = String(socket.getPeerCertificate().subject.CN);
      socket.end();
      resolve(name);
    });
    socket.on('error', reject);
  });
}

describe('TLS on both ports', () => {
  let server: SecuredServer | undefined;
  let certFile: string;

  beforeAll(async () => {
    certFile = path.join(dir, 'live-server.pem');
    copyFileSync(certs.serverCert, certFile);
    server = await startSecured(['--tls-cert', certFile, '--tls-key', certs.serverKey, '--reload-interval-ms', '100']);
  });

  afterAll(() => stop(server));

  it('completes a handshake with a client that trusts the CA, on gRPC and HTTPS', async () => {
    expect(await grpcOutcome(server!.address, { ca: pem(certs.caCert) })).toBe('OK');
    expect(await httpsOutcome(server!.httpPort, { ca: pem(certs.caCert) })).toBe('200');
  });

  it('is refused by a client that trusts another CA, and refuses plaintext', async () => {
    expect(await grpcOutcome(server!.address, { ca: pem(certs.otherCaCert) })).toBe('UNAVAILABLE');
    expect(await httpsOutcome(server!.httpPort, { ca: pem(certs.otherCaCert) })).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    await expect(call(server!.httpPort, 'GET', '/v1/agl/health')).rejects.toThrow();
  });

  it('passes the health command over TLS', async () => {
    const health = runCli(['health', '--address', server!.address, '--ca', certs.caCert]);
    expect(await health.exited).toBe(0);
    expect(health.stdout()).toBe(`${server!.address}: SERVING\n`);
  });

  it('serves a replaced certificate to new connections on both ports, keeping open ones', async () => {
    const client = new StoreClient(server!.address, { tls: { ca: pem(certs.caCert) }, retry: false, deadlineMs: 3000 });
    try {
      await client.getStatistics({});
      expect(await servedName(server!.httpPort, 'http/1.1')).toBe('localhost');
      copyFileSync(certs.renewedServerCert, certFile);
      server!.cli.child.kill('SIGHUP');
      await eventually(async () => (await servedName(server!.httpPort, 'http/1.1')) === 'renewed.localhost');
      expect(await servedName(Number(server!.address.split(':')[1]), 'h2')).toBe('renewed.localhost');
      // The channel opened before the reload still answers.
      await client.getStatistics({});
    } finally {
      client.close();
    }
  });
});

describe('an expired server certificate', () => {
  let server: SecuredServer | undefined;

  beforeAll(async () => {
    server = await startSecured(['--tls-cert', certs.expiredServerCert, '--tls-key', certs.serverKey]);
  });

  afterAll(() => stop(server));

  it('is refused by clients on both ports', async () => {
    expect(await grpcOutcome(server!.address, { ca: pem(certs.caCert) })).toBe('UNAVAILABLE');
    expect(await httpsOutcome(server!.httpPort, { ca: pem(certs.caCert) })).toBe('CERT_HAS_EXPIRED');
  });
});

describe('mTLS (--tls-client-ca)', () => {
  let server: SecuredServer | undefined;

  beforeAll(async () => {
    server = await startSecured(['--tls-cert', certs.serverCert, '--tls-key', certs.serverKey, '--tls-client-ca', certs.caCert]);
  });

  afterAll(() => stop(server));

  it('serves a client certificate signed by the client CA', async () => {
    const tls = { ca: pem(certs.caCert), cert: pem(certs.clientCert), key: pem(certs.clientKey) };
    expect(await grpcOutcome(server!.address, tls)).toBe('OK');
    expect(await httpsOutcome(server!.httpPort, tls)).toBe('200');
    const health = runCli(['health', '--address', server!.address, '--ca', certs.caCert, '--cert', certs.clientCert, '--key', certs.clientKey]);
    expect(await health.exited).toBe(0);
  });

  it('refuses clients without a certificate, or with one another CA signed, on both ports', async () => {
    expect(await grpcOutcome(server!.address, { ca: pem(certs.caCert) })).toBe('UNAVAILABLE');
    expect(await httpsOutcome(server!.httpPort, { ca: pem(certs.caCert) })).not.toBe('200');
    const stranger = { ca: pem(certs.caCert), cert: pem(certs.strangerCert), key: pem(certs.strangerKey) };
    expect(await grpcOutcome(server!.address, stranger)).toBe('UNAVAILABLE');
    expect(await httpsOutcome(server!.httpPort, stranger)).not.toBe('200');
  });
});

describe('mTLS and tokens together: the client and the span exporter', () => {
  const ADMIN = 'tls-admin-token-0123456789';
  const RUNNER = 'tls-runner-token-0123456789';
  let server: SecuredServer | undefined;

  beforeAll(async () => {
    const args = ['--tls-cert', certs.serverCert, '--tls-key', certs.serverKey, '--tls-client-ca', certs.caCert];
    server = await startSecured(args, { LIGHTNING_STORE_TOKENS: `admin ${ADMIN};runner ${RUNNER}` });
  });

  afterAll(() => stop(server));

  it('sends spans through StoreSpanExporter with a client certificate and a runner token', async () => {
    const tls = { ca: pem(certs.caCert), cert: pem(certs.clientCert), key: pem(certs.clientKey) };
    const admin = new StoreClient(server!.address, { tls, token: ADMIN, retry: false });
    try {
      const started = (await admin.startRollout({ rollout: {} })).rollout!;
      const ids = { 'agentlightning.rollout_id': started.rollout!.rolloutId, 'agentlightning.attempt_id': started.attempt!.attemptId };
      const spans = await recordSpans(ids, (tracer) => tracer.startSpan('step').end());
      const exportWith = async (token?: string): Promise<ExportResult> => {
        const exporter = new StoreSpanExporter({ address: server!.address, clientOptions: { tls, retry: false, ...(token === undefined ? {} : { token }) } });
        const result = await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
        await exporter.shutdown();
        return result;
      };
      expect((await exportWith()).code).toBe(ExportResultCode.FAILED);
      expect(await exportWith(RUNNER)).toEqual({ code: ExportResultCode.SUCCESS });
      expect((await admin.getStatistics({})).totalSpans).toBe(1);
    } finally {
      admin.close();
    }
  });
});
