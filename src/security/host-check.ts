import { isIP } from 'node:net';
import { isLoopback } from './exposure';

/** The host name of a Host header value, lower case, without its port or IPv6 brackets. */
function hostName(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') < 0 ? undefined : v.indexOf(']'));
  const colon = v.lastIndexOf(':');
  return colon < 0 ? v : v.slice(0, colon);
}

/**
 * Whether a request's Host header may be answered: none at all (HTTP/1.0), a loopback name, an IP
 * address (a rebinding attack always arrives under the attacker's domain name) or one of `allowed`.
 * Anything else is a name pointed at this server by someone else's DNS.
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (host === undefined || host === '') return true;
  const name = hostName(host);
  return isLoopback(name) || isIP(name) !== 0 || allowed.some((a) => a.toLowerCase() === name);
}
