import { invalidArgument } from './errors';
import { checkId } from './input-limits';
import { quote } from './messages';
import { checkJson, EMPTY_OBJECT } from './json';
import type { NamedResources, Resource, ResourcesUpdate } from './records';

function checkResource(name: string, resource: Resource): Resource {
  if (resource.kind === 'prompt_template') return resource;
  if (resource.endpoint === '') throw invalidArgument(`resource ${quote(name)}: endpoint must not be empty`);
  if (resource.model === '') throw invalidArgument(`resource ${quote(name)}: model must not be empty`);
  const field = `resource ${quote(name)}: sampling_parameters`;
  return { ...resource, samplingParameters: checkJson(resource.samplingParameters, field, 'object', EMPTY_OBJECT) };
}

/** Validates a named resources map; empty sampling parameters become {}. Throws INVALID_ARGUMENT. */
export function checkResources(resources: NamedResources): NamedResources {
  const checked: Record<string, Resource> = {};
  for (const [name, resource] of Object.entries(resources)) {
    checkId(name, 'resource name');
    checked[name] = checkResource(name, resource);
  }
  return checked;
}

/** A new snapshot: version 1, created and updated now. */
export function createResources(resourcesId: string, resources: NamedResources, now: number): ResourcesUpdate {
  return { resourcesId, createTime: now, updateTime: now, version: 1, resources };
}

/**
 * update_resources (COMPAT: an upsert): replaces the resources of an existing snapshot, bumping its
 * version and update time, or creates the snapshot with the caller's id.
 */
export function replaceResources(
  previous: ResourcesUpdate | null,
  resourcesId: string,
  resources: NamedResources,
  now: number,
): ResourcesUpdate {
  if (!previous) return createResources(resourcesId, resources, now);
  return { ...previous, resources, updateTime: now, version: previous.version + 1 };
}
