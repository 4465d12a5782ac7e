import type { IncomingHttpHeaders } from 'node:http';
import { decideAccess } from '../security/access';
import { hostAllowed } from '../security/host-check';
import { HTTP_REQUIREMENTS, requirementOf } from '../security/scopes';
import type { TokenSet } from '../security/tokens';
import { HttpError } from './errors';

/** What the HTTP port checks before routing. */
export interface HttpGuardOptions {
  /** The tokens accepted now (they may be reloaded), or null when authentication is off. */
  readonly tokens: () => TokenSet | null;
  /** Host names answered besides loopback names and IP addresses. */
  readonly allowedHosts: readonly string[];
}

/** Content types a request body may declare: JSON (REST, OTLP/JSON) or protobuf (OTLP). */
const BODY_TYPES = ['application/json', 'application/x-protobuf'];

function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? '0') > 0;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The refusal of a request, or null to let it through: 421 for a Host that is not ours (DNS
 * rebinding), 401 (with WWW-Authenticate) without a valid token, 403 for a token without the route's
 * scope, 415 for a body that declares neither JSON nor protobuf (what a cross-site form or text/plain
 * fetch sends). `routeKey` is "METHOD pattern" of the matched route, else "METHOD path".
 */
export function refusalOf(options: HttpGuardOptions, routeKey: string, headers: IncomingHttpHeaders): HttpError | null {
  if (!hostAllowed(headers.host, options.allowedHosts)) {
    return new HttpError(421, 'this server does not answer that Host name (add it with --allowed-host)');
  }
  const access = decideAccess(options.tokens(), requirementOf(HTTP_REQUIREMENTS, routeKey), single(headers.authorization));
  if (access.kind === 'unauthenticated') return new HttpError(401, access.reason, { 'www-authenticate': 'Bearer' });
  if (access.kind === 'forbidden') return new HttpError(403, access.reason);
  if (hasBody(headers)) {
    const type = (single(headers['content-type']) ?? '').split(';')[0]!.trim().toLowerCase();
    if (!BODY_TYPES.includes(type)) {
      return new HttpError(415, `a request body must be ${BODY_TYPES.join(' or ')}, got ${type === '' ? 'no content type' : type.slice(0, 64)}`);
    }
  }
  return null;
}
