import type { Collection } from 'mongodb';
import { isDuplicate } from './versioned';

/** The lease document: which replica runs the watchdog, and until when (seconds, on the holder's clock). */
export interface LeaseDoc {
  _id: string;
  holder: string;
  until: number;
}

/** How long a watchdog lease lasts without renewal, in seconds. */
export const WATCHDOG_LEASE_SECONDS = 10;

/**
 * Lets one replica of many run each watchdog pass: the pass's first call takes or renews a lease kept
 * in one small document per namespace. Its holder renews it on every pass; the others find it held and
 * skip the pass, and one of them takes over once it has gone WATCHDOG_LEASE_SECONDS unrenewed (its
 * holder stopped). One conditional upsert per pass: held by someone else, the upsert's insert clashes on
 * `_id`. Where conditional updates are not atomic (FerretDB) two replicas may both hold it for a pass;
 * that only costs work, since every verdict is a compare-and-set that takes effect once.
 */
export class WatchdogLease {
  constructor(
    private readonly leases: Collection<LeaseDoc>,
    private readonly id: string,
    private readonly holder: string,
    private readonly seconds: number = WATCHDOG_LEASE_SECONDS,
  ) {}

  /** True when this replica holds the lease at `now` (taking or renewing it). */
  async acquire(now: number): Promise<boolean> {
    try {
      const res = await this.leases.updateOne(
        { _id: this.id, $or: [{ holder: this.holder }, { until: { $lte: now } }] },
        { $set: { holder: this.holder, until: now + this.seconds } },
        { upsert: true },
      );
      return res.matchedCount + res.upsertedCount === 1;
    } catch (err) {
      if (isDuplicate(err)) return false;
      throw err;
    }
  }
}
