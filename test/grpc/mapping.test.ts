import { StoreError } from '../../src/domain/errors';
import { FilterLogic, SortOrder } from '../../gen/lightning/store/v1/queries';
import { AttemptStatus, RolloutMode, RolloutStatus } from '../../gen/lightning/store/v1/records';
import { PromptTemplateEngine } from '../../gen/lightning/store/v1/resources';
import { Span as WireSpan, StatusCode } from '../../gen/lightning/store/v1/spans';
import { UpdateAttemptRequest, UpdateRolloutRequest } from '../../gen/lightning/store/v1/store_service';
import { ROLLOUT_STATUSES } from '../../src/domain/records';
import { attemptStatus, filterLogic, promptTemplateEngine, rolloutMode, rolloutStatus, sortOrder, spanStatusCode } from '../../src/grpc/mapping/enums';
import { pageFromWire, pageInfoToWire, rolloutQueryFromWire, sortFromWire } from '../../src/grpc/mapping/queries';
import { resourceFromWire, resourceToWire } from '../../src/grpc/mapping/resources';
import { configFromWire, specFromWire } from '../../src/grpc/mapping/rollouts';
import { spanFromWire, spanToWire } from '../../src/grpc/mapping/spans';
import { attemptUpdateFromWire, rolloutUpdateFromWire } from '../../src/grpc/mapping/updates';
import { QueryRolloutsRequest } from '../../gen/lightning/store/v1/store_service';

function invalid(fn: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(StoreError);
  expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) as string });
}

describe('enum mapping', () => {
  it('maps every rollout status both ways', () => {
    for (const s of ROLLOUT_STATUSES) expect(rolloutStatus.toDomain(rolloutStatus.toWire(s), 'status')).toBe(s);
    expect(rolloutStatus.toWire('queuing')).toBe(RolloutStatus.ROLLOUT_STATUS_QUEUING);
    expect(attemptStatus.toDomain(AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE, 'status')).toBe('unresponsive');
  });

  it('rejects UNSPECIFIED, UNRECOGNIZED and unknown numbers where a value is required', () => {
    invalid(() => rolloutStatus.toDomain(RolloutStatus.ROLLOUT_STATUS_UNSPECIFIED, 'status'), /^status: RolloutStatus is UNSPECIFIED; expected one of queuing/);
    invalid(() => attemptStatus.toDomain(AttemptStatus.UNRECOGNIZED, 'x'), /x: -1 is not a known AttemptStatus/);
    invalid(() => promptTemplateEngine.toDomain(PromptTemplateEngine.PROMPT_TEMPLATE_ENGINE_UNSPECIFIED, 'engine'), /PromptTemplateEngine is UNSPECIFIED/);
    invalid(() => rolloutMode.toDomain(9, 'mode'), /9 is not a known RolloutMode/);
  });

  it('gives UNSPECIFIED its documented meaning where it has one', () => {
    expect(rolloutMode.toDomain(RolloutMode.ROLLOUT_MODE_UNSPECIFIED, 'mode')).toBeNull();
    expect(rolloutMode.toWire(null)).toBe(RolloutMode.ROLLOUT_MODE_UNSPECIFIED);
    expect(rolloutMode.toWire('val')).toBe(RolloutMode.ROLLOUT_MODE_VAL);
    expect(spanStatusCode.toDomain(StatusCode.STATUS_CODE_UNSPECIFIED, 'c')).toBe('UNSET');
    expect(spanStatusCode.toWire('UNSET')).toBe(StatusCode.STATUS_CODE_UNSET);
    expect(sortOrder.toDomain(SortOrder.SORT_ORDER_UNSPECIFIED, 'o')).toBe('asc');
    expect(filterLogic.toDomain(FilterLogic.FILTER_LOGIC_UNSPECIFIED, 'l')).toBe('and');
    expect(filterLogic.toDomain(FilterLogic.FILTER_LOGIC_OR, 'l')).toBe('or');
    expect(promptTemplateEngine.toDomain(PromptTemplateEngine.PROMPT_TEMPLATE_ENGINE_F_STRING, 'e')).toBe('f-string');
    expect(promptTemplateEngine.toWire('f-string')).toBe(PromptTemplateEngine.PROMPT_TEMPLATE_ENGINE_F_STRING);
  });
});

