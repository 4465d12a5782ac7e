import { SERVE_DEFAULTS, SETTINGS } from './settings';

/** The text of `lightning-store --help`, built from the settings table. */
export function usage(): string {
  const rows = SETTINGS.map((s) => [`  --${s.flag}`, s.env, `${s.help} (default: ${String(SERVE_DEFAULTS[s.key])})`] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const envWidth = Math.max(...rows.map(([, env]) => env.length));
  const lines = rows.map(([flag, env, help]) => `${flag.padEnd(width)}  ${env.padEnd(envWidth)}  ${help}`);
  return [
    'Usage: lightning-store serve [options]',
    '       lightning-store --help | --version',
    '',
    'Serves the Lightning Store over gRPC (with grpc.health.v1 and server reflection).',
    'Every option can also be set by its environment variable; a flag beats the variable.',
    '',
    'Options of serve:',
    ...lines,
    '',
    'Logs are JSON lines on stdout. SIGTERM or SIGINT shuts down gracefully (a second one exits at once).',
    '',
  ].join('\n');
}
