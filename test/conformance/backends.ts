import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeClock } from '../../src/domain/clock';
import type { IdGenerator } from '../../src/domain/ids';
import { LightningStore } from '../../src/store/lightning-store';
import { MemoryBackend } from '../../src/store/memory/memory-backend';
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend';
import { MongoBackend } from '../../src/store/mongo/mongo-backend';
import type { MongoCapabilities } from '../../src/store/mongo/capabilities';
import type { BackendCapabilities } from '../../src/store/backend';
import type { MongoTestServer } from '../support/mongo';
import { dropDatabase, freshDatabase, MONGO_TEST_SERVERS, serverAvailable } from '../support/mongo';
import type { Store } from '../../src/store/store';

/** A store under test, with the means to open peers over its storage and to clean everything up. */
export interface BackendInstance {
  readonly store: Store;
  /**
   * Opens another store over the same storage (only with `sharedStorage`), drawing ids from `ids` when
   * given; the harness closes it.
   */
  readonly openPeer?: (ids?: IdGenerator) => Promise<Store>;
  /** Closes the store and removes whatever it created (files, databases). Called once per test. */
  readonly cleanup: () => Promise<void>;
}

/** A backend the conformance suite runs against. */
export interface BackendFactory {
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  /** True when the backend can run here, or the reason it cannot (the suite is then skipped with it). */
  readonly available: () => true | string;
  /** A fresh, empty store whose every timestamp comes from `clock`. */
  readonly create: (clock: FakeClock) => Promise<BackendInstance>;
}

const memory: BackendFactory = {
  name: 'memory',
  capabilities: MemoryBackend.capabilities,
  available: () => true,
  create: (clock) => {
    const backend = new MemoryBackend();
    const store = new LightningStore({ backend, clock });
    return Promise.resolve({
      store,
      openPeer: (ids) => Promise.resolve(new LightningStore({ backend, clock, ...(ids ? { ids } : {}) })),
      cleanup: () => store.close(),
    });
  },
};

/** A store over shared storage: peers open the same storage; cleanup closes the store, then removes it. */
function sharedStorage(open: (ids?: IdGenerator) => Store, removeStorage: () => Promise<void> | void): Promise<BackendInstance> {
  const store = open();
  return Promise.resolve({
    store,
    openPeer: (ids) => Promise.resolve(open(ids)),
    cleanup: async () => {
      await store.close();
      await removeStorage();
    },
  });
}

const sqlite: BackendFactory = {
  name: 'sqlite',
  capabilities: SqliteBackend.capabilities,
  available: () => true,
  create: (clock) => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-conformance-'));
    const path = join(dir, 'store.db');
    return sharedStorage(
      (ids) => new LightningStore({ backend: new SqliteBackend({ path }), clock, ...(ids ? { ids } : {}) }),
      () => rmSync(dir, { recursive: true, force: true }),
    );
  },
};


/**
 * The MongoDB backend on one test server, with what it detects there or `capabilities` forced, and what
 * the test server itself lacks (`quirks`). Each test gets its own database; peers share it, as servers do.
 */
function mongoOn(name: string, server: MongoTestServer, capabilities: Partial<MongoCapabilities> = {}, quirks: Partial<BackendCapabilities> = {}): BackendFactory {
  return {
    name,
    capabilities: { ...MongoBackend.capabilities, ...quirks },
    available: () => serverAvailable(server),
    create: (clock) => {
      const database = freshDatabase('conformance');
      return sharedStorage(
        (ids) => new LightningStore({ backend: new MongoBackend({ uri: server.uri!, database, clock, capabilities }), clock, ...(ids ? { ids } : {}) }),
        () => dropDatabase(server.uri!, database),
      );
    },
  };
}

const [mongodbServer, ferretdbServer] = MONGO_TEST_SERVERS as [MongoTestServer, MongoTestServer];
/** The MongoDB-semantics server, as detected: one conditional update per commit. */
const mongo = mongoOn('mongo', mongodbServer, {}, { codePointOrder: false });
/** The same server with FerretDB's workarounds forced on: the claim before every commit, span_keys, point reads. */
const mongoGuarded = mongoOn('mongo-guarded', mongodbServer, { atomicConditionalUpdate: false, idEqualityOnly: true }, { codePointOrder: false });
/** FerretDB 1.24 on PostgreSQL, as detected (the workarounds on). */
const mongoFerretdb = mongoOn('mongo-ferretdb', ferretdbServer);

/**
 * The backends this Jest project runs the suite on: jest.config.js sets `conformanceBackends` per project
 * (memory and SQLite in unit, MongoDB in outside); every backend when it is not set.
 */
const selected = (globalThis as { conformanceBackends?: readonly string[] }).conformanceBackends;

/** Every backend of the conformance suite; a new backend joins by adding its factory here. */
export const backends: readonly BackendFactory[] = [memory, sqlite, mongo, mongoGuarded, mongoFerretdb].filter((b) => !selected || selected.includes(b.name));
