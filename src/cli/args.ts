import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServeSettings } from './settings';
import { SERVE_DEFAULTS, SETTINGS, UsageError, valueAt, withValueAt } from './settings';

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'health'; readonly address: string; readonly tls: HealthTls | null }
  /** `dataDir` is the directory to create for the default database file, or null. */
  | { readonly kind: 'serve'; readonly settings: ServeSettings; readonly dataDir: string | null };

/** Where `health` looks when no --address is given and LIGHTNING_STORE_PORT is not set. */
export const DEFAULT_HEALTH_ADDRESS = '127.0.0.1:4748';

/** TLS of the health check: the CA to verify the server with (none: the certificate is not verified), and a client certificate for mTLS. */
export interface HealthTls {
  readonly ca: string | null;
  readonly cert: string | null;
  readonly key: string | null;
}

/** Flags of `health` besides --address, with the variables they fall back on. */
const HEALTH_TLS_FLAGS = { ca: 'LIGHTNING_STORE_HEALTH_CA', cert: 'LIGHTNING_STORE_HEALTH_CERT', key: 'LIGHTNING_STORE_HEALTH_KEY' } as const;

const OPTIONS = {
  ...Object.fromEntries(
    SETTINGS.flatMap((s) => (s.flag === null ? [] : [[s.flag, s.switch === true ? { type: 'boolean' as const } : { type: 'string' as const, multiple: s.repeatable === true }]])),
  ),
  address: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** The directory of the default database file: $XDG_DATA_HOME/lightning-store, else ~/.local/share/lightning-store. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'lightning-store');
}

/** 127.0.0.1 and the server's port from LIGHTNING_STORE_PORT (so a container's check follows its port), else the default. */
function healthAddress(env: Readonly<Record<string, string | undefined>>): string {
  const port = env['LIGHTNING_STORE_PORT'];
  if (port === undefined) return DEFAULT_HEALTH_ADDRESS;
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw new UsageError(`LIGHTNING_STORE_PORT: ${JSON.stringify(port)} must be a port from 1 to 65535`);
  return `127.0.0.1:${port}`;
}

/** TLS when a health flag or variable asks for it, or when the server's own LIGHTNING_STORE_TLS_CERT is set (a container shares it). */
function healthTls(values: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): HealthTls | null {
  const pick = (flag: keyof typeof HEALTH_TLS_FLAGS): string | null => {
    const given = values[flag];
    return typeof given === 'string' ? given : (env[HEALTH_TLS_FLAGS[flag]] ?? null);
  };
  const tls = { ca: pick('ca'), cert: pick('cert'), key: pick('key') };
  if ((tls.cert === null) !== (tls.key === null)) throw new UsageError('health: --cert and --key go together');
  const wanted = tls.ca !== null || tls.cert !== null || env['LIGHTNING_STORE_TLS_CERT'] !== undefined;
  return wanted ? tls : null;
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * Reads `argv` (without node and the script) and `env` into a command. Flags beat environment
 * variables, which beat the defaults. Throws UsageError for an unknown command or flag, or a bad value.
 */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Command {
  const { values, positionals } = parseFlags(argv);
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command');
  if (command !== 'serve' && command !== 'health') throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (command === 'health') {
    const other = SETTINGS.find((spec) => spec.flag !== null && values[spec.flag as keyof typeof values] !== undefined);
    if (other) throw new UsageError(`--${String(other.flag)} is an option of serve, not of health`);
    return { kind: 'health', address: values.address ?? healthAddress(env), tls: healthTls(values, env) };
  }
  for (const flag of ['address', 'ca', 'cert', 'key'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is an option of health, not of serve`);
  }

  // The setting flags are built from SETTINGS, so parseArgs cannot type them by name.
  const flags = values as Readonly<Record<string, string | string[] | boolean | undefined>>;
  let settings: ServeSettings = SERVE_DEFAULTS;
  for (const spec of SETTINGS) {
    const given = spec.flag === null ? undefined : flags[spec.flag];
    const flag = Array.isArray(given) ? given.join(',') : given === true ? 'true' : given;
    const fromEnv = env[spec.env];
    const [text, source] = typeof flag === 'string' ? [flag, `--${String(spec.flag)}`] : fromEnv !== undefined ? [fromEnv, spec.env] : [undefined, ''];
    if (text === undefined) continue;
    try {
      settings = withValueAt(settings, spec.path, spec.parse(text));
    } catch (err) {
      throw new UsageError(`${source}: ${JSON.stringify(text)} ${(err as Error).message}`);
    }
  }
  const backend = valueAt(settings, ['storage', 'backend']);
  if (backend === 'mongo' && valueAt(settings, ['storage', 'mongo', 'uri']) === undefined) {
    throw new UsageError('--backend mongo needs --mongo-uri (or LIGHTNING_STORE_MONGO_URI)');
  }
  if (backend !== 'sqlite' || valueAt(settings, ['storage', 'sqlite', 'path']) !== undefined) return { kind: 'serve', settings, dataDir: null };
  const dataDir = defaultDataDir(env);
  return { kind: 'serve', settings: withValueAt(settings, ['storage', 'sqlite', 'path'], join(dataDir, 'store.db')), dataDir };
}
