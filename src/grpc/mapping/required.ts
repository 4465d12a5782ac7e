import { invalidArgument } from '../../domain/errors';

/** Returns a message field that the contract requires; INVALID_ARGUMENT naming `field` when it is absent. */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw invalidArgument(`${field} is required`);
  return value;
}
