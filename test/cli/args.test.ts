import { parseCommandLine } from '../../src/cli/args';
import { SERVE_DEFAULTS, SETTINGS, UsageError } from '../../src/cli/settings';
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
  it('serves with the defaults when nothing is set', () => {
    expect(parseCommandLine(['serve'], {})).toEqual({ kind: 'serve', settings: SERVE_DEFAULTS });
    expect(SERVE_DEFAULTS).toMatchObject({ host: '0.0.0.0', port: 4748, backend: 'memory', logLevel: 'info', watchdogIntervalMs: 1000, maxWaitSeconds: 30, drainSeconds: 10, maxMessageBytes: 16 * 1024 * 1024 });
  });

  it('reads every setting from flags and from environment variables; flags win', () => {
    const argv = ['serve', '--host', '127.0.0.1', '--port', '0', '--backend', 'memory', '--log-level', 'debug', '--watchdog-interval-ms', '50', '--max-wait-seconds', '2.5', '--drain-seconds', '0', '--max-message-bytes', '4096'];
    const fromFlags = { host: '127.0.0.1', port: 0, backend: 'memory', logLevel: 'debug', watchdogIntervalMs: 50, maxWaitSeconds: 2.5, drainSeconds: 0, maxMessageBytes: 4096 };
    expect(parseCommandLine(argv, {})).toEqual({ kind: 'serve', settings: fromFlags });
    const env = {
      LIGHTNING_STORE_HOST: '::1',
      LIGHTNING_STORE_PORT: '5000',
      LIGHTNING_STORE_BACKEND: 'memory',
      LIGHTNING_STORE_LOG_LEVEL: 'warn',
      LIGHTNING_STORE_WATCHDOG_INTERVAL_MS: '250',
      LIGHTNING_STORE_MAX_WAIT_SECONDS: '5',
      LIGHTNING_STORE_DRAIN_SECONDS: '1',
      LIGHTNING_STORE_MAX_MESSAGE_BYTES: '2048',
    };
    expect(parseCommandLine(['serve'], env)).toEqual({
      kind: 'serve',
      settings: { host: '::1', port: 5000, backend: 'memory', logLevel: 'warn', watchdogIntervalMs: 250, maxWaitSeconds: 5, drainSeconds: 1, maxMessageBytes: 2048 },
    });
    expect(parseCommandLine(argv, env)).toEqual({ kind: 'serve', settings: fromFlags });
    expect(parseCommandLine(['serve', '--port=7000'], env)).toMatchObject({ settings: { port: 7000, logLevel: 'warn' } });
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
    expect(usageError(['serve', '--backend', 'mongo'])).toBe('--backend: "mongo" must be one of memory');
    expect(usageError(['serve', '--log-level', 'loud'])).toMatch(/--log-level: "loud" must be one of trace, debug, info, warn, error, fatal/);
    expect(usageError(['serve', '--watchdog-interval-ms', '0'])).toMatch(/--watchdog-interval-ms: "0" must be an integer from 1/);
    expect(usageError(['serve', '--max-wait-seconds', '0'])).toMatch(/must be a number of seconds > 0/);
    expect(usageError(['serve', '--drain-seconds', 'soon'])).toMatch(/--drain-seconds: "soon" must be a number of seconds >= 0/);
    expect(usageError(['serve', '--max-message-bytes', '12'])).toMatch(/--max-message-bytes: "12" must be an integer from 1024/);
    expect(usageError(['serve', '--host', ''])).toMatch(/--host: "" must not be empty/);
  });

  it('refuses unknown flags, commands and arguments', () => {
    expect(usageError(['serve', '--bogus'])).toMatch(/Unknown option '--bogus'/);
    expect(usageError([])).toBe('missing command');
    expect(usageError(['start'])).toBe('unknown command "start"');
    expect(usageError(['serve', 'now'])).toBe('unexpected argument "now"');
  });
});

describe('usage', () => {
  it('lists every flag with its environment variable and default', () => {
    const text = usage();
    for (const s of SETTINGS) {
      expect(text).toMatch(new RegExp(`--${s.flag}\\s+${s.env}\\s+.*\\(default: ${String(SERVE_DEFAULTS[s.key])}\\)`));
    }
  });
});
