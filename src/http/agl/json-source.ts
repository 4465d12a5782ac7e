import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../domain/input-limits';
import { HttpError } from '../errors';

/**
 * A parsed JSON value that remembers the exact source text of every node, so payloads the store keeps
 * as JSON text (task input, metadata, attributes) are stored as the client wrote them: 64-bit integers
 * and number formatting survive, as they do over gRPC.
 */
export type JsonNode =
  | { readonly kind: 'null'; readonly raw: string }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly raw: string }
  | { readonly kind: 'number'; readonly value: number; readonly raw: string }
  | { readonly kind: 'string'; readonly value: string; readonly raw: string }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[]; readonly raw: string }
  | { readonly kind: 'object'; readonly entries: ReadonlyMap<string, JsonNode>; readonly raw: string };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Walks text that JSON.parse has already accepted, so it only finds boundaries and never rejects. */
class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  value(): JsonNode {
    this.skipSpace();
    const start = this.pos;
    switch (this.text[this.pos]) {
      case '{':
        return this.object(start);
      case '[':
        return this.array(start);
      case '"': {
        const raw = this.stringRaw();
        return { kind: 'string', value: JSON.parse(raw) as string, raw };
      }
      case 't':
        this.pos += 4;
        return { kind: 'boolean', value: true, raw: 'true' };
      case 'f':
        this.pos += 5;
        return { kind: 'boolean', value: false, raw: 'false' };
      case 'n':
        this.pos += 4;
        return { kind: 'null', raw: 'null' };
      default: {
        NUMBER.lastIndex = this.pos;
        const raw = NUMBER.exec(this.text)?.[0] ?? '';
        this.pos += raw.length;
        return { kind: 'number', value: Number(raw), raw };
      }
    }
  }

  private object(start: number): JsonNode {
    const entries = new Map<string, JsonNode>();
    this.pos += 1;
    this.skipSpace();
    while (this.text[this.pos] !== '}') {
      this.skipSpace();
      const key = JSON.parse(this.stringRaw()) as string;
      this.skipSpace();
      this.pos += 1; // ':'
      entries.set(key, this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos += 1;
    }
    this.pos += 1;
    return { kind: 'object', entries, raw: this.text.slice(start, this.pos) };
  }

  private array(start: number): JsonNode {
    const items: JsonNode[] = [];
    this.pos += 1;
    this.skipSpace();
    while (this.text[this.pos] !== ']') {
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos += 1;
    }
    this.pos += 1;
    return { kind: 'array', items, raw: this.text.slice(start, this.pos) };
  }

  private stringRaw(): string {
    const start = this.pos;
    this.pos += 1;
    while (this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    this.pos += 1;
    return this.text.slice(start, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos += 1;
  }
}

/** Parses JSON text into nodes that keep their source text. Malformed JSON is a 400. */
export function parseJsonSource(text: string): JsonNode {
  try {
    JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `request body is not valid JSON: ${(err as Error).message}`);
  }
  // The scanner recurses per level: a body nested deeper than any payload may be is refused first.
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HttpError(400, `request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return new Scanner(text).value();
}

/**
 * The JSON body of a request; an empty body is `null` (clients send no body for "all defaults").
 * Malformed JSON is a 400.
 */
export function parseBody(body: Buffer): JsonNode {
  const text = body.toString('utf8');
  return text.trim() === '' ? { kind: 'null', raw: 'null' } : parseJsonSource(text);
}
