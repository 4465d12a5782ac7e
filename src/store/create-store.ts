import type { Clock } from '../domain/clock';
import { LightningStore } from './lightning-store';
import { MemoryBackend } from './memory/memory-backend';
import type { MemoryBackendOptions } from './memory/memory-backend';
import { forcedCapabilities } from './mongo/capabilities';
import type { MongoServerBehaviour } from './mongo/capabilities';
import { MONGO_DEFAULTS, MongoBackend } from './mongo/mongo-backend';
import { SqliteBackend } from './sqlite/sqlite-backend';
import type { Store } from './store';

/** Storage backends a store can run on. */
export const BACKENDS = ['sqlite', 'memory', 'mongo'] as const;
/** A storage backend name. */
export type BackendName = (typeof BACKENDS)[number];

/** SQLite durability levels (see SqliteOptions.synchronous). */
export const SQLITE_SYNC_MODES = ['normal', 'full'] as const;
/** A SQLite durability level. */
export type SqliteSync = (typeof SQLITE_SYNC_MODES)[number];

/** Where and how the store keeps its data; only the chosen backend's part is read. */
export interface StorageOptions {
  /** Default memory (the CLI's default is sqlite). */
  readonly backend?: BackendName;
  readonly sqlite?: {
    /** Database file; required for the sqlite backend. */
    readonly path?: string;
    /** Durability; default normal. */
    readonly synchronous?: SqliteSync;
    /** Run the quick integrity check (reads the whole file) at open; default false. */
    readonly checkIntegrity?: boolean;
    /** Page cache in MiB; default 64. */
    readonly cacheMiB?: number;
  };
  readonly mongo?: {
    /** Connection string; required for the mongo backend. It may carry a password: never logged. */
    readonly uri?: string;
    /** Database name; default lightning_store. */
    readonly database?: string;
    /** Namespace (partition) within the database; servers sharing one see the same store; default "default". */
    readonly namespace?: string;
    /** Which server behaviour to assume (MongoDB's atomic conditional updates, or FerretDB's gaps); default detect. */
    readonly serverBehaviour?: MongoServerBehaviour;
  };
  readonly memory?: MemoryBackendOptions;
}

/** Defaults of the storage options. */
export const STORAGE_DEFAULTS = {
  backend: 'memory',
  sqlite: { synchronous: 'normal', checkIntegrity: false, cacheMiB: 64 },
  mongo: { ...MONGO_DEFAULTS, serverBehaviour: 'detect' },
} as const satisfies StorageOptions;

/**
 * Builds the store for a backend; a new backend is one more case here. Throws DatabaseOpenError when
 * the SQLite file cannot be used, and a plain Error when the chosen backend's required option is missing.
 */
export function createStore(options: StorageOptions & { readonly clock: Clock }): Store {
  const { clock } = options;
  switch (options.backend ?? STORAGE_DEFAULTS.backend) {
    case 'memory':
      return new LightningStore({ backend: new MemoryBackend(options.memory), clock });
    case 'sqlite': {
      const path = options.sqlite?.path;
      if (!path) throw new Error('the sqlite backend needs a database path (storage.sqlite.path, --db)');
      const { synchronous, checkIntegrity, cacheMiB } = { ...STORAGE_DEFAULTS.sqlite, ...options.sqlite };
      return new LightningStore({ backend: new SqliteBackend({ path, synchronous, checkIntegrity, cacheMiB }), clock });
    }
    case 'mongo': {
      const uri = options.mongo?.uri;
      if (!uri) throw new Error('the mongo backend needs a connection string (storage.mongo.uri, --mongo-uri)');
      const { database, namespace, serverBehaviour } = { ...STORAGE_DEFAULTS.mongo, ...options.mongo };
      const capabilities = forcedCapabilities(serverBehaviour);
      return new LightningStore({ backend: new MongoBackend({ uri, database, namespace, clock, capabilities }), clock });
    }
  }
}
