import type { handleClientStreamingCall } from '@grpc/grpc-js';
import type {
  IngestSpansRequest,
  IngestSpansResponse,
} from '../../../gen/lightning/store/v1/store_service';
import { checkBatchSize } from '../../frontend/limits';
import { grpcStatusOf } from '../errors';
import { answerOnce } from '../handlers';
import { ingestItemOfWire } from '../mapping/spans';
import { undecodableError } from '../undecodable';
import type { ServiceContext } from './context';

/**
 * The IngestSpans client stream. Each message's spans go to the shared ingest pipeline as soon as they
 * arrive, so they are stored (and heartbeat their attempts) within one group commit even while the stream
 * stays open. While a message waits for room in the memory bounds the stream is paused, and HTTP/2 flow
 * control holds the client back. On end the tally is answered once every span is written. A fatal error (a
 * message over the span limit, a store failure) answers that error; a client cancel stops without an answer,
 * and spans already received are still written.
 */
export function ingestSpansHandler(ctx: ServiceContext): handleClientStreamingCall<IngestSpansRequest, IngestSpansResponse> {
  return (call, callback) => {
    const answer = answerOnce(callback);
    const stop = new AbortController();
    const fail = (err: unknown): void => {
      if (stop.signal.aborted) return;
      stop.abort();
      answer(grpcStatusOf(err, ctx.logger, call.getPath()));
    };
    const stream = ctx.ingest.openStream('wait', fail);
    let work: Promise<unknown> = Promise.resolve();

    call.on('data', (message: IngestSpansRequest) => {
      if (stop.signal.aborted) return;
      try {
        const undecodable = undecodableError(message);
        if (undecodable) throw undecodable;
        checkBatchSize(message.spans.length, ctx.limits.maxBatchSize, 'IngestSpansRequest.spans');
      } catch (err) {
        fail(err);
        return;
      }
      const items = message.spans.map(ingestItemOfWire);
      call.pause();
      work = work
        .then(() => stream.push(items, stop.signal))
        .then(() => {
          if (!stop.signal.aborted) call.resume();
        })
        .catch((err: unknown) => {
          if (!stop.signal.aborted) fail(err);
        });
    });
    call.on('end', () => {
      work = work
        .then(() => stream.finish())
        .then((tally) => {
          if (stop.signal.aborted) return;
          if (stream.unlistedRejections > 0) {
            ctx.logger.warn({ unlisted: stream.unlistedRejections }, 'IngestSpans: more rejected spans than the answer lists');
          }
          answer(null, { ...tally, rejected: [...tally.rejected] });
        }, fail);
    });
    call.on('cancelled', () => {
      if (!stop.signal.aborted) ctx.logger.debug({ method: call.getPath() }, 'IngestSpans cancelled by the client');
      stop.abort();
    });
    call.on('error', fail);
  };
}
