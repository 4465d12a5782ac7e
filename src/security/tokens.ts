import { createHash, timingSafeEqual } from 'node:crypto';

/** What a token may do: `runner` works rollouts (dequeue, attempts, spans, workers, reads); `admin` may do everything. */
export const SCOPES = ['runner', 'admin'] as const;
/** A token's scope. */
export type Scope = (typeof SCOPES)[number];

/** Shortest token accepted: shorter ones are guessable. */
export const MIN_TOKEN_LENGTH = 16;

interface Entry {
  readonly scope: Scope;
  readonly digest: Buffer;
}

function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The tokens the server accepts, kept as SHA-256 digests; compared in constant time. */
export class TokenSet {
  private constructor(private readonly entries: readonly Entry[]) {}

  /**
   * Parses token text: entries `scope token`, one per line or separated by `;`; blank entries and
   * lines starting with `#` are skipped. Throws a message naming the entry's number (never its token)
   * for an unknown scope, a missing or short token. `source` names the file or variable in messages.
   */
  static parse(text: string, source: string): TokenSet {
    const entries: Entry[] = [];
    text.split(/[;\n]/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const [scope, secret, ...rest] = line.split(/\s+/);
      const where = `${source}, entry ${index + 1}`;
      if (!SCOPES.includes(scope as Scope)) throw new Error(`${where}: the scope must be one of ${SCOPES.join(', ')} (entries are "scope token")`);
      if (secret === undefined || rest.length > 0) throw new Error(`${where}: an entry is a scope and one token, separated by a space`);
      if (secret.length < MIN_TOKEN_LENGTH) throw new Error(`${where}: a token must have at least ${MIN_TOKEN_LENGTH} characters`);
      entries.push({ scope: scope as Scope, digest: digestOf(secret) });
    });
    return new TokenSet(entries);
  }

  /** Both sets together (a file's and a variable's). */
  static union(sets: readonly TokenSet[]): TokenSet {
    return new TokenSet(sets.flatMap((s) => s.entries));
  }

  /** How many tokens the set holds. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * The broadest scope of the tokens equal to `secret`, or null. Every entry is compared (equal-length
   * digests with timingSafeEqual), so the time taken does not tell how close a guess came.
   */
  scopeOf(secret: string): Scope | null {
    const presented = digestOf(secret);
    let found: Scope | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(presented, entry.digest) && found !== 'admin') found = entry.scope;
    }
    return found;
  }
}
