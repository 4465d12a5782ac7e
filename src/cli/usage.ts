import { SETTINGS, shownDefault } from './settings';

/** The text of `lightning-store --help`, built from the settings table. */
export function usage(): string {
  const rows = SETTINGS.map((s) => [s.flag === null ? '  (variable only)' : `  --${s.flag}`, s.env, `${s.help} (default: ${shownDefault(s)})`] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const envWidth = Math.max(...rows.map(([, env]) => env.length));
  const lines = rows.map(([flag, env, help]) => `${flag.padEnd(width)}  ${env.padEnd(envWidth)}  ${help}`);
  return [
    'Usage: lightning-store serve [options]',
    '       lightning-store health [--address HOST:PORT] [--ca FILE] [--cert FILE --key FILE]',
    '       lightning-store --help | --version',
    '',
    'Serves the Lightning Store over gRPC (with grpc.health.v1 and server reflection).',
    'Every option can also be set by its environment variable; a flag beats the variable.',
    '',
    'Options of serve:',
    ...lines,
    '',
    'Logs are JSON lines on stdout. SIGTERM or SIGINT shuts down gracefully (a second one exits at once);',
    'SIGHUP re-reads the token and TLS files.',
    '',
    'health asks a running server for its gRPC health (default address 127.0.0.1:$LIGHTNING_STORE_PORT, else',
    '127.0.0.1:4748) and exits 0 when it is SERVING, 1 otherwise (for container health checks). It speaks TLS',
    'when LIGHTNING_STORE_TLS_CERT is set or --ca/--cert is given (variables LIGHTNING_STORE_HEALTH_CA, _CERT,',
    '_KEY); without --ca the server certificate is not verified; --cert/--key answer a --tls-client-ca server.',
    '',
  ].join('\n');
}
