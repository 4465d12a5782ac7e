import type { Level } from 'pino';
import { BACKENDS, SQLITE_SYNC_MODES } from '../store/create-store';
import { MONGO_SERVER_BEHAVIOURS } from '../store/mongo/capabilities';
import type { ServerOptions } from '../server';
import { SERVER_DEFAULTS } from '../server';

/** Log levels the CLI accepts, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const satisfies readonly Level[];
/** A CLI log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything `lightning-store serve` can be told: the server's options tree and the log level. */
export type ServeSettings = Omit<ServerOptions, 'store' | 'clock' | 'logger'> & { readonly logLevel: LogLevel };

/** Where `serve` differs from the server's defaults: the durable SQLite backend, and log level info. */
export const SERVE_DEFAULTS: ServeSettings = { logLevel: 'info', storage: { backend: 'sqlite' } };

/** A bad flag or environment value; the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the text of one setting; throws a plain message (the caller names the flag or variable). */
type Parser = (text: string) => string | number | boolean | readonly string[];

function integer(min: number, max: number): Parser {
  return (text) => {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new Error(`must be an integer from ${min} to ${max}`);
    return Number(text);
  };
}

function seconds(allowZero: boolean): Parser {
  return (text) => {
    const value = text.trim() === '' ? NaN : Number(text);
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      throw new Error(`must be a number of seconds ${allowZero ? '>= 0' : '> 0'}`);
    }
    return value;
  };
}

function oneOf(values: readonly string[]): Parser {
  return (text) => {
    if (!values.includes(text)) throw new Error(`must be one of ${values.join(', ')}`);
    return text;
  };
}

const nonEmpty: Parser = (text) => {
  if (text.trim() === '') throw new Error('must not be empty');
  return text;
};

const mongoUri: Parser = (text) => {
  if (!/^mongodb(\+srv)?:\/\/\S+$/.test(text)) throw new Error('must be a mongodb:// or mongodb+srv:// connection string');
  return text;
};

const mongoName: Parser = (text) => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw new Error('must be 1 to 64 letters, digits, "_" or "-"');
  return text;
};

const bytes = integer(1024, Number.MAX_SAFE_INTEGER);

const onOff: Parser = (text) => {
  if (text !== 'on' && text !== 'off') throw new Error('must be on or off');
  return text === 'on';
};

/** Origins for CORS, comma separated (a repeated flag arrives joined by commas). */
const originList: Parser = (text) => {
  const origins = text
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (origins.length === 0) throw new Error('must name at least one origin, or *');
  return origins;
};

/** `true`/`1` or `false`/`0` (a switch flag arrives as "true"). */
const yesNo: Parser = (text) => {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new Error('must be true or false');
};

/** Host names, comma separated (a repeated flag arrives joined by commas). */
const nameList: Parser = (text) => {
  const names = text
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n !== '');
  if (names.length === 0 || names.some((n) => !/^[a-z0-9.-]+$/.test(n))) throw new Error('must be host names (letters, digits, "." and "-")');
  return names;
};

/** One setting of `serve`: its flag, environment variable, help, parser, and where it goes in ServeSettings. */
export interface SettingSpec {
  /** The flag's name without dashes, or null for a setting read from its environment variable only (secrets: argv shows in `ps`). */
  readonly flag: string | null;
  readonly env: string;
  readonly help: string;
  readonly parse: Parser;
  /** The path of the value in the settings tree, e.g. ['storage', 'sqlite', 'path']. */
  readonly path: readonly string[];
  /** The default as help shows it, when it is not a plain value of the defaults tree. */
  readonly shownDefault?: string;
  /** The flag may be given several times; its values reach `parse` joined by commas, as the variable holds them. */
  readonly repeatable?: boolean;
  /** The flag is a switch without a value (it reaches `parse` as "true"). */
  readonly switch?: boolean;
}

