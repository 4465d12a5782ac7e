import pino from 'pino';
import { systemClock } from '../../src/domain/clock';
import { HealthMonitor } from '../../src/frontend/health-monitor';
import { createStore } from '../../src/store/create-store';
import { wrapStore } from '../support/store-wrapper';

const logger = pino({ level: 'silent' });

describe('HealthMonitor', () => {
  it('starts NOT_SERVING, follows ping, and stays NOT_SERVING once stopped', async () => {
    const store = createStore({ backend: 'memory', clock: systemClock });
    const monitor = new HealthMonitor(store, { intervalMs: 1000, logger });
    expect(monitor.status).toBe('NOT_SERVING');
    await monitor.check();
    expect(monitor.status).toBe('SERVING');
    await monitor.stop();
    expect(monitor.status).toBe('NOT_SERVING');
    await monitor.check();
    expect(monitor.status).toBe('NOT_SERVING');
  });

  it('counts a ping slower than the interval as a failure', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    const store = wrapStore(inner, { ping: () => new Promise<void>(() => undefined) });
    const monitor = new HealthMonitor(store, { intervalMs: 50, logger });
    const t0 = performance.now();
    await monitor.check();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(monitor.status).toBe('NOT_SERVING');
    await monitor.stop();
  });
});