describe('rollout spec and config', () => {
  it('defaults max_attempts to 1 and keeps JSON text as sent', () => {
    expect(configFromWire({ retryCondition: [] }, 'config')).toEqual({ timeoutSeconds: null, unresponsiveSeconds: null, maxAttempts: 1, retryCondition: [] });
    expect(specFromWire({ inputJson: '', mode: 0, config: undefined, metadataJson: '' }, 'rollout')).toEqual({
      input: '',
      mode: null,
      resourcesId: null,
      config: null,
      metadata: '',
    });
    invalid(() => configFromWire({ retryCondition: [AttemptStatus.ATTEMPT_STATUS_UNSPECIFIED] }, 'config'), /config.retry_condition\[0\]/);
  });
});

describe('resources', () => {
  it('maps each oneof case both ways and rejects a resource with no kind', () => {
    const llm = { endpoint: 'e', model: 'm', apiKey: undefined, samplingParametersJson: '{}' };
    expect(resourceFromWire({ kind: { $case: 'proxyLlm', value: llm } }, 'r')).toEqual({ kind: 'proxy_llm', endpoint: 'e', model: 'm', apiKey: null, samplingParameters: '{}' });
    for (const wire of [
      { kind: { $case: 'llm' as const, value: { ...llm, apiKey: 'k' } } },
      { kind: { $case: 'proxyLlm' as const, value: llm } },
      { kind: { $case: 'promptTemplate' as const, value: { template: 't', engine: PromptTemplateEngine.PROMPT_TEMPLATE_ENGINE_POML } } },
    ]) {
      expect(resourceToWire(resourceFromWire(wire, 'r'))).toEqual(wire);
    }
    invalid(() => resourceFromWire({ kind: undefined }, 'resources["x"]'), /resources\["x"\]: a resource must set one of llm, proxy_llm, prompt_template/);
  });
});

describe('queries', () => {
  it('maps sort and page, absent meaning default and no limit', () => {
    expect(sortFromWire(undefined)).toBeUndefined();
    expect(sortFromWire({ field: 'status', order: SortOrder.SORT_ORDER_DESC })).toEqual({ field: 'status', order: 'desc' });
    expect(pageFromWire(undefined)).toBeUndefined();
    expect(pageFromWire({ limit: undefined, offset: 2 })).toEqual({ limit: null, offset: 2 });
    expect(pageFromWire({ limit: 0, offset: 0 })).toEqual({ limit: 0, offset: 0 });
    expect(pageInfoToWire({ items: [], limit: null, offset: 0, total: 7 })).toEqual({ limit: -1, offset: 0, total: 7 });
  });

  it('treats an empty list filter as no condition', () => {
    const query = rolloutQueryFromWire(QueryRolloutsRequest.fromPartial({ statusIn: [], rolloutIdIn: [] }));
    expect(query.statusIn).toBeUndefined();
    expect(query.rolloutIdIn).toBeUndefined();
    expect(rolloutQueryFromWire(QueryRolloutsRequest.fromPartial({ statusIn: [RolloutStatus.ROLLOUT_STATUS_FAILED] })).statusIn).toEqual(['failed']);
  });
});

