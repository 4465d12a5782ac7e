import type { handleUnaryCall, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { GrpcErrorStatus } from './errors';
import { grpcStatusOf } from './errors';
import { undecodableError } from './undecodable';

/** A unary handler written as an async function of the request. */
export type UnaryHandler<Req, Res> = (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>;

/** Wraps a gRPC callback so that only the first answer goes out; later ones are dropped. */
export function answerOnce<Res>(callback: sendUnaryData<Res>): (error: GrpcErrorStatus | null, value?: Res) => void {
  let answered = false;
  return (error, value) => {
    if (answered) return;
    answered = true;
    if (error) callback(error);
    else callback(null, value);
  };
}

/**
 * The adapter every unary RPC goes through: runs the async handler, maps a failure (thrown or
 * rejected) with grpcStatusOf, and answers the callback exactly once. grpc-js never sees a promise.
 */
export function unary<Req, Res>(handler: UnaryHandler<Req, Res>, logger: Logger): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const answer = answerOnce(callback);
    Promise.resolve()
      .then(() => {
        const undecodable = undecodableError(call.request);
        if (undecodable) throw undecodable;
        return handler(call.request, call);
      })
      .then(
        (response) => answer(null, response),
        (err: unknown) => answer(grpcStatusOf(err, logger, call.getPath())),
      );
  };
}
