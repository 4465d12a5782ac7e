import { parseCommandLine } from '../../src/cli/args';
import { SERVE_DEFAULTS, SETTINGS, shownDefault, UsageError, valueAt } from '../../src/cli/settings';
import { SERVER_DEFAULTS } from '../../src/server';
import { usage } from '../../src/cli/usage';

function usageError(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseCommandLine(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandLine', () => {
  it('serves with the defaults when nothing is set: SQLite in the user data directory', () => {
    expect(parseCommandLine(['serve'], { XDG_DATA_HOME: '/xdg' })).toEqual({
      kind: 'serve',
      settings: { logLevel: 'info', storage: { backend: 'sqlite', sqlite: { path: '/xdg/lightning-store/store.db' } } },
      dataDir: '/xdg/lightning-store',
    });
    expect(parseCommandLine(['serve'], { HOME: '/home/ana' })).toMatchObject({
      settings: { storage: { sqlite: { path: '/home/ana/.local/share/lightning-store/store.db' } } },
      dataDir: '/home/ana/.local/share/lightning-store',
    });
    expect(SERVE_DEFAULTS).toEqual({ logLevel: 'info', storage: { backend: 'sqlite' } });
  });

  it('takes an explicit database file without creating any directory, and no file for memory', () => {
    expect(parseCommandLine(['serve', '--db', '/srv/ls.db', '--sqlite-sync', 'full'], {})).toMatchObject({
      settings: { storage: { backend: 'sqlite', sqlite: { path: '/srv/ls.db', synchronous: 'full' } } },
      dataDir: null,
    });
    expect(parseCommandLine(['serve'], { LIGHTNING_STORE_DB: '/srv/env.db' })).toMatchObject({ settings: { storage: { sqlite: { path: '/srv/env.db' } } }, dataDir: null });
    expect(parseCommandLine(['serve', '--backend', 'memory'], {})).toEqual({ kind: 'serve', settings: { logLevel: 'info', storage: { backend: 'memory' } }, dataDir: null });
  });

  it('parses the health command', () => {
    expect(parseCommandLine(['health'], {})).toEqual({ kind: 'health', address: '127.0.0.1:4748', tls: null });
    expect(parseCommandLine(['health', '--address', 'store:9000'], {})).toEqual({ kind: 'health', address: 'store:9000', tls: null });
    expect(parseCommandLine(['health'], { LIGHTNING_STORE_PORT: '5000' })).toEqual({ kind: 'health', address: '127.0.0.1:5000', tls: null });
    expect(parseCommandLine(['health'], { LIGHTNING_STORE_TLS_CERT: '/c.pem' })).toMatchObject({ tls: { ca: null, cert: null, key: null } });
    expect(parseCommandLine(['health', '--ca', '/ca.pem'], { LIGHTNING_STORE_HEALTH_CERT: '/h.pem', LIGHTNING_STORE_HEALTH_KEY: '/h.key' })).toMatchObject({
      tls: { ca: '/ca.pem', cert: '/h.pem', key: '/h.key' },
    });
    expect(usageError(['health', '--cert', '/h.pem'])).toBe('health: --cert and --key go together');
    expect(usageError(['serve', '--ca', '/ca.pem'])).toBe('--ca is an option of health, not of serve');
    expect(usageError(['health', '--port', '1'])).toBe('--port is an option of serve, not of health');
    expect(usageError(['serve', '--address', 'x:1'])).toBe('--address is an option of health, not of serve');
  });

  it('reads every setting from flags and from environment variables into the options tree; flags win', () => {
    const argv = ['serve', '--host', '127.0.0.1', '--port', '0', '--backend', 'memory', '--log-level', 'debug', '--watchdog-interval-ms', '50', '--max-wait-seconds', '2.5', '--drain-seconds', '0', '--max-message-bytes', '4096'];
    argv.push('--memory-limit-bytes', '1048576', '--max-held-bytes', '2097152', '--max-stream-bytes', '65536', '--max-page-items', '50', '--ingest-batch-spans', '64');
    const fromFlags = {
      logLevel: 'debug',
      listen: { host: '127.0.0.1', grpcPort: 0 },
      storage: { backend: 'memory', memory: { limitBytes: 1048576 } },
      watchdog: { intervalMs: 50 },
      limits: { maxWaitSeconds: 2.5, maxMessageBytes: 4096, maxHeldBytes: 2097152, maxPageItems: 50 },
      ingest: { maxStreamBytes: 65536, maxBatchSpans: 64 },
      drainSeconds: 0,
    };
    expect(parseCommandLine(argv, {})).toEqual({ kind: 'serve', settings: fromFlags, dataDir: null });
    const env = {
      LIGHTNING_STORE_HOST: '::1',
      LIGHTNING_STORE_PORT: '5000',
      LIGHTNING_STORE_BACKEND: 'memory',
      LIGHTNING_STORE_LOG_LEVEL: 'warn',
      LIGHTNING_STORE_WATCHDOG_INTERVAL_MS: '250',
      LIGHTNING_STORE_MAX_WAIT_SECONDS: '5',
      LIGHTNING_STORE_DRAIN_SECONDS: '1',
      LIGHTNING_STORE_MAX_MESSAGE_BYTES: '2048',
      LIGHTNING_STORE_MEMORY_LIMIT_BYTES: '4096',
    };
    expect(parseCommandLine(['serve'], env)).toEqual({
      kind: 'serve',
      settings: {
        logLevel: 'warn',
        listen: { host: '::1', grpcPort: 5000 },
        storage: { backend: 'memory', memory: { limitBytes: 4096 } },
        watchdog: { intervalMs: 250 },
        limits: { maxWaitSeconds: 5, maxMessageBytes: 2048 },
        drainSeconds: 1,
      },
      dataDir: null,
    });
    expect(parseCommandLine(argv, env)).toEqual({ kind: 'serve', settings: fromFlags, dataDir: null });
    expect(parseCommandLine(['serve', '--port=7000'], env)).toMatchObject({ settings: { listen: { grpcPort: 7000 }, logLevel: 'warn' } });
    const mongo = ['serve', '--backend', 'mongo', '--mongo-uri', 'mongodb://db1,db2/?replicaSet=rs0', '--mongo-database', 'rl', '--namespace', 'team-a', '--http-port', '0', '--mongo-server', 'ferretdb'];
    expect(parseCommandLine(mongo, {})).toEqual({
      kind: 'serve',
      settings: { logLevel: 'info', storage: { backend: 'mongo', mongo: { uri: 'mongodb://db1,db2/?replicaSet=rs0', database: 'rl', namespace: 'team-a', serverBehaviour: 'ferretdb' } }, listen: { httpPort: 0 } },
      dataDir: null,
    });
  });

  it('answers help and version', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-h'], {})).toEqual({ kind: 'help' });
    expect(parseCommandLine(['serve', '--help'], {})).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--version'], {})).toEqual({ kind: 'version' });
  });

  it('refuses bad values, naming the flag or variable', () => {
    expect(usageError(['serve', '--port', '70000'])).toBe('--port: "70000" must be an integer from 0 to 65535');
    expect(usageError(['serve', '--port=-1'])).toBe('--port: "-1" must be an integer from 0 to 65535');
    expect(usageError(['serve'], { LIGHTNING_STORE_PORT: 'http' })).toBe('LIGHTNING_STORE_PORT: "http" must be an integer from 0 to 65535');
    expect(usageError(['serve', '--backend', 'postgres'])).toBe('--backend: "postgres" must be one of sqlite, memory, mongo');
    expect(usageError(['serve', '--backend', 'mongo'])).toBe('--backend mongo needs --mongo-uri (or LIGHTNING_STORE_MONGO_URI)');
    expect(usageError(['serve', '--http-port', '65536'])).toBe('--http-port: "65536" must be an integer from 0 to 65535');
    expect(usageError(['serve', '--mongo-uri', 'localhost:27017'])).toBe('--mongo-uri: "localhost:27017" must be a mongodb:// or mongodb+srv:// connection string');
    expect(usageError(['serve', '--namespace', 'a.b'])).toBe('--namespace: "a.b" must be 1 to 64 letters, digits, "_" or "-"');
    expect(usageError(['serve', '--log-level', 'loud'])).toMatch(/--log-level: "loud" must be one of trace, debug, info, warn, error, fatal/);
    expect(usageError(['serve', '--watchdog-interval-ms', '0'])).toMatch(/--watchdog-interval-ms: "0" must be an integer from 1/);
    expect(usageError(['serve', '--max-wait-seconds', '0'])).toMatch(/must be a number of seconds > 0/);
    expect(usageError(['serve', '--drain-seconds', 'soon'])).toMatch(/--drain-seconds: "soon" must be a number of seconds >= 0/);
    expect(usageError(['serve', '--max-message-bytes', '12'])).toMatch(/--max-message-bytes: "12" must be an integer from 1024/);
    expect(usageError(['serve', '--host', ''])).toMatch(/--host: "" must not be empty/);
    expect(usageError(['serve', '--sqlite-sync', 'sometimes'])).toBe('--sqlite-sync: "sometimes" must be one of normal, full');
  });

  it('refuses unknown flags, commands and arguments', () => {
    expect(usageError(['serve', '--bogus'])).toMatch(/Unknown option '--bogus'/);
    expect(usageError([])).toBe('missing command');
    expect(usageError(['start'])).toBe('unknown command "start"');
    expect(usageError(['serve', 'now'])).toBe('unexpected argument "now"');
  });
});

describe('settings table', () => {
  it('puts every flag at a path of the server options that has a default, or says what the default is', () => {
    for (const s of SETTINGS) {
      if (s.shownDefault === undefined) expect([s.flag, valueAt(SERVE_DEFAULTS, s.path) ?? valueAt(SERVER_DEFAULTS, s.path)]).toEqual([s.flag, expect.anything()]);
    }
  });
});

describe('usage', () => {
  it('lists every flag with its environment variable and default', () => {
    const text = usage();
    for (const s of SETTINGS) {
      const shown = shownDefault(s).replace(/[$.*+?()[\]{}|^\\]/g, '\\$&');
      const flag = s.flag === null ? '\\(variable only\\)' : `--${s.flag}`;
      expect(text).toMatch(new RegExp(`${flag}\\s+${s.env}\\s+.*\\(default: ${shown}\\)`));
    }
    expect(text).toMatch(/--max-held-bytes\s+\S+\s+.*\(default: 268435456\)/);
    expect(text).toMatch(/--port\s+\S+\s+.*\(default: 4748\)/);
    expect(text).toContain('lightning-store health [--address HOST:PORT]');
  });
});