describe('updates', () => {
  const rollout = (partial: Partial<UpdateRolloutRequest>) => rolloutUpdateFromWire({ ...UpdateRolloutRequest.fromPartial({}), ...partial });
  const attempt = (partial: Partial<UpdateAttemptRequest>) => attemptUpdateFromWire({ ...UpdateAttemptRequest.fromPartial({}), ...partial });

  it('sets present fields, clears named ones, and leaves the rest out', () => {
    expect(rollout({ rolloutId: 'r' })).toEqual({});
    expect(rollout({ inputJson: '1', status: RolloutStatus.ROLLOUT_STATUS_RUNNING })).toEqual({ input: '1', status: 'running' });
    expect(rollout({ clearFields: ['input', 'mode', 'resources_id', 'metadata'] })).toEqual({ input: 'null', mode: null, resourcesId: null, metadata: 'null' });
    expect(rollout({ config: { maxAttempts: 2, retryCondition: [] } })).toEqual({ config: { timeoutSeconds: null, unresponsiveSeconds: null, maxAttempts: 2, retryCondition: [] } });
    expect(attempt({ workerId: 'w', lastHeartbeatTime: 5 })).toEqual({ workerId: 'w', lastHeartbeatTime: 5 });
    expect(attempt({ clearFields: ['worker_id', 'last_heartbeat_time', 'metadata'] })).toEqual({ workerId: null, lastHeartbeatTime: null, metadata: 'null' });
  });

  it('refuses unknown names, unclearable fields, set-and-cleared fields, and mode UNSPECIFIED', () => {
    invalid(() => rollout({ clearFields: ['nope'] }), /unknown field "nope"; allowed fields are: input, mode, resources_id, metadata/);
    invalid(() => rollout({ clearFields: ['status'] }), /"status" cannot be cleared/);
    invalid(() => rollout({ clearFields: ['config'] }), /"config" cannot be cleared/);
    invalid(() => rollout({ metadataJson: '{}', clearFields: ['metadata'] }), /both set and named/);
    invalid(() => rollout({ mode: RolloutMode.ROLLOUT_MODE_UNSPECIFIED }), /use clear_fields/);
    invalid(() => attempt({ clearFields: ['status'] }), /"status" cannot be cleared/);
    invalid(() => attempt({ clearFields: ['input'] }), /unknown field "input"/);
    invalid(() => attempt({ lastHeartbeatTime: 1, clearFields: ['last_heartbeat_time'] }), /both set/);
  });
});

describe('spans', () => {
  it('maps absent optional fields to null and back to absent', () => {
    const wire = WireSpan.fromPartial({ rolloutId: 'r', attemptId: 'a', spanId: 's', traceId: 't', name: 'n' });
    const span = spanFromWire(wire);
    expect(span).toMatchObject({ sequenceId: null, parentId: null, startTime: null, context: null, parent: null, status: { statusCode: 'UNSET', description: null } });
    const back = spanToWire({ ...span, sequenceId: 3 });
    expect(back).toMatchObject({ sequenceId: 3, parentId: undefined, startTime: undefined, context: undefined, parent: undefined });
    expect(back.status?.statusCode).toBe(StatusCode.STATUS_CODE_UNSET);
  });

  it('keeps every field of a full span through a round trip', () => {
    const context = { traceId: 't', spanId: 's', isRemote: true, traceState: { a: 'b' }, extraJson: '{"x":1}' };
    const wire = WireSpan.fromPartial({
      rolloutId: 'r', attemptId: 'a', sequenceId: 4, traceId: 't', spanId: 's', parentId: 'p', name: 'n',
      status: { statusCode: StatusCode.STATUS_CODE_ERROR, description: 'boom', extraJson: '{}' },
      attributesJson: '{"k":1}', events: [{ name: 'e', attributesJson: '{}', timestamp: 2, extraJson: '{}' }],
      links: [{ context, attributesJson: 'null', extraJson: '{}' }], startTime: 1, endTime: 2, context, parent: context,
      resource: { attributesJson: '{"service.name":"x"}', schemaUrl: 'u' }, extraJson: '{"kind":"client"}',
    });
    const span = spanFromWire(wire);
    expect(spanToWire({ ...span, sequenceId: 4 })).toEqual(wire);
  });

  it('rejects a link without a context', () => {
    invalid(() => spanFromWire(WireSpan.fromPartial({ links: [{ attributesJson: '{}' }] })), /span.links\[0\].context is required/);
  });
});
