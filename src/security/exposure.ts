import { isIP } from 'node:net';

/** Whether `host` (a bind address or a Host name) is this machine only: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return h === '::1';
}

/** What decides whether the server may start on an address. */
export interface ExposureInput {
  readonly host: string;
  readonly tokenCount: number;
  readonly insecureNoAuth: boolean;
}

/** The flag that opts out of the refusal, named in its message. */
export const INSECURE_FLAG = 'insecure-no-auth';

/**
 * Why the server must not start, or null: a non-loopback address without a token (and without the
 * explicit opt-out) would let anyone who can reach the port rewrite rollouts and read resources.
 */
export function exposureRefusal(input: ExposureInput): string | null {
  if (isLoopback(input.host) || input.tokenCount > 0 || input.insecureNoAuth) return null;
  return (
    `listening on ${input.host} (not loopback) needs tokens: give --token-file FILE or LIGHTNING_STORE_TOKENS ` +
    `with lines "admin <token>" / "runner <token>", or pass --${INSECURE_FLAG} to serve without authentication`
  );
}
