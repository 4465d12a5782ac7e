import type { Rpc } from './rpcs';

/** Whether the client may resend an RPC after UNAVAILABLE, and why. */
export interface RetrySafety {
  /** True: the call is resent (with backoff) after UNAVAILABLE; false: UNAVAILABLE is surfaced at once. */
  readonly retry: boolean;
  /** What a resend after a lost answer would do. */
  readonly reason: string;
}

const READ = 'reads only';
const SERVER_CHOSEN_ID = 'creates a record under a server-chosen id: a resend after a lost answer creates a second one';
const CLAIM = 'claims queued rollouts and creates their attempts: a resend after a lost answer claims more and strands the first';
const ALLOCATES = 'allocates sequence numbers: a resend after a lost answer skips numbers';
const SPAN_KEYS =
  'span keys (rollout, attempt, span id) are chosen by the client: a span the lost attempt stored is reported as a duplicate by the resend, never stored twice';

/**
 * The one table of retry safety: which RPCs the client resends after UNAVAILABLE. An RPC is resent only
 * when doing it twice leaves the store as doing it once would: reads, waits, updates that set absolute
 * values (setting the status a record already has is a no-op), and writes keyed by ids the client chose.
 * Every other RPC surfaces UNAVAILABLE to the caller, who knows whether a duplicate would matter.
 */
export const RETRY_SAFETY: { readonly [K in Rpc]: RetrySafety } = {
  startRollout: { retry: false, reason: SERVER_CHOSEN_ID },
  enqueueRollout: { retry: false, reason: SERVER_CHOSEN_ID },
  enqueueManyRollouts: { retry: false, reason: SERVER_CHOSEN_ID },
  dequeueRollout: { retry: false, reason: CLAIM },
  dequeueManyRollouts: { retry: false, reason: CLAIM },
  startAttempt: { retry: false, reason: SERVER_CHOSEN_ID },
  updateRollout: { retry: true, reason: 'sets absolute values; the same status again is a no-op' },
  updateAttempt: {
    retry: true,
    reason:
      'sets absolute values; the same status again is a no-op (with attempt id "latest" a resend addresses whichever attempt is latest by then)',
  },
  getRollout: { retry: true, reason: READ },
  queryRollouts: { retry: true, reason: READ },
  queryAttempts: { retry: true, reason: READ },
  getLatestAttempt: { retry: true, reason: READ },
  addSpan: { retry: true, reason: SPAN_KEYS },
  addManySpans: { retry: true, reason: SPAN_KEYS },
  ingestSpans: { retry: true, reason: SPAN_KEYS },
  getNextSpanSequenceId: { retry: false, reason: ALLOCATES },
  getManySpanSequenceIds: { retry: false, reason: ALLOCATES },
  querySpans: { retry: true, reason: READ },
  addResources: { retry: false, reason: SERVER_CHOSEN_ID },
  updateResources: {
    retry: true,
    reason: 'upserts the snapshot with the client-chosen id: a resend leaves the same resources (its version rises once more)',
  },
  getResources: { retry: true, reason: READ },
  getLatestResources: { retry: true, reason: READ },
  queryResources: { retry: true, reason: READ },
  getWorker: { retry: true, reason: READ },
  queryWorkers: { retry: true, reason: READ },
  updateWorker: { retry: true, reason: 'a heartbeat: overwrites the heartbeat time and statistics' },
  waitForRollouts: { retry: true, reason: 'reads only (waits on the server)' },
  getStatistics: { retry: true, reason: READ },
};
