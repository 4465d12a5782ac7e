import type { HttpRouteDeps } from '../route-deps';
import type { Route } from '../router';
import { nullWhenNotFound } from './client-contract';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { pagedRoutes } from './query-routes';
import { resourcesUpdateJson } from './records-json';
import { namedResourcesFromAgl, resourcesQueryFromAgl } from './resource-requests';

/** Resources routes (reference §10.3 routes 19-23); `latest` is matched before an id; an unknown id reads as null. */
export function resourceRoutes({ store }: HttpRouteDeps): Route[] {
  return [
    ...pagedRoutes({
      pattern: '/v1/agl/resources',
      search: false,
      parse: resourcesQueryFromAgl,
      run: (query) => store.queryResources(query),
      item: resourcesUpdateJson,
    }),
    {
      method: 'POST',
      pattern: '/v1/agl/resources',
      handler: async (req) => aglReply(201, resourcesUpdateJson(await store.addResources(namedResourcesFromAgl(parseBody(req.body))))),
    },
    {
      method: 'GET',
      pattern: '/v1/agl/resources/latest',
      handler: async () => {
        const latest = await store.getLatestResources();
        return aglReply(200, latest === null ? null : resourcesUpdateJson(latest));
      },
    },
    {
      method: 'POST',
      pattern: '/v1/agl/resources/:resourcesId',
      handler: async (req) => {
        const resources = namedResourcesFromAgl(parseBody(req.body));
        return aglReply(200, resourcesUpdateJson(await store.updateResources(req.params['resourcesId']!, resources)));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/agl/resources/:resourcesId',
      handler: async (req) => {
        const found = await nullWhenNotFound(store.getResources(req.params['resourcesId']!));
        return aglReply(200, found === null ? null : resourcesUpdateJson(found));
      },
    },
  ];
}
