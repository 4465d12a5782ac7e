import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Ingest } from '../../ingest/ingest';
import type { Store } from '../../store/store';
import type { UnaryHandler } from '../handlers';
import { unary } from '../handlers';
import type { ServiceLimits } from '../../frontend/limits';

/** What every handler of the store service needs. */
export interface ServiceContext {
  readonly store: Store;
  readonly logger: Logger;
  readonly limits: ServiceLimits;
  /** Span ingest shared with the other front ends. */
  readonly ingest: Ingest;
  /** Aborted when the server starts shutting down: waits end early with what they have. */
  readonly shutdown: AbortSignal;
}

/** Binds the unary adapter to the context's logger. */
export function unaryIn(ctx: ServiceContext): <Req, Res>(handler: UnaryHandler<Req, Res>) => handleUnaryCall<Req, Res> {
  return (handler) => unary(handler, ctx.logger);
}