/** Every setting of `serve`; flags beat environment variables, which beat the defaults. */
export const SETTINGS: readonly SettingSpec[] = [
  { flag: 'host', env: 'LIGHTNING_STORE_HOST', path: ['listen', 'host'], help: 'interface to listen on', parse: nonEmpty },
  { flag: 'port', env: 'LIGHTNING_STORE_PORT', path: ['listen', 'grpcPort'], help: 'gRPC port (0: any free port)', parse: integer(0, 65535) },
  {
    flag: 'http-port',
    env: 'LIGHTNING_STORE_HTTP_PORT',
    path: ['listen', 'httpPort'],
    help: 'HTTP port: agent-lightning REST API and OTLP/HTTP (0: any free port)',
    parse: integer(0, 65535),
  },
  { flag: 'backend', env: 'LIGHTNING_STORE_BACKEND', path: ['storage', 'backend'], help: `storage backend (${BACKENDS.join(', ')})`, parse: oneOf(BACKENDS) },
  {
    flag: 'db',
    env: 'LIGHTNING_STORE_DB',
    path: ['storage', 'sqlite', 'path'],
    help: 'SQLite database file',
    parse: nonEmpty,
    shownDefault: '$XDG_DATA_HOME/lightning-store/store.db or ~/.local/share/lightning-store/store.db',
  },
  {
    flag: 'sqlite-sync',
    env: 'LIGHTNING_STORE_SQLITE_SYNC',
    path: ['storage', 'sqlite', 'synchronous'],
    help: 'SQLite durability: normal (survives a server crash) or full (also power loss)',
    parse: oneOf(SQLITE_SYNC_MODES),
  },
  {
    flag: 'sqlite-integrity-check',
    env: 'LIGHTNING_STORE_SQLITE_INTEGRITY_CHECK',
    path: ['storage', 'sqlite', 'checkIntegrity'],
    help: "on: run SQLite's quick integrity check at start (reads the whole file); off: read only the header and schema",
    parse: onOff,
  },
  { flag: 'sqlite-cache-mib', env: 'LIGHTNING_STORE_SQLITE_CACHE_MIB', path: ['storage', 'sqlite', 'cacheMiB'], help: 'SQLite page cache in MiB', parse: integer(1, 65536) },
  { flag: 'mongo-uri', env: 'LIGHTNING_STORE_MONGO_URI', path: ['storage', 'mongo', 'uri'], help: 'MongoDB connection string (mongo backend)', parse: mongoUri, shownDefault: 'none' },
  { flag: 'mongo-database', env: 'LIGHTNING_STORE_MONGO_DATABASE', path: ['storage', 'mongo', 'database'], help: 'MongoDB database name', parse: mongoName },
  {
    flag: 'namespace',
    env: 'LIGHTNING_STORE_NAMESPACE',
    path: ['storage', 'mongo', 'namespace'],
    help: 'partition of the MongoDB database this store uses; servers with the same one share a store',
    parse: mongoName,
  },
  {
    flag: 'mongo-server',
    env: 'LIGHTNING_STORE_MONGO_SERVER',
    path: ['storage', 'mongo', 'serverBehaviour'],
    help: `which server behaviour to assume (${MONGO_SERVER_BEHAVIOURS.join(', ')}): detect asks buildInfo; ferretdb adds a claim before every commit`,
    parse: oneOf(MONGO_SERVER_BEHAVIOURS),
  },
  {
    flag: 'memory-limit-bytes',
    env: 'LIGHTNING_STORE_MEMORY_LIMIT_BYTES',
    path: ['storage', 'memory', 'limitBytes'],
    help: "memory backend: bytes it may hold; past it finished rollouts' spans are evicted, then writes refused",
    parse: bytes,
    shownDefault: "a quarter of the process's heap limit",
  },
  { flag: 'log-level', env: 'LIGHTNING_STORE_LOG_LEVEL', path: ['logLevel'], help: `log level (${LOG_LEVELS.join(', ')})`, parse: oneOf(LOG_LEVELS) },
  {
    flag: 'watchdog-interval-ms',
    env: 'LIGHTNING_STORE_WATCHDOG_INTERVAL_MS',
    path: ['watchdog', 'intervalMs'],
    help: 'milliseconds between watchdog passes',
    parse: integer(1, 86_400_000),
  },
  { flag: 'max-wait-seconds', env: 'LIGHTNING_STORE_MAX_WAIT_SECONDS', path: ['limits', 'maxWaitSeconds'], help: 'cap of WaitForRollouts timeouts', parse: seconds(false) },
  { flag: 'drain-seconds', env: 'LIGHTNING_STORE_DRAIN_SECONDS', path: ['drainSeconds'], help: 'time open calls get to finish on shutdown', parse: seconds(true) },
  {
    flag: 'max-message-bytes',
    env: 'LIGHTNING_STORE_MAX_MESSAGE_BYTES',
    path: ['limits', 'maxMessageBytes'],
    help: 'largest request message or body accepted (after decompression)',
    parse: integer(1024, 2 ** 31 - 1),
  },
  {
    flag: 'max-held-bytes',
    env: 'LIGHTNING_STORE_MAX_HELD_BYTES',
    path: ['limits', 'maxHeldBytes'],
    help: 'bytes held at once for spans waiting to be written, bodies being read and answers being written',
    parse: bytes,
  },
  {
    flag: 'max-stream-bytes',
    env: 'LIGHTNING_STORE_MAX_STREAM_BYTES',
    path: ['ingest', 'maxStreamBytes'],
    help: 'span bytes one stream or request may have waiting to be written before it is held back',
    parse: bytes,
  },
  { flag: 'max-page-items', env: 'LIGHTNING_STORE_MAX_PAGE_ITEMS', path: ['limits', 'maxPageItems'], help: 'most items one gRPC query answers', parse: integer(1, 1_000_000) },
  {
    flag: 'cors-origin',
    env: 'LIGHTNING_STORE_CORS_ORIGINS',
    path: ['http', 'corsOrigins'],
    help: 'origin the HTTP port answers CORS for; repeatable, * for every origin (variable: comma separated)',
    parse: originList,
    repeatable: true,
  },
  {
    flag: 'token-file',
    env: 'LIGHTNING_STORE_TOKEN_FILE',
    path: ['security', 'tokenFile'],
    help: 'file of bearer tokens, lines "admin TOKEN" or "runner TOKEN"; re-read on change and on SIGHUP',
    parse: nonEmpty,
    shownDefault: 'none',
  },
  {
    flag: null,
    env: 'LIGHTNING_STORE_TOKENS',
    path: ['security', 'tokens'],
    help: 'bearer tokens as in --token-file, entries separated by ";" or newlines (no flag: argv shows in ps)',
    parse: nonEmpty,
    shownDefault: 'none',
  },
  {
    flag: 'insecure-no-auth',
    env: 'LIGHTNING_STORE_INSECURE_NO_AUTH',
    path: ['security', 'insecureNoAuth'],
    help: 'serve a non-loopback --host without tokens (anyone who reaches the ports controls the store)',
    parse: yesNo,
    switch: true,
  },
  { flag: 'tls-cert', env: 'LIGHTNING_STORE_TLS_CERT', path: ['security', 'tlsCert'], help: 'PEM certificate chain: both ports speak TLS (HTTPS); re-read on change and SIGHUP', parse: nonEmpty, shownDefault: 'none' },
  { flag: 'tls-key', env: 'LIGHTNING_STORE_TLS_KEY', path: ['security', 'tlsKey'], help: 'PEM private key of --tls-cert', parse: nonEmpty, shownDefault: 'none' },
  {
    flag: 'tls-client-ca',
    env: 'LIGHTNING_STORE_TLS_CLIENT_CA',
    path: ['security', 'tlsClientCa'],
    help: 'PEM CA bundle: clients must present a certificate it signed (mTLS), on both ports',
    parse: nonEmpty,
    shownDefault: 'none',
  },
  {
    flag: 'allowed-host',
    env: 'LIGHTNING_STORE_ALLOWED_HOSTS',
    path: ['security', 'allowedHosts'],
    help: 'Host name the HTTP port answers besides loopback names and IP addresses; repeatable (variable: comma separated)',
    parse: nameList,
    repeatable: true,
  },
  {
    flag: 'reload-interval-ms',
    env: 'LIGHTNING_STORE_RELOAD_INTERVAL_MS',
    path: ['security', 'reloadIntervalMs'],
    help: 'milliseconds between checks of the token and TLS files for changes',
    parse: integer(100, 3_600_000),
  },
  { flag: 'ingest-batch-spans', env: 'LIGHTNING_STORE_INGEST_BATCH_SPANS', path: ['ingest', 'maxBatchSpans'], help: 'most spans one store write carries', parse: integer(1, 100_000) },
];

/** The value at `path` of a settings tree, or undefined. */
export function valueAt(tree: object, path: readonly string[]): unknown {
  let node: unknown = tree;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** A copy of `tree` with `value` at `path` (the objects on the way are copied, never changed). */
export function withValueAt<T extends object>(tree: T, path: readonly string[], value: unknown): T {
  const [key, ...rest] = path;
  if (key === undefined) return tree;
  const current = (tree as Record<string, unknown>)[key];
  const child = rest.length === 0 ? value : withValueAt(typeof current === 'object' && current !== null ? current : {}, rest, value);
  return { ...tree, [key]: child };
}

/** The default of a setting as help shows it: serve's own, else the server's. */
export function shownDefault(spec: SettingSpec): string {
  if (spec.shownDefault !== undefined) return spec.shownDefault;
  const value = valueAt(SERVE_DEFAULTS, spec.path) ?? valueAt(SERVER_DEFAULTS, spec.path);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return Array.isArray(value) ? value.join(',') || 'none' : String(value);
}
