/** Title prefix of the placeholder test a skipped suite leaves; test/support/skip-reporter.js prints these. */
export const SKIPPED_PREFIX = 'skipped: ';

/**
 * Inside a `describe`: a suite that cannot run here. Outside CI it leaves one skipped test titled
 * "skipped: <reason>", whose reason the skip reporter prints at the end of every run; under CI=true
 * (where everything must run) it leaves a failing test instead.
 */
export function skipSuite(reason: string): void {
  if (process.env['CI'] === 'true') {
    it(`can run (required in CI): ${reason}`, () => {
      throw new Error(reason);
    });
  } else {
    it.skip(`${SKIPPED_PREFIX}${reason}`, () => undefined);
  }
}
