import { hasCode } from '../../domain/errors';
import type { Page } from '../../domain/query';
import type { QueryWindow } from '../../store/store';

/*
 * Where the REST API answers as the reference does although the store refuses: agent-lightning's client
 * turns these answers into return values (None, an empty page), so an unknown id is not an error on this
 * surface. gRPC keeps NOT_FOUND; the difference lives here only.
 */

/** The store's answer, or null when it is NOT_FOUND (a read of an unknown id answers `200 null`). */
export async function nullWhenNotFound<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (hasCode(err, 'NOT_FOUND')) return null;
    throw err;
  }
}

/** The store's page, or an empty page of the requested window when the owner (rollout, attempt) is unknown. */
export async function emptyWhenNotFound<T>(query: Promise<Page<T>>, window: QueryWindow): Promise<Page<T>> {
  const page = await nullWhenNotFound(query);
  return page ?? { items: [], limit: window.page?.limit ?? null, offset: window.page?.offset ?? 0, total: 0 };
}

/** The reference stores a `resources_id` that names no snapshot as given (its runner relies on it). */
export const REFERENCE_RESOURCES = { acceptUnknownResources: true } as const;
