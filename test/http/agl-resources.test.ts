import type { AglServer } from './agl-support';
import { obj, startAglServer } from './agl-support';

const llm = { resource_type: 'llm', endpoint: 'http://localhost:8080/v1', model: 'llama3', api_key: null, sampling_parameters: { temperature: 0.7 } };
const prompt = { resource_type: 'prompt_template', template: 'You are a helpful assistant.', engine: 'f-string' };

describe('agent-lightning REST: resources', () => {
  let s: AglServer;
  beforeEach(async () => {
    s = await startAglServer();
  });
  afterEach(async () => {
    await s.stop();
  });

  it('answers null for the latest resources before any exist', async () => {
    expect(await s.call('GET', '/v1/agl/resources/latest')).toMatchObject({ status: 200, text: 'null' });
  });

  it('adds with 201, upserts, reads by id and latest, and new rollouts reference the latest', async () => {
    const added = await s.call('POST', '/v1/agl/resources', { main_llm: llm, system_prompt: prompt });
    expect(added.status).toBe(201);
    const first = obj(added.json);
    expect(Object.keys(first)).toEqual(['resources_id', 'create_time', 'update_time', 'version', 'resources']);
    expect(first).toMatchObject({ version: 1, resources: { main_llm: llm, system_prompt: prompt } });
    expect(first['resources_id']).toMatch(/^rs-/);

    // Defaults of an LLM resource are filled in; a proxy LLM keeps its type.
    const updated = await s.call('POST', `/v1/agl/resources/${first['resources_id'] as string}`, {
      proxy: { resource_type: 'proxy_llm', endpoint: 'http://proxy:4000/v1', model: 'policy' },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      version: 2,
      create_time: first['create_time'],
      resources: { proxy: { resource_type: 'proxy_llm', endpoint: 'http://proxy:4000/v1', model: 'policy', api_key: null, sampling_parameters: {} } },
    });
    // COMPAT: updating an unknown id creates it.
    const created = await s.call('POST', '/v1/agl/resources/v0', { main_llm: llm });
    expect(created.json).toMatchObject({ resources_id: 'v0', version: 1 });
    expect(obj((await s.call('GET', '/v1/agl/resources/latest')).json)['resources_id']).toBe('v0');
    expect(await s.call('GET', `/v1/agl/resources/${first['resources_id'] as string}`)).toMatchObject({ status: 200, json: updated.json });
    const [rollout] = (await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1 }] })).json as { resources_id: string }[];
    expect(rollout!.resources_id).toBe('v0');
  });

  it('queries resources with the query string the Python client sends', async () => {
    await s.call('POST', '/v1/agl/resources/alpha', { main_llm: llm });
    await s.call('POST', '/v1/agl/resources/beta', { main_llm: llm });
    await s.call('POST', '/v1/agl/resources/alphabet', { main_llm: llm });
    const ids = (res: { json: unknown }) => (obj(res.json)['items'] as { resources_id: string }[]).map((r) => r.resources_id);
    const all = await s.call('GET', '/v1/agl/resources?limit=-1&offset=0');
    expect(all.json).toMatchObject({ limit: -1, offset: 0, total: 3 });
    expect(ids(await s.call('GET', '/v1/agl/resources?resources_id_contains=alpha&sort_by=resources_id&sort_order=desc'))).toEqual(['alphabet', 'alpha']);
    expect(ids(await s.call('GET', '/v1/agl/resources?resources_id=beta'))).toEqual(['beta']);
    expect((await s.call('GET', '/v1/agl/resources?limit=1&offset=1')).json).toMatchObject({ limit: 1, offset: 1, total: 3 });
  });

  it('validates resources: unknown or missing type and missing fields are 422', async () => {
    expect((await s.call('POST', '/v1/agl/resources', { x: { resource_type: 'tool' } })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/resources', { x: { endpoint: 'e', model: 'm' } })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/resources', { x: { resource_type: 'llm', endpoint: 'e' } })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/resources', { x: { resource_type: 'prompt_template', template: 't', engine: 'mustache' } })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/resources', [llm])).status).toBe(422);
  });
});
