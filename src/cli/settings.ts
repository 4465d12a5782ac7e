import type { Level } from 'pino';
import type { BackendName, ServerSettings, SqliteSync } from '../server';
import { BACKENDS, SERVER_DEFAULTS, SQLITE_SYNC_MODES } from '../server';

/** Log levels the CLI accepts, most verbose first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const satisfies readonly Level[];
/** A CLI log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything `lightning-store serve` can be told. */
export type ServeSettings = Pick<
  ServerSettings,
  | 'host'
  | 'port'
  | 'httpPort'
  | 'backend'
  | 'sqliteSync'
  | 'mongoDatabase'
  | 'mongoNamespace'
  | 'watchdogIntervalMs'
  | 'maxWaitSeconds'
  | 'drainSeconds'
  | 'maxMessageBytes'
  | 'corsOrigins'
> & {
  readonly logLevel: LogLevel;
  /** SQLite file; null: the default data file (see defaultDbPath), whose directory serve creates. */
  readonly dbPath: string | null;
  /** MongoDB connection string; required with --backend mongo. */
  readonly mongoUri: string | null;
};

/** Defaults of `serve`: the server's, except the durable SQLite backend, plus log level info. */
export const SERVE_DEFAULTS: ServeSettings = {
  host: SERVER_DEFAULTS.host,
  port: SERVER_DEFAULTS.port,
  httpPort: SERVER_DEFAULTS.httpPort,
  backend: 'sqlite',
  dbPath: null,
  sqliteSync: SERVER_DEFAULTS.sqliteSync,
  mongoUri: null,
  mongoDatabase: SERVER_DEFAULTS.mongoDatabase,
  mongoNamespace: SERVER_DEFAULTS.mongoNamespace,
  watchdogIntervalMs: SERVER_DEFAULTS.watchdogIntervalMs,
  maxWaitSeconds: SERVER_DEFAULTS.maxWaitSeconds,
  drainSeconds: SERVER_DEFAULTS.drainSeconds,
  maxMessageBytes: SERVER_DEFAULTS.maxMessageBytes,
  corsOrigins: SERVER_DEFAULTS.corsOrigins,
  logLevel: 'info',
};

/** A bad flag or environment value; the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the text of one setting; throws a plain message (the caller names the flag or variable). */
type Parser<T> = (text: string) => T;

function integer(min: number, max: number): Parser<number> {
  return (text) => {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new Error(`must be an integer from ${min} to ${max}`);
    return Number(text);
  };
}

function seconds(allowZero: boolean): Parser<number> {
  return (text) => {
    const value = text.trim() === '' ? NaN : Number(text);
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      throw new Error(`must be a number of seconds ${allowZero ? '>= 0' : '> 0'}`);
    }
    return value;
  };
}

function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (text) => {
    if (!(values as readonly string[]).includes(text)) throw new Error(`must be one of ${values.join(', ')}`);
    return text as T;
  };
}

const nonEmpty: Parser<string> = (text) => {
  if (text.trim() === '') throw new Error('must not be empty');
  return text;
};

const mongoUri: Parser<string> = (text) => {
  if (!/^mongodb(\+srv)?:\/\/\S+$/.test(text)) throw new Error('must be a mongodb:// or mongodb+srv:// connection string');
  return text;
};

const mongoName: Parser<string> = (text) => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text)) throw new Error('must be 1 to 64 letters, digits, "_" or "-"');
  return text;
};

/** Origins for CORS, comma separated (a repeated flag arrives joined by commas). */
const originList: Parser<readonly string[]> = (text) => {
  const origins = text.split(',').map((o) => o.trim()).filter((o) => o !== '');
  if (origins.length === 0) throw new Error('must name at least one origin, or *');
  return origins;
};

/** One setting of `serve`: its flag, environment variable, parser and help text. */
export interface SettingSpec {
  readonly key: keyof ServeSettings;
  readonly flag: string;
  readonly env: string;
  readonly help: string;
  readonly parse: Parser<ServeSettings[keyof ServeSettings]>;
  /** The flag may be given several times; its values reach `parse` joined by commas, as the variable holds them. */
  readonly repeatable?: boolean;
}

/** Every setting of `serve`; flags beat environment variables, which beat the defaults. */
export const SETTINGS: readonly SettingSpec[] = [
  { key: 'host', flag: 'host', env: 'LIGHTNING_STORE_HOST', help: 'interface to listen on', parse: nonEmpty },
  { key: 'port', flag: 'port', env: 'LIGHTNING_STORE_PORT', help: 'gRPC port (0: any free port)', parse: integer(0, 65535) },
  {
    key: 'httpPort',
    flag: 'http-port',
    env: 'LIGHTNING_STORE_HTTP_PORT',
    help: 'HTTP port: agent-lightning REST API and OTLP/HTTP (0: any free port)',
    parse: integer(0, 65535),
  },
  { key: 'backend', flag: 'backend', env: 'LIGHTNING_STORE_BACKEND', help: `storage backend (${BACKENDS.join(', ')})`, parse: oneOf<BackendName>(BACKENDS) },
  { key: 'dbPath', flag: 'db', env: 'LIGHTNING_STORE_DB', help: 'SQLite database file', parse: nonEmpty },
  {
    key: 'sqliteSync',
    flag: 'sqlite-sync',
    env: 'LIGHTNING_STORE_SQLITE_SYNC',
    help: 'SQLite durability: normal (survives a server crash) or full (also power loss)',
    parse: oneOf<SqliteSync>(SQLITE_SYNC_MODES),
  },
  { key: 'mongoUri', flag: 'mongo-uri', env: 'LIGHTNING_STORE_MONGO_URI', help: 'MongoDB connection string (mongo backend)', parse: mongoUri },
  { key: 'mongoDatabase', flag: 'mongo-database', env: 'LIGHTNING_STORE_MONGO_DATABASE', help: 'MongoDB database name', parse: mongoName },
  {
    key: 'mongoNamespace',
    flag: 'namespace',
    env: 'LIGHTNING_STORE_NAMESPACE',
    help: 'partition of the MongoDB database this store uses; servers with the same one share a store',
    parse: mongoName,
  },
  { key: 'logLevel', flag: 'log-level', env: 'LIGHTNING_STORE_LOG_LEVEL', help: `log level (${LOG_LEVELS.join(', ')})`, parse: oneOf(LOG_LEVELS) },
  {
    key: 'watchdogIntervalMs',
    flag: 'watchdog-interval-ms',
    env: 'LIGHTNING_STORE_WATCHDOG_INTERVAL_MS',
    help: 'milliseconds between watchdog passes',
    parse: integer(1, 86_400_000),
  },
  { key: 'maxWaitSeconds', flag: 'max-wait-seconds', env: 'LIGHTNING_STORE_MAX_WAIT_SECONDS', help: 'cap of WaitForRollouts timeouts', parse: seconds(false) },
  { key: 'drainSeconds', flag: 'drain-seconds', env: 'LIGHTNING_STORE_DRAIN_SECONDS', help: 'time open calls get to finish on shutdown', parse: seconds(true) },
  {
    key: 'maxMessageBytes',
    flag: 'max-message-bytes',
    env: 'LIGHTNING_STORE_MAX_MESSAGE_BYTES',
    help: 'largest request message accepted',
    parse: integer(1024, 2 ** 31 - 1),
  },
  {
    key: 'corsOrigins',
    flag: 'cors-origin',
    env: 'LIGHTNING_STORE_CORS_ORIGINS',
    help: 'origin the HTTP port answers CORS for; repeatable, * for every origin (variable: comma separated)',
    parse: originList,
    repeatable: true,
  },
];
