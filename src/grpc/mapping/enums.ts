import { invalidArgument } from '../../domain/errors';
import type { FilterLogic, SortOrder } from '../../domain/query';
import type {
  AttemptStatus,
  PromptTemplateEngine,
  RolloutMode,
  RolloutStatus,
  SpanStatusCode,
  WorkerStatus,
} from '../../domain/records';
import { FilterLogic as WireFilterLogic, SortOrder as WireSortOrder } from '../../../gen/lightning/store/v1/queries';
import {
  AttemptStatus as WireAttemptStatus,
  RolloutMode as WireRolloutMode,
  RolloutStatus as WireRolloutStatus,
  WorkerStatus as WireWorkerStatus,
} from '../../../gen/lightning/store/v1/records';
import { PromptTemplateEngine as WireEngine } from '../../../gen/lightning/store/v1/resources';
import { StatusCode as WireStatusCode } from '../../../gen/lightning/store/v1/spans';

/** A two-way mapping between a proto enum (numbers) and a domain string union. */
export interface EnumMapping<W extends number, D extends string> {
  /** The domain value of `wire`; INVALID_ARGUMENT naming `field` for UNSPECIFIED (unless defaulted) or unknown numbers. */
  toDomain(wire: number, field: string): D;
  /** The wire value of a domain value. */
  toWire(value: D): W;
}

/**
 * Builds an enum mapping from (wire, domain) pairs. `unspecified` is what wire value 0 means; when it is
 * absent, 0 is rejected like an unknown number.
 */
function enumMapping<W extends number, D extends string>(
  typeName: string,
  pairs: readonly (readonly [W, D])[],
  unspecified?: D,
): EnumMapping<W, D> {
  const toDomain = new Map<number, D>(pairs);
  const toWire = new Map<D, W>(pairs.map(([w, d]) => [d, w]));
  const allowed = pairs.map(([, d]) => d).join(', ');
  return {
    toDomain(wire, field) {
      if (wire === 0 && unspecified !== undefined) return unspecified;
      const value = toDomain.get(wire);
      if (value === undefined) {
        const what = wire === 0 ? `${typeName} is UNSPECIFIED` : `${wire} is not a known ${typeName}`;
        throw invalidArgument(`${field}: ${what}; expected one of ${allowed}`);
      }
      return value;
    },
    toWire(value) {
      const wire = toWire.get(value);
      // Domain values are closed unions, so a miss is a programming error, not bad input.
      if (wire === undefined) throw new Error(`No ${typeName} for ${value}`);
      return wire;
    },
  };
}

/** RolloutStatus; UNSPECIFIED is rejected. */
export const rolloutStatus = enumMapping<WireRolloutStatus, RolloutStatus>('RolloutStatus', [
  [WireRolloutStatus.ROLLOUT_STATUS_QUEUING, 'queuing'],
  [WireRolloutStatus.ROLLOUT_STATUS_PREPARING, 'preparing'],
  [WireRolloutStatus.ROLLOUT_STATUS_RUNNING, 'running'],
  [WireRolloutStatus.ROLLOUT_STATUS_FAILED, 'failed'],
  [WireRolloutStatus.ROLLOUT_STATUS_SUCCEEDED, 'succeeded'],
  [WireRolloutStatus.ROLLOUT_STATUS_CANCELLED, 'cancelled'],
  [WireRolloutStatus.ROLLOUT_STATUS_REQUEUING, 'requeuing'],
]);

/** AttemptStatus; UNSPECIFIED is rejected. */
export const attemptStatus = enumMapping<WireAttemptStatus, AttemptStatus>('AttemptStatus', [
  [WireAttemptStatus.ATTEMPT_STATUS_PREPARING, 'preparing'],
  [WireAttemptStatus.ATTEMPT_STATUS_RUNNING, 'running'],
  [WireAttemptStatus.ATTEMPT_STATUS_FAILED, 'failed'],
  [WireAttemptStatus.ATTEMPT_STATUS_SUCCEEDED, 'succeeded'],
  [WireAttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE, 'unresponsive'],
  [WireAttemptStatus.ATTEMPT_STATUS_TIMEOUT, 'timeout'],
]);

/** WorkerStatus; UNSPECIFIED is rejected. */
export const workerStatus = enumMapping<WireWorkerStatus, WorkerStatus>('WorkerStatus', [
  [WireWorkerStatus.WORKER_STATUS_IDLE, 'idle'],
  [WireWorkerStatus.WORKER_STATUS_BUSY, 'busy'],
  [WireWorkerStatus.WORKER_STATUS_UNKNOWN, 'unknown'],
]);

const rolloutModes = enumMapping<WireRolloutMode, RolloutMode>('RolloutMode', [
  [WireRolloutMode.ROLLOUT_MODE_TRAIN, 'train'],
  [WireRolloutMode.ROLLOUT_MODE_VAL, 'val'],
  [WireRolloutMode.ROLLOUT_MODE_TEST, 'test'],
]);

/** RolloutMode; UNSPECIFIED <-> null ("no mode"). */
export const rolloutMode = {
  /** null for UNSPECIFIED; INVALID_ARGUMENT for an unknown number. */
  toDomain: (wire: number, field: string): RolloutMode | null => (wire === 0 ? null : rolloutModes.toDomain(wire, field)),
  /** UNSPECIFIED for null. */
  toWire: (value: RolloutMode | null): WireRolloutMode =>
    value === null ? WireRolloutMode.ROLLOUT_MODE_UNSPECIFIED : rolloutModes.toWire(value),
};

/** StatusCode of a span; UNSPECIFIED means UNSET. */
export const spanStatusCode = enumMapping<WireStatusCode, SpanStatusCode>(
  'StatusCode',
  [
    [WireStatusCode.STATUS_CODE_UNSET, 'UNSET'],
    [WireStatusCode.STATUS_CODE_OK, 'OK'],
    [WireStatusCode.STATUS_CODE_ERROR, 'ERROR'],
  ],
  'UNSET',
);

/** PromptTemplateEngine; UNSPECIFIED is rejected (a template needs an engine). */
export const promptTemplateEngine = enumMapping<WireEngine, PromptTemplateEngine>('PromptTemplateEngine', [
  [WireEngine.PROMPT_TEMPLATE_ENGINE_JINJA, 'jinja'],
  [WireEngine.PROMPT_TEMPLATE_ENGINE_F_STRING, 'f-string'],
  [WireEngine.PROMPT_TEMPLATE_ENGINE_POML, 'poml'],
]);

/** SortOrder; UNSPECIFIED means ascending. */
export const sortOrder = enumMapping<WireSortOrder, SortOrder>(
  'SortOrder',
  [
    [WireSortOrder.SORT_ORDER_ASC, 'asc'],
    [WireSortOrder.SORT_ORDER_DESC, 'desc'],
  ],
  'asc',
);

/** FilterLogic; UNSPECIFIED means AND. */
export const filterLogic = enumMapping<WireFilterLogic, FilterLogic>(
  'FilterLogic',
  [
    [WireFilterLogic.FILTER_LOGIC_AND, 'and'],
    [WireFilterLogic.FILTER_LOGIC_OR, 'or'],
  ],
  'and',
);
