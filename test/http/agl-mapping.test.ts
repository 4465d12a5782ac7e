import type { Attempt, ResourcesUpdate, Rollout, Span, Worker } from '../../src/domain/records';
import { stringifyJson } from '../../src/http/agl/json-out';
import { parseJsonSource } from '../../src/http/agl/json-source';
import { attemptedRolloutJson, resourcesUpdateJson, rolloutJson, statisticsJson, workerJson } from '../../src/http/agl/records-json';
import { spanJson } from '../../src/http/agl/span-json';
import { spanFromAgl } from '../../src/http/agl/span-requests';

const json = (value: Parameters<typeof stringifyJson>[0]): unknown => JSON.parse(stringifyJson(value));

const rollout: Rollout = {
  rolloutId: 'ro-1',
  input: '{"q":1}',
  startTime: 1735000000.123,
  endTime: null,
  mode: 'train',
  resourcesId: null,
  status: 'preparing',
  config: { timeoutSeconds: null, unresponsiveSeconds: 30, maxAttempts: 2, retryCondition: ['failed'] },
  metadata: '{}',
};
const attempt: Attempt = {
  rolloutId: 'ro-1',
  attemptId: 'at-1',
  sequenceId: 1,
  startTime: 1735000000.123,
  endTime: null,
  status: 'preparing',
  workerId: null,
  lastHeartbeatTime: null,
  metadata: 'null',
};

describe('store records -> agent-lightning JSON', () => {
  it('writes a rollout with snake_case keys and explicit nulls; the attempt key only when attempted', () => {
    expect(json(attemptedRolloutJson({ rollout, attempt: null }))).toEqual({
      rollout_id: 'ro-1',
      input: { q: 1 },
      start_time: 1735000000.123,
      end_time: null,
      mode: 'train',
      resources_id: null,
      status: 'preparing',
      config: { timeout_seconds: null, unresponsive_seconds: 30, max_attempts: 2, retry_condition: ['failed'] },
      metadata: {},
    });
    expect(json(attemptedRolloutJson({ rollout, attempt }))).toEqual({
      ...(json(rolloutJson(rollout)) as object),
      attempt: {
        rollout_id: 'ro-1',
        attempt_id: 'at-1',
        sequence_id: 1,
        start_time: 1735000000.123,
        end_time: null,
        status: 'preparing',
        worker_id: null,
        last_heartbeat_time: null,
        metadata: null,
      },
    });
  });

  it('writes resources with their resource_type and workers with every key', () => {
    const update: ResourcesUpdate = {
      resourcesId: 'rs-1',
      createTime: 1,
      updateTime: 2,
      version: 3,
      resources: {
        llm: { kind: 'proxy_llm', endpoint: 'http://p/v1', model: 'm', apiKey: null, samplingParameters: '{"t":0.7}' },
        prompt: { kind: 'prompt_template', template: 'Hi', engine: 'jinja' },
      },
    };
    expect(json(resourcesUpdateJson(update))).toEqual({
      resources_id: 'rs-1',
      create_time: 1,
      update_time: 2,
      version: 3,
      resources: {
        llm: { resource_type: 'proxy_llm', endpoint: 'http://p/v1', model: 'm', api_key: null, sampling_parameters: { t: 0.7 } },
        prompt: { resource_type: 'prompt_template', template: 'Hi', engine: 'jinja' },
      },
    });
    const worker: Worker = {
      workerId: 'w',
      status: 'idle',
      heartbeatStats: 'null',
      lastHeartbeatTime: null,
      lastDequeueTime: 5,
      lastBusyTime: null,
      lastIdleTime: 6,
      currentRolloutId: null,
      currentAttemptId: null,
    };
    expect(json(workerJson(worker))).toEqual({
      worker_id: 'w',
      status: 'idle',
      heartbeat_stats: null,
      last_heartbeat_time: null,
      last_dequeue_time: 5,
      last_busy_time: null,
      last_idle_time: 6,
      current_rollout_id: null,
      current_attempt_id: null,
    });
  });

  it('writes statistics with the reference keys', () => {
    const byStatus = { queuing: 1, preparing: 0, running: 0, failed: 0, succeeded: 0, cancelled: 0, requeuing: 0 };
    const stats = { backend: 'memory', totalRollouts: 1, totalAttempts: 2, totalSpans: 3, totalResources: 4, totalWorkers: 5, evictedSpans: 0, uptimeSeconds: 6.5, rolloutsByStatus: byStatus };
    expect(json(statisticsJson(stats))).toEqual({
      name: 'LightningStore',
      backend: 'memory',
      total_rollouts: 1,
      total_attempts: 2,
      total_spans: 3,
      total_resources: 4,
      total_workers: 5,
      uptime: 6.5,
      rollouts_by_status: byStatus,
    });
  });
});

describe('spans <-> agent-lightning JSON', () => {
  const body = {
    rollout_id: 'ro-1',
    attempt_id: 'at-1',
    sequence_id: 3,
    trace_id: 't',
    span_id: 's',
    parent_id: null,
    name: 'n',
    status: { status_code: 'OK', description: null, why: 'x' },
    attributes: { k: [1, 2] },
    events: [{ name: 'e', attributes: {}, timestamp: null, seen: true }],
    links: [{ context: { trace_id: 't2', span_id: 's2', is_remote: true, trace_state: { a: 'b' }, z: 0 }, attributes: { l: 1 } }],
    start_time: 1.5,
    end_time: null,
    context: { trace_id: 't', span_id: 's', is_remote: false, trace_state: {} },
    parent: null,
    resource: { attributes: { r: 'v' }, schema_url: 'u', dropped: 1 },
    kind: 'INTERNAL',
  };

  it('reads a span body and writes it back identically, unknown keys included (the resource drops its own)', () => {
    const span: Span = { ...spanFromAgl(parseJsonSource(JSON.stringify(body))), sequenceId: 3 };
    expect(span.extra).toBe('{"kind":"INTERNAL"}');
    expect(span.status.extra).toBe('{"why":"x"}');
    const { dropped: _dropped, ...resource } = body.resource;
    expect(json(spanJson(span))).toEqual({ ...body, resource });
  });

  it('reads sequence_id null as "assign one" and link attributes absent as null', () => {
    const span = spanFromAgl(parseJsonSource(JSON.stringify({ ...body, sequence_id: null, links: [{ context: body.context }] })));
    expect(span.sequenceId).toBeNull();
    expect(span.links[0]!.attributes).toBe('null');
  });
});
