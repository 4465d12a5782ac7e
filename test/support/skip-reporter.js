'use strict';
const path = require('node:path');

/** Must match SKIPPED_PREFIX in test/support/skip.ts. */
const PREFIX = 'skipped: ';

/**
 * A Jest reporter beside the default one: after the run it prints why each suite was skipped (the
 * placeholder tests skipSuite leaves), grouped by reason, and which projects the run left out (option
 * `projects`: name -> how to run it), so that a default, non-verbose run says what did not run and why.
 */
class SkipReasonReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    // Only a run that selects projects by name (npm test, test:outside) leaves whole projects out on
    // purpose; Jest keeps that choice out of globalConfig, so it is read from the command line.
    const selecting = process.argv.some((arg) => arg.startsWith('--selectProjects'));
    this.projects = selecting ? (options.projects ?? {}) : {};
    /** reason -> suite names */
    this.reasons = new Map();
  }

  onTestResult(test, result) {
    const project = test.context.config.displayName?.name;
    for (const t of result.testResults) {
      if (t.status !== 'pending' || !t.title.startsWith(PREFIX)) continue;
      const reason = t.title.slice(PREFIX.length);
      const where = path.relative(this.rootDir, result.testFilePath);
      const suite = `${where}${t.ancestorTitles.length ? ` (${t.ancestorTitles.join(' > ')})` : ''}${project ? ` [${project}]` : ''}`;
      if (!this.reasons.has(reason)) this.reasons.set(reason, []);
      this.reasons.get(reason).push(suite);
    }
  }

  onRunComplete(testContexts) {
    const ran = new Set([...testContexts].map((c) => c.config.displayName?.name));
    const left = Object.entries(this.projects).filter(([name]) => !ran.has(name));
    if (this.reasons.size === 0 && left.length === 0) return;
    const lines = [''];
    if (left.length > 0) lines.push('Projects this run left out:', ...left.map(([name, how]) => `  ${name}: ${how}`));
    if (this.reasons.size > 0) lines.push('Skipped suites, and why:');
    for (const [reason, suites] of this.reasons) {
      lines.push(`  ${reason}`);
      const shown = suites.slice(0, 3);
      for (const suite of shown) lines.push(`    - ${suite}`);
      if (suites.length > shown.length) lines.push(`    - and ${suites.length - shown.length} more`);
    }
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}

module.exports = SkipReasonReporter;
