import type { Db } from 'mongodb';

/**
 * What the connected server does the way MongoDB does. Detected once at connect from `buildInfo`
 * (detectCapabilities) and overridable by MongoOptions.capabilities; the code paths read these flags,
 * never a server's name.
 */
export interface MongoCapabilities {
  /**
   * `updateOne({_id, version})` is atomic against concurrent writers of the same document, so that one
   * conditional update is a safe commit. False (FerretDB 1.24: several concurrent writers of one version
   * can all match): every commit first takes a unique claim on its version step.
   */
  readonly atomicConditionalUpdate: boolean;
  /**
   * The server finds documents without decoding the whole collection only by `_id` equality (FerretDB
   * 1.24): several records are read one `_id` at a time, and span keys are also kept in a collection of
   * bare keys (`span_keys`) and looked up there. False: one `$in` read, on the spans' own `_id`.
   */
  readonly idEqualityOnly: boolean;
}

/** MongoDB's own behaviour; the default for any server that does not say it is something else. */
export const MONGODB_CAPABILITIES: MongoCapabilities = { atomicConditionalUpdate: true, idEqualityOnly: false };

/** FerretDB 1.24 (either handler): measured non-atomic conditional updates and collection scans. */
export const FERRETDB_CAPABILITIES: MongoCapabilities = { atomicConditionalUpdate: false, idEqualityOnly: true };

/** Which server behaviour to assume: `detect` asks buildInfo; the others force one set of capabilities. */
export const MONGO_SERVER_BEHAVIOURS = ['detect', 'mongodb', 'ferretdb'] as const;
/** A MONGO_SERVER_BEHAVIOURS value. */
export type MongoServerBehaviour = (typeof MONGO_SERVER_BEHAVIOURS)[number];

/** The capabilities an operator's choice forces; none for `detect`. */
export function forcedCapabilities(behaviour: MongoServerBehaviour): Partial<MongoCapabilities> {
  if (behaviour === 'mongodb') return MONGODB_CAPABILITIES;
  if (behaviour === 'ferretdb') return FERRETDB_CAPABILITIES;
  return {};
}

/** The capabilities `buildInfo` implies: FerretDB reports a `ferretdbVersion` field there; MongoDB does not. */
export function capabilitiesFromBuildInfo(buildInfo: Record<string, unknown>): MongoCapabilities {
  return typeof buildInfo['ferretdbVersion'] === 'string' ? FERRETDB_CAPABILITIES : MONGODB_CAPABILITIES;
}

/** Asks the server (one `buildInfo` command) and applies `override` on top. */
export async function detectCapabilities(db: Db, override: Partial<MongoCapabilities> = {}): Promise<MongoCapabilities> {
  const info = await db.admin().command({ buildInfo: 1 });
  return { ...capabilitiesFromBuildInfo(info), ...override };
}
