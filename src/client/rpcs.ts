import {
  AddManySpansRequest,
  AddResourcesRequest,
  AddSpanRequest,
  DequeueManyRolloutsRequest,
  DequeueRolloutRequest,
  EnqueueManyRolloutsRequest,
  EnqueueRolloutRequest,
  GetLatestAttemptRequest,
  GetLatestResourcesRequest,
  GetManySpanSequenceIdsRequest,
  GetNextSpanSequenceIdRequest,
  GetResourcesRequest,
  GetRolloutRequest,
  GetStatisticsRequest,
  GetWorkerRequest,
  IngestSpansRequest,
  QueryAttemptsRequest,
  QueryResourcesRequest,
  QueryRolloutsRequest,
  QuerySpansRequest,
  QueryWorkersRequest,
  StartAttemptRequest,
  StartRolloutRequest,
  UpdateAttemptRequest,
  UpdateResourcesRequest,
  UpdateRolloutRequest,
  UpdateWorkerRequest,
  WaitForRolloutsRequest,
} from '../../gen/lightning/store/v1/store_service';
import type { LightningStoreServiceService } from '../../gen/lightning/store/v1/store_service';

type Definition = typeof LightningStoreServiceService;

/** The name of an RPC of LightningStoreService, as the generated code spells it (camelCase). */
export type Rpc = keyof Definition;

/** The RPCs with a single request message (every one but IngestSpans). */
export type UnaryRpc = { [K in Rpc]: Definition[K]['requestStream'] extends false ? K : never }[Rpc];

/** The request message of an RPC (one message of the stream for IngestSpans). */
export type RequestOf<K extends Rpc> = Parameters<Definition[K]['requestSerialize']>[0];

/** The response message of an RPC. */
export type ResponseOf<K extends Rpc> = ReturnType<Definition[K]['responseDeserialize']>;

/**
 * A message with every field optional at any depth; absent fields take their protobuf defaults (empty
 * string, 0, first enum value, absent optional and message fields). A oneof keeps its `$case`.
 */
export type PartialMessage<T> = T extends string | number | boolean | undefined
  ? T
  : T extends (infer U)[]
    ? PartialMessage<U>[]
    : T extends { $case: string; value: unknown }
      ? { $case: T['$case']; value?: PartialMessage<T['value']> }
      : T extends object
        ? { [K in keyof T]?: PartialMessage<T[K]> }
        : T;

type RequestBuilders = { readonly [K in Rpc]: (partial: PartialMessage<RequestOf<K>>) => RequestOf<K> };

/** Completes a partial request of each RPC with protobuf defaults (the generated fromPartial). */
export const REQUEST_BUILDERS: RequestBuilders = {
  startRollout: (p) => StartRolloutRequest.fromPartial(p),
  enqueueRollout: (p) => EnqueueRolloutRequest.fromPartial(p),
  enqueueManyRollouts: (p) => EnqueueManyRolloutsRequest.fromPartial(p),
  dequeueRollout: (p) => DequeueRolloutRequest.fromPartial(p),
  dequeueManyRollouts: (p) => DequeueManyRolloutsRequest.fromPartial(p),
  startAttempt: (p) => StartAttemptRequest.fromPartial(p),
  updateRollout: (p) => UpdateRolloutRequest.fromPartial(p),
  updateAttempt: (p) => UpdateAttemptRequest.fromPartial(p),
  getRollout: (p) => GetRolloutRequest.fromPartial(p),
  queryRollouts: (p) => QueryRolloutsRequest.fromPartial(p),
  queryAttempts: (p) => QueryAttemptsRequest.fromPartial(p),
  getLatestAttempt: (p) => GetLatestAttemptRequest.fromPartial(p),
  addSpan: (p) => AddSpanRequest.fromPartial(p),
  addManySpans: (p) => AddManySpansRequest.fromPartial(p),
  ingestSpans: (p) => IngestSpansRequest.fromPartial(p),
  getNextSpanSequenceId: (p) => GetNextSpanSequenceIdRequest.fromPartial(p),
  getManySpanSequenceIds: (p) => GetManySpanSequenceIdsRequest.fromPartial(p),
  querySpans: (p) => QuerySpansRequest.fromPartial(p),
  addResources: (p) => AddResourcesRequest.fromPartial(p),
  updateResources: (p) => UpdateResourcesRequest.fromPartial(p),
  getResources: (p) => GetResourcesRequest.fromPartial(p),
  getLatestResources: (p) => GetLatestResourcesRequest.fromPartial(p),
  queryResources: (p) => QueryResourcesRequest.fromPartial(p),
  getWorker: (p) => GetWorkerRequest.fromPartial(p),
  queryWorkers: (p) => QueryWorkersRequest.fromPartial(p),
  updateWorker: (p) => UpdateWorkerRequest.fromPartial(p),
  waitForRollouts: (p) => WaitForRolloutsRequest.fromPartial(p),
  getStatistics: (p) => GetStatisticsRequest.fromPartial(p),
};
