/** Freezes a record and everything it contains, so stored state cannot be changed by reference. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * A frozen deep copy: what the memory backend stores. Copying first leaves the caller's objects (and the
 * results handed back to it) unfrozen and unshared.
 */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}
