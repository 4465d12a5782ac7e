import type { Store } from '../../src/store/store';

/** A Store that delegates to `inner` except for the methods in `overrides` (to inject failures). */
export function wrapStore(inner: Store, overrides: Partial<Store>): Store {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const own = (overrides as Record<string | symbol, unknown>)[prop];
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
