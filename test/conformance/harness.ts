import { FakeClock } from '../../src/domain/clock';
import type { IdGenerator } from '../../src/domain/ids';
import type { Store } from '../../src/store/store';
import type { BackendCapabilities } from '../../src/store/backend';
import type { BackendFactory, BackendInstance } from './backends';
import { backends } from './backends';
import { skipSuite } from '../support/skip';

/** What a conformance test sees: a fresh store and its fake clock, valid inside each test. */
export interface Conformance {
  readonly store: Store;
  readonly clock: FakeClock;
  readonly backend: BackendFactory;
  /**
   * Another store over the same storage and clock, drawing ids from `ids` when given; closed after the
   * test. Needs `sharedStorage`.
   */
  openPeer(ids?: IdGenerator): Promise<Store>;
  /** `it` when the backend has `capability`, `it.skip` otherwise. */
  itWith(capability: keyof BackendCapabilities): jest.It;
}

class TestContext implements Conformance {
  private instance: BackendInstance | null = null;
  private currentClock: FakeClock | null = null;
  private peers: Store[] = [];

  constructor(readonly backend: BackendFactory) {}

  get store(): Store {
    if (!this.instance) throw new Error('the store exists only inside a test');
    return this.instance.store;
  }

  get clock(): FakeClock {
    if (!this.currentClock) throw new Error('the clock exists only inside a test');
    return this.currentClock;
  }

  async setUp(): Promise<void> {
    this.currentClock = new FakeClock();
    this.instance = await this.backend.create(this.currentClock);
  }

  async tearDown(): Promise<void> {
    const peers = this.peers;
    const instance = this.instance;
    this.peers = [];
    this.instance = null;
    this.currentClock = null;
    for (const peer of peers) await peer.close();
    await instance?.cleanup();
  }

  async openPeer(ids?: IdGenerator): Promise<Store> {
    const open = this.instance?.openPeer;
    if (!this.backend.capabilities.sharedStorage || !open) {
      throw new Error(`backend ${this.backend.name} cannot open a peer store`);
    }
    const peer = await open(ids);
    this.peers.push(peer);
    return peer;
  }

  itWith(capability: keyof BackendCapabilities): jest.It {
    return this.backend.capabilities[capability] ? it : it.skip;
  }
}

/**
 * Runs `body` once per backend (describe.each), with a fresh store and FakeClock for every test.
 * An unavailable backend gets a single skipped test that states why (a failing one under CI=true).
 */
export function describeEachBackend(title: string, body: (t: Conformance) => void): void {
  describe.each(backends.map((backend) => ({ name: backend.name, backend })))(`${title} [$name]`, ({ backend }) => {
    const availability = backend.available();
    if (availability !== true) {
      // In CI every backend must run: a missing server fails the run instead of skipping.
      skipSuite(`backend ${backend.name} unavailable: ${availability}`);
      return;
    }
    const context = new TestContext(backend);
    beforeEach(() => context.setUp());
    afterEach(() => context.tearDown());
    body(context);
  });
}
