/** Options of authentication, TLS and request checks; every file is re-read on reload. */
export interface SecurityOptions {
  /** File of tokens, lines `scope token` (see TokenSet.parse); default none. */
  readonly tokenFile: string | null;
  /** Token text in the same format, `;` or newline separated (the CLI takes it from LIGHTNING_STORE_TOKENS only); default none. */
  readonly tokens: string | null;
  /** Serve a non-loopback address without tokens (refused otherwise); default false. */
  readonly insecureNoAuth: boolean;
  /** PEM certificate chain of both ports; with tlsKey turns on TLS (HTTPS and gRPC over TLS); default none. */
  readonly tlsCert: string | null;
  /** PEM private key of tlsCert; default none. */
  readonly tlsKey: string | null;
  /** PEM CA bundle; when set, clients must present a certificate it signed (mTLS) on both ports; default none. */
  readonly tlsClientCa: string | null;
  /** Host names the HTTP port answers besides loopback names and IP addresses (DNS rebinding guard); default none. */
  readonly allowedHosts: readonly string[];
  /** Milliseconds between checks of the files for changes (SIGHUP reloads at once); default 2000. */
  readonly reloadIntervalMs: number;
}

/** Defaults of the security options: no tokens, no TLS, no extra host names. */
export const SECURITY_DEFAULTS: SecurityOptions = {
  tokenFile: null,
  tokens: null,
  insecureNoAuth: false,
  tlsCert: null,
  tlsKey: null,
  tlsClientCa: null,
  allowedHosts: [],
  reloadIntervalMs: 2000,
};
