import { parseArgs } from 'node:util';
import type { ServeSettings } from './settings';
import { SERVE_DEFAULTS, SETTINGS, UsageError } from './settings';

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'serve'; readonly settings: ServeSettings };

const OPTIONS = {
  ...Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' as const }])),
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

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
  if (command !== 'serve') throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);

  // The setting flags are built from SETTINGS, so parseArgs cannot type them by name.
  const flags = values as Readonly<Record<string, string | boolean | undefined>>;
  const settings: Record<string, unknown> = { ...SERVE_DEFAULTS };
  for (const spec of SETTINGS) {
    const flag = flags[spec.flag];
    const fromEnv = env[spec.env];
    const [text, source] = typeof flag === 'string' ? [flag, `--${spec.flag}`] : fromEnv !== undefined ? [fromEnv, spec.env] : [undefined, ''];
    if (text === undefined) continue;
    try {
      settings[spec.key] = spec.parse(text);
    } catch (err) {
      throw new UsageError(`${source}: ${JSON.stringify(text)} ${(err as Error).message}`);
    }
  }
  return { kind: 'serve', settings: settings as ServeSettings };
}
