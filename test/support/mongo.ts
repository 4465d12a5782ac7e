import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { skipSuite } from './skip';

/** A MongoDB-wire server the tests can run against, named by an environment variable. */
export interface MongoTestServer {
  /** Short name used in test titles. */
  readonly name: string;
  /** The environment variable holding its connection string. */
  readonly env: string;
  /** Its connection string, or undefined when the variable is not set. */
  readonly uri: string | undefined;
  /** How to start one (shown when it is missing). */
  readonly howTo: string;
}

function server(name: string, env: string, howTo: string): MongoTestServer {
  return { name, env, uri: process.env[env] || undefined, howTo };
}

/**
 * The test servers: MONGODB_URI, a server with MongoDB's semantics (mongo-java-server from
 * scripts/mongo-java-server.sh, or a real MongoDB), and FERRETDB_URI, FerretDB 1.24 on PostgreSQL
 * (scripts/ferretdb.sh), the MongoDB-compatible deployment target with the claim guard.
 */
export const MONGO_TEST_SERVERS: readonly MongoTestServer[] = [
  server('mongodb', 'MONGODB_URI', 'bash scripts/mongo-java-server.sh starts a MongoDB-semantics server and prints it'),
  server('ferretdb', 'FERRETDB_URI', 'bash scripts/ferretdb.sh starts FerretDB on PostgreSQL and prints it'),
];

/** The MongoDB-semantics server (MONGODB_URI), or undefined. */
export const MONGODB_URI = MONGO_TEST_SERVERS[0]!.uri;

/** True when the server's variable is set, else the reason its tests cannot run here. */
export function serverAvailable(s: MongoTestServer): true | string {
  return s.uri ? true : `${s.env} is not set (${s.howTo})`;
}

/** True when MONGODB_URI is set, else the reason the MongoDB tests cannot run here. */
export function mongoAvailable(): true | string {
  return serverAvailable(MONGO_TEST_SERVERS[0]!);
}

/**
 * `describe` for tests that need the MongoDB-semantics server (MONGODB_URI). Without it they are skipped
 * with the reason, except in CI (CI=true), where a missing server fails the run.
 */
export function describeWithMongo(title: string, body: (uri: string) => void): void {
  const available = mongoAvailable();
  if (available === true) return describe(title, () => body(MONGODB_URI!));
  describe(title, () => skipSuite(available));
}

/** `describe.each` over every test server; a missing one is skipped (failed in CI) with the reason. */
export function describeEachMongoServer(title: string, body: (uri: string, server: MongoTestServer) => void): void {
  describe.each(MONGO_TEST_SERVERS.map((s) => ({ name: s.name, s })))(`${title} [$name]`, ({ s }) => {
    const available = serverAvailable(s);
    if (available === true) body(s.uri!, s);
    else skipSuite(available);
  });
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
