import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { skipSuite } from './skip';

/** The MongoDB-compatible server tests use (scripts/ferretdb.sh starts one and prints it), or undefined. */
export const MONGODB_URI = process.env['MONGODB_URI'];

/** True when MONGODB_URI is set, else the reason the MongoDB tests cannot run here. */
export function mongoAvailable(): true | string {
  return MONGODB_URI ? true : 'MONGODB_URI is not set (scripts/ferretdb.sh starts a FerretDB server and prints it)';
}

/**
 * `describe` for tests that need MONGODB_URI. Without it they are skipped with the reason, except in CI
 * (CI=true), where a missing server fails the run.
 */
export function describeWithMongo(title: string, body: (uri: string) => void): void {
  const available = mongoAvailable();
  if (available === true) return describe(title, () => body(MONGODB_URI!));
  describe(title, () => skipSuite(available));
}

/** A fresh database name, so that tests never see each other's data. */
export function freshDatabase(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops a test database. */
export async function dropDatabase(uri: string, database: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
}
