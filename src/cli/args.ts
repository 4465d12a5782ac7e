import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServeSettings } from './settings';
import { SERVE_DEFAULTS, SETTINGS, UsageError, valueAt, withValueAt } from './settings';

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'health'; readonly address: string }
  /** `dataDir` is the directory to create for the default database file, or null. */
  | { readonly kind: 'serve'; readonly settings: ServeSettings; readonly dataDir: string | null };

/** Where `health` looks when no --address is given. */
export const DEFAULT_HEALTH_ADDRESS = '127.0.0.1:4748';

const OPTIONS = {
  ...Object.fromEntries(
    SETTINGS.flatMap((s) => (s.flag === null ? [] : [[s.flag, s.switch === true ? { type: 'boolean' as const } : { type: 'string' as const, multiple: s.repeatable === true }]])),
  ),
  address: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** The directory of the default database file: $XDG_DATA_HOME/lightning-store, else ~/.local/share/lightning-store. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'lightning-store');
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
    return { kind: 'health', address: values.address ?? DEFAULT_HEALTH_ADDRESS };
  }
  if (values.address !== undefined) throw new UsageError('--address is an option of health, not of serve');

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
