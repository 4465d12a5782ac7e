import type { Scope, TokenSet } from './tokens';

/** What a call needs: no token (`open`), or a token of a scope (admin tokens pass every check). */
export type Requirement = Scope | 'open';

/** The verdict on one call. */
export type Access =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'unauthenticated'; readonly reason: string }
  | { readonly kind: 'forbidden'; readonly reason: string };

const ALLOWED: Access = { kind: 'allowed' };

/**
 * The secret an `authorization` value carries: `Bearer <token>`, or `Basic` credentials whose password
 * is the token (the user name is ignored), which is what clients that only take a URL with
 * `user:password@` can send. Anything else is undefined.
 */
export function presentedToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^\s*(Bearer|Basic)\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return undefined;
  if (match[1]!.toLowerCase() === 'bearer') return match[2];
  const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/**
 * Decides one call: with no token set (authentication off) everything is allowed; otherwise an `open`
 * call is allowed, a call without a known token is unauthenticated, and a runner token on an admin
 * call is forbidden. Reasons never repeat the presented token.
 */
export function decideAccess(tokens: TokenSet | null, required: Requirement, authorization: string | undefined): Access {
  if (tokens === null || required === 'open') return ALLOWED;
  const secret = presentedToken(authorization);
  if (secret === undefined) return { kind: 'unauthenticated', reason: 'this call needs a token: send "authorization: Bearer <token>"' };
  const scope = tokens.scopeOf(secret);
  if (scope === null) return { kind: 'unauthenticated', reason: 'the token is not valid' };
  if (required === 'admin' && scope !== 'admin') return { kind: 'forbidden', reason: 'this call needs a token of the admin scope' };
  return ALLOWED;
}
