import type { Page } from '../../domain/query';
import type { QueryWindow } from '../../store/store';
import type { HttpReply, Route } from '../router';
import type { FieldSource } from './fields';
import { objectFields, queryFields } from './fields';
import type { JsonOut } from './json-out';
import { aglReply, stringifyJson } from './json-out';
import { parseBody } from './json-source';
import { pageJson } from './paging';

/** Items read from the store per piece of an answer without a limit. */
export const ANSWER_PIECE_ITEMS = 250;

/** One paginated query of the REST API: how its fields are read, run and written. */
export interface PagedQuery<Q extends QueryWindow, T> {
  /** Path of the GET form, e.g. `/v1/agl/rollouts`; the POST form is `<pattern>/search`. */
  readonly pattern: string;
  /** Whether the POST `.../search` form (a JSON body) exists besides GET (a query string). */
  readonly search: boolean;
  readonly parse: (src: FieldSource) => Q;
  readonly run: (query: Q, params: Readonly<Record<string, string>>) => Promise<Page<T>>;
  readonly item: (value: T) => JsonOut;
}

/**
 * All matches of a query without a limit, as JSON text in pieces: the store is read ANSWER_PIECE_ITEMS at
 * a time, so one answer never holds more than a piece in memory. `total` is counted when the first piece
 * is read; matches added while the answer is written may be left out, and never more than `total` items
 * are written.
 */
async function* wholeAnswer<Q extends QueryWindow, T>(q: PagedQuery<Q, T>, query: Q, params: Readonly<Record<string, string>>): AsyncGenerator<string> {
  const start = query.page?.offset ?? 0;
  let offset = start;
  let total = -1;
  let written = 0;
  for (;;) {
    const page = await q.run({ ...query, page: { limit: ANSWER_PIECE_ITEMS, offset } }, params);
    const opening = total < 0 ? '{"items":[' : '';
    if (total < 0) total = page.total;
    const items = page.items.slice(0, Math.max(0, total - start - written));
    const text = items.map((item) => stringifyJson(q.item(item))).join(',');
    yield opening + (written > 0 && items.length > 0 ? ',' : '') + text;
    written += items.length;
    offset += page.items.length;
    if (page.items.length < ANSWER_PIECE_ITEMS || start + written >= total) break;
  }
  yield `],"limit":-1,"offset":${start},"total":${total}}`;
}

/**
 * The routes of a paginated query: GET with a query string and, when `search` is set, POST
 * `.../search` with a JSON body (the form the Python client uses). Both answer a PaginatedResult; one
 * without a limit (the client's default) is written in pieces (see wholeAnswer).
 */
export function pagedRoutes<Q extends QueryWindow, T>(q: PagedQuery<Q, T>): Route[] {
  const answer = async (src: FieldSource, params: Readonly<Record<string, string>>): Promise<HttpReply> => {
    const query = q.parse(src);
    if (query.page?.limit === null || query.page?.limit === undefined) {
      // The first piece is read before the answer starts, so that a bad query is still a clean 4xx.
      const pieces = wholeAnswer(q, query, params);
      const first = await pieces.next();
      return { status: 200, contentType: 'application/json', pieces: prepend(first.done ? [] : [first.value], pieces) };
    }
    return aglReply(200, pageJson(await q.run(query, params), q.item));
  };
  const routes: Route[] = [{ method: 'GET', pattern: q.pattern, handler: (req) => answer(queryFields(req.query), req.params) }];
  if (q.search) {
    routes.push({
      method: 'POST',
      pattern: `${q.pattern}/search`,
      handler: (req) => answer(objectFields(parseBody(req.body), 'body'), req.params),
    });
  }
  return routes;
}

async function* prepend(first: readonly string[], rest: AsyncIterator<string>): AsyncGenerator<string> {
  yield* first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}
