import { ensureBuilt } from './build';

/**
 * Jest globalSetup of the projects whose suites run built code: compiles dist/ once, before any suite
 * starts, so no two suites ever build at the same time.
 */
export default function buildOnce(): void {
  ensureBuilt();
}
