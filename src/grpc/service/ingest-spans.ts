import type { handleClientStreamingCall } from '@grpc/grpc-js';
import type {
  IngestSpansRequest,
  IngestSpansResponse,
} from '../../../gen/lightning/store/v1/store_service';
import { grpcStatusOf } from '../errors';
import { answerOnce } from '../handlers';
import { SpanIngest } from '../span-ingest';
import type { ServiceContext } from './context';

/**
 * The IngestSpans client stream. Spans are buffered and written in batches; while a batch is being
 * written the stream is paused (backpressure reaches the client through HTTP/2 flow control). On end the
 * remainder is flushed and the tally answered. A fatal error (a message over the limit, a store outage)
 * answers that error; a client cancel stops the work without an answer.
 */
export function ingestSpansHandler(ctx: ServiceContext): handleClientStreamingCall<IngestSpansRequest, IngestSpansResponse> {
  return (call, callback) => {
    const answer = answerOnce(callback);
    const ingest = new SpanIngest(ctx.store, {
      batchSize: ctx.limits.ingestBatchSize,
      maxSpansPerMessage: ctx.limits.maxBatchSize,
      maxRejectedListed: ctx.limits.maxBatchSize,
    });
    const stop = new AbortController();
    let work: Promise<void> = Promise.resolve();

    const fail = (err: unknown): void => {
      if (stop.signal.aborted) return;
      stop.abort();
      answer(grpcStatusOf(err, ctx.logger, call.getPath()));
    };
    const finish = (): void => {
      if (stop.signal.aborted) return;
      if (ingest.unlistedRejections > 0) {
        ctx.logger.warn({ unlisted: ingest.unlistedRejections }, 'IngestSpans: more rejected spans than the answer lists');
      }
      answer(null, ingest.result());
    };

    call.on('data', (message: IngestSpansRequest) => {
      if (stop.signal.aborted) return;
      let batchReady: boolean;
      try {
        batchReady = ingest.add(message.spans);
      } catch (err) {
        fail(err);
        return;
      }
      if (!batchReady) return;
      call.pause();
      work = work
        .then(() => ingest.flush(false, stop.signal))
        .then(() => {
          if (!stop.signal.aborted) call.resume();
        }, fail);
    });
    call.on('end', () => {
      work = work.then(() => ingest.flush(true, stop.signal)).then(finish, fail);
    });
    call.on('cancelled', () => {
      if (!stop.signal.aborted) ctx.logger.debug({ method: call.getPath() }, 'IngestSpans cancelled by the client');
      stop.abort();
    });
    call.on('error', fail);
  };
}
