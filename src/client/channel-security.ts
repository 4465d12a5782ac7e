import { credentials, InterceptingCall } from '@grpc/grpc-js';
import type { ChannelCredentials, Interceptor } from '@grpc/grpc-js';

/** TLS of a client: the CA that signed the server's certificate (default the system roots), and a certificate and key for mTLS. */
export interface ClientTlsOptions {
  /** PEM CA bundle the server's certificate must chain to; default Node's root certificates. */
  readonly ca?: Buffer | string;
  /** PEM client certificate chain, for a server with --tls-client-ca. */
  readonly cert?: Buffer | string;
  /** PEM private key of `cert`. */
  readonly key?: Buffer | string;
}

const bytes = (value: Buffer | string | undefined): Buffer | null => (value === undefined ? null : Buffer.from(value));

/** The channel credentials for `tls` (true: TLS with the system roots), or plaintext without it. Throws for a cert without key or the reverse. */
export function channelCredentialsOf(tls: ClientTlsOptions | true | undefined): ChannelCredentials {
  if (tls === undefined) return credentials.createInsecure();
  if (tls === true) return credentials.createSsl();
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new Error('a client certificate needs its key (tls.cert and tls.key together)');
  return credentials.createSsl(bytes(tls.ca), bytes(tls.key), bytes(tls.cert));
}

/**
 * A client interceptor that sends `authorization: Bearer <token>` with every call. Metadata rather
 * than call credentials, because grpc-js sends call credentials over TLS only and loopback servers
 * with tokens may run without TLS.
 */
export function bearerToken(token: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) => {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}
