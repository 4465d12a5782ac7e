import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { StoreError } from '../domain/errors';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../domain/input-limits';
import type { ByteBudget } from '../ingest/byte-budget';
import { busy } from '../ingest/byte-budget';
import { HttpError } from './errors';

function decoder(encoding: string | undefined): Transform | null {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return null;
  if (name === 'gzip' || name === 'x-gzip') return createGunzip();
  if (name === 'deflate') return createInflate();
  throw new HttpError(415, `unsupported content-encoding: ${name.slice(0, 32)}`);
}

/** Bytes one request holds of the server's memory budget; given back once its answer is written. */
export class HeldBytes {
  private held = 0;

  constructor(private readonly budget: ByteBudget) {}

  /** Takes `bytes` more, or throws a busy error (503 with Retry-After) when the budget is full. */
  take(bytes: number): void {
    if (!this.budget.tryTake(bytes)) throw busy(`${this.budget.name} (${this.budget.capacity} bytes) is in use`);
    this.held += this.budget.cost(bytes);
  }

  /** Gives every held byte back (idempotent). */
  release(): void {
    this.budget.give(this.held);
    this.held = 0;
  }
}

/**
 * Reads a request body, undoing gzip or deflate, holding its bytes (before and after decompression)
 * in `held`. More than `maxBytes` (declared, received or inflated) is a 413; a corrupt compressed body a
 * 400; a full memory budget a busy error. Reading stops at the first of these.
 */
export async function readBody(req: IncomingMessage, maxBytes: number, held: HeldBytes): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) throw new HttpError(413, `request body larger than ${maxBytes} bytes`);
  const decode = decoder(req.headers['content-encoding']);
  if (!decode && declared > 0) held.take(declared);
  const source = decode ? req.pipe(decode) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw new HttpError(413, `request body larger than ${maxBytes} bytes`);
      if (decode || size > declared) held.take(chunk.length);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError || err instanceof StoreError) throw err;
    throw new HttpError(400, `cannot read the request body: ${(err as Error).message}`);
  } finally {
    if (decode) {
      req.unpipe(decode);
      decode.destroy();
    }
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; an empty, malformed or too deeply nested body is a 400. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new HttpError(400, 'request body must be JSON, got an empty body');
  const text = body.toString('utf8');
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HttpError(400, `request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, `request body is not valid JSON: ${(err as Error).message}`);
  }
}
