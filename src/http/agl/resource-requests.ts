import { EMPTY_OBJECT } from '../../domain/json';
import type { NamedResources, Resource } from '../../domain/records';
import { PROMPT_TEMPLATE_ENGINES } from '../../domain/records';
import type { ResourcesQuery } from '../../store/store';
import type { FieldSource } from './fields';
import { enumField, objectFields, objectTextField, requiredString, stringField, unprocessable } from './fields';
import type { JsonNode } from './json-source';
import { RESOURCES_FIELDS } from './model-fields';
import { windowOf } from './paging';

const RESOURCE_TYPES = ['llm', 'proxy_llm', 'prompt_template'] as const;

function resourceFrom(node: JsonNode, path: string): Resource {
  const src = objectFields(node, path);
  const type = enumField(src, 'resource_type', RESOURCE_TYPES);
  if (type === undefined || type === null) throw unprocessable(path, 'resource_type', 'one of "llm", "proxy_llm", "prompt_template"');
  if (type === 'prompt_template') {
    const engine = enumField(src, 'engine', PROMPT_TEMPLATE_ENGINES);
    if (engine === undefined || engine === null) throw unprocessable(path, 'engine', 'a template engine (required)');
    return { kind: type, template: requiredString(src, 'template'), engine };
  }
  return {
    kind: type,
    endpoint: requiredString(src, 'endpoint'),
    model: requiredString(src, 'model'),
    apiKey: stringField(src, 'api_key') ?? null,
    samplingParameters: objectTextField(src, 'sampling_parameters') ?? EMPTY_OBJECT,
  };
}

/**
 * The body of POST /resources and POST /resources/{id}: a map of name -> resource, each discriminated by
 * `resource_type` (reference §1.8). 422 for an unknown or missing type or a missing required field.
 */
export function namedResourcesFromAgl(node: JsonNode): NamedResources {
  if (node.kind !== 'object') throw unprocessable('body', 'resources', 'a JSON object of named resources');
  const resources: Record<string, Resource> = {};
  for (const [name, value] of node.entries) resources[name] = resourceFrom(value, `body[${JSON.stringify(name)}]`);
  return resources;
}

/** GET /resources (query) -> ResourcesQuery. */
export function resourcesQueryFromAgl(src: FieldSource): ResourcesQuery {
  return {
    resourcesId: stringField(src, 'resources_id') ?? undefined,
    resourcesIdContains: stringField(src, 'resources_id_contains') ?? undefined,
    ...windowOf(src, RESOURCES_FIELDS),
  };
}
