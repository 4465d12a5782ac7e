import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import type { SecurityOptions } from './options';
import { TokenSet } from './tokens';

/** The TLS files' contents, as node:tls secure context options. */
export interface TlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** The client CA (mTLS) when one is configured. */
  readonly ca?: Buffer;
}

/** The tokens of the file and the variable, or null when neither is configured (authentication off). Throws on a bad entry. */
function loadTokens(o: SecurityOptions): TokenSet | null {
  if (o.tokenFile === null && o.tokens === null) return null;
  const sets: TokenSet[] = [];
  if (o.tokenFile !== null) sets.push(TokenSet.parse(readText(o.tokenFile, 'token file'), o.tokenFile));
  if (o.tokens !== null) sets.push(TokenSet.parse(o.tokens, 'LIGHTNING_STORE_TOKENS'));
  return TokenSet.union(sets);
}

function readText(file: string, what: string): string {
  return readBytes(file, what).toString('utf8');
}

function readBytes(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { cause: err });
  }
}

/** The TLS material, or null without TLS; throws when a file is missing or the key does not fit the certificate. */
function loadTls(o: SecurityOptions): TlsMaterial | null {
  if (o.tlsCert === null && o.tlsKey === null) {
    if (o.tlsClientCa !== null) throw new Error('--tls-client-ca needs --tls-cert and --tls-key');
    return null;
  }
  if (o.tlsCert === null || o.tlsKey === null) throw new Error('TLS needs both --tls-cert and --tls-key');
  const material: TlsMaterial = {
    cert: readBytes(o.tlsCert, 'TLS certificate'),
    key: readBytes(o.tlsKey, 'TLS key'),
    ...(o.tlsClientCa === null ? {} : { ca: readBytes(o.tlsClientCa, 'TLS client CA') }),
  };
  try {
    createSecureContext(material);
  } catch (err) {
    throw new Error(`the TLS files do not make a usable certificate: ${(err as Error).message}`, { cause: err });
  }
  return material;
}

function sameTls(a: TlsMaterial | null, b: TlsMaterial | null): boolean {
  if (a === null || b === null) return a === b;
  return a.cert.equals(b.cert) && a.key.equals(b.key) && (a.ca === undefined ? b.ca === undefined : b.ca !== undefined && a.ca.equals(b.ca));
}

/**
 * The current tokens and TLS material. Built from the options (throws when a file is unreadable or
 * bad, so the server does not start); reload() re-reads them, keeping the old ones (and logging why)
 * when the new files are bad, so a half-written file never locks clients out or drops connections.
 */
export class SecurityState {
  private tokenSet: TokenSet | null;
  private material: TlsMaterial | null;
  private readonly listeners: ((material: TlsMaterial) => void)[] = [];
  private readonly watched: string[] = [];

  constructor(
    private readonly options: SecurityOptions,
    private readonly logger: Logger,
  ) {
    this.tokenSet = loadTokens(options);
    this.material = loadTls(options);
  }

  /** The accepted tokens, or null when authentication is off. */
  get tokens(): TokenSet | null {
    return this.tokenSet;
  }

  /** The TLS material, or null without TLS. */
  get tls(): TlsMaterial | null {
    return this.material;
  }

  /** Whether clients must present a certificate signed by the client CA. */
  get requiresClientCertificate(): boolean {
    return this.material?.ca !== undefined;
  }

  /** Calls `listener` with the new material each time a reload changes it. */
  onTlsChange(listener: (material: TlsMaterial) => void): void {
    this.listeners.push(listener);
  }

  /** Re-reads the token and TLS files; a bad file keeps what was loaded before. */
  reload(): void {
    try {
      this.tokenSet = loadTokens(this.options);
      this.logger.info({ tokens: this.tokenSet?.size ?? 0 }, 'tokens loaded');
    } catch (err) {
      this.logger.warn({ reason: (err as Error).message }, 'tokens not reloaded: keeping the previous ones');
    }
    if (this.material === null) return;
    try {
      const next = loadTls(this.options);
      if (next === null || sameTls(next, this.material)) return;
      this.material = next;
      for (const listener of this.listeners) listener(next);
      this.logger.info('TLS certificate reloaded');
    } catch (err) {
      this.logger.warn({ reason: (err as Error).message }, 'TLS files not reloaded: keeping the previous certificate');
    }
  }

  /** Reloads whenever one of the files changes (polled every reloadIntervalMs); stop with unwatch(). */
  watch(): void {
    const o = this.options;
    for (const file of [o.tokenFile, o.tlsCert, o.tlsKey, o.tlsClientCa]) {
      if (file === null || this.watched.includes(file)) continue;
      this.watched.push(file);
      watchFile(file, { interval: o.reloadIntervalMs, persistent: false }, (now, before) => {
        if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) this.reload();
      });
    }
  }

  /** Stops watching the files. */
  unwatch(): void {
    for (const file of this.watched.splice(0)) unwatchFile(file);
  }
}
