import { invalidArgument } from '../../domain/errors';
import type { NamedResources, Resource, ResourcesUpdate } from '../../domain/records';
import type {
  LlmResource as WireLlmResource,
  Resource as WireResource,
  ResourcesUpdate as WireResourcesUpdate,
} from '../../../gen/lightning/store/v1/resources';
import { promptTemplateEngine } from './enums';

function llmFromWire(kind: 'llm' | 'proxy_llm', wire: WireLlmResource): Resource {
  return {
    kind,
    endpoint: wire.endpoint,
    model: wire.model,
    apiKey: wire.apiKey ?? null,
    samplingParameters: wire.samplingParametersJson,
  };
}

/** Wire Resource (a oneof) -> domain. INVALID_ARGUMENT when no kind is set or the engine is unspecified. */
export function resourceFromWire(wire: WireResource, field: string): Resource {
  const kind = wire.kind;
  if (kind === undefined) throw invalidArgument(`${field}: a resource must set one of llm, proxy_llm, prompt_template`);
  switch (kind.$case) {
    case 'llm':
      return llmFromWire('llm', kind.value);
    case 'proxyLlm':
      return llmFromWire('proxy_llm', kind.value);
    case 'promptTemplate':
      return {
        kind: 'prompt_template',
        template: kind.value.template,
        engine: promptTemplateEngine.toDomain(kind.value.engine, `${field}.engine`),
      };
  }
}

/** Domain Resource -> wire oneof. */
export function resourceToWire(resource: Resource): WireResource {
  if (resource.kind === 'prompt_template') {
    const value = { template: resource.template, engine: promptTemplateEngine.toWire(resource.engine) };
    return { kind: { $case: 'promptTemplate', value } };
  }
  const value: WireLlmResource = {
    endpoint: resource.endpoint,
    model: resource.model,
    apiKey: resource.apiKey ?? undefined,
    samplingParametersJson: resource.samplingParameters,
  };
  return { kind: resource.kind === 'llm' ? { $case: 'llm', value } : { $case: 'proxyLlm', value } };
}

/** A wire resources map -> domain named resources. */
export function namedResourcesFromWire(wire: Readonly<Record<string, WireResource>>): NamedResources {
  return Object.fromEntries(Object.entries(wire).map(([name, r]) => [name, resourceFromWire(r, `resources[${JSON.stringify(name)}]`)]));
}

/** Domain ResourcesUpdate -> wire. */
export function resourcesUpdateToWire(update: ResourcesUpdate): WireResourcesUpdate {
  return {
    resourcesId: update.resourcesId,
    createTime: update.createTime,
    updateTime: update.updateTime,
    version: update.version,
    resources: Object.fromEntries(Object.entries(update.resources).map(([name, r]) => [name, resourceToWire(r)])),
  };
}
