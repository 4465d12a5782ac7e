import type { Page } from '../../domain/query';
import type { Route } from '../router';
import type { FieldSource } from './fields';
import { objectFields, queryFields } from './fields';
import type { JsonOut } from './json-out';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { pageJson } from './paging';

/** One paginated query of the REST API: how its fields are read, run and written. */
export interface PagedQuery<Q, T> {
  /** Path of the GET form, e.g. `/v1/agl/rollouts`; the POST form is `<pattern>/search`. */
  readonly pattern: string;
  /** Whether the POST `.../search` form (a JSON body) exists besides GET (a query string). */
  readonly search: boolean;
  readonly parse: (src: FieldSource) => Q;
  readonly run: (query: Q, params: Readonly<Record<string, string>>) => Promise<Page<T>>;
  readonly item: (value: T) => JsonOut;
}

/**
 * The routes of a paginated query: GET with a query string and, when `search` is set, POST
 * `.../search` with a JSON body (the form the Python client uses). Both answer a PaginatedResult.
 */
export function pagedRoutes<Q, T>(q: PagedQuery<Q, T>): Route[] {
  const answer = async (src: FieldSource, params: Readonly<Record<string, string>>) =>
    aglReply(200, pageJson(await q.run(q.parse(src), params), q.item));
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
