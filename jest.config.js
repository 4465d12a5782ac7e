'use strict';
/**
 * Four Jest projects, by what a suite needs (README, "Tests"):
 * - unit: pure and in-process tests (domain, conformance on memory and SQLite, in-process gRPC and HTTP
 *   servers, the client); needs nothing but Node.
 * - process: suites that start the built CLI, server or agent processes; need nothing outside either.
 * - outside: suites that need an outside program (grpcurl, the agent-lightning Python client, a MongoDB
 *   server); each is skipped with its reason when the program is missing, and fails under CI=true.
 * - scale: the MongoDB scale-out test (about 2 minutes on mongo-java-server).
 * `npm test` runs unit and process; test:outside, test:scale and test:all run the others by name.
 * dist/ is built once, before the first suite of a project that runs built code (globalSetup).
 */

const base = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
};

/** Suites that run built code in child processes (paths without ".test.ts"). */
const PROCESS_SUITES = [
  'test/cli/cli',
  'test/cli/image-entry',
  'test/sqlite/cli-errors',
  'test/sqlite/durability',
  'test/sqlite/shared-file',
  'test/otlp/exporters',
  'test/hostile/streams',
  'test/hostile/http',
  'test/hostile/inputs',
  'test/hostile/storage',
  'test/security/tokens',
  'test/security/defaults',
  'test/security/tls',
  'test/security/no-leaks',
];

/** Suites that need a program from outside Node and this repository (the MongoDB conformance runs below). */
const OUTSIDE_SUITES = [
  'test/grpcurl/grpcurl',
  'test/python/agentlightning',
  'test/mongo/connection-loss',
  'test/mongo/backend-start',
  'test/mongo/commit-stall',
  'test/mongo/watchdog-lease',
];

const SCALE_SUITES = ['test/mongo/scale-out'];

const files = (suites) => suites.map((s) => `<rootDir>/${s}.test.ts`);
const ignored = (suites) => suites.map((s) => `/${s}\\.test\\.ts$`);
const BUILD = '<rootDir>/test/support/global-build.ts';

module.exports = {
  coveragePathIgnorePatterns: ['/node_modules/', '/gen/'],
  reporters: [
    'default',
    [
      '<rootDir>/test/support/skip-reporter.js',
      {
        projects: {
          outside: 'grpcurl, the agent-lightning Python client and MongoDB conformance: npm run test:outside',
          scale: 'the MongoDB scale-out test (about 2 minutes on mongo-java-server): npm run test:scale',
        },
      },
    ],
  ],
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...ignored([...PROCESS_SUITES, ...OUTSIDE_SUITES, ...SCALE_SUITES])],
      // The conformance suite runs here on the backends that need nothing outside (test/conformance/backends.ts).
      globals: { conformanceBackends: ['memory', 'sqlite'] },
    },
    { ...base, displayName: 'process', testMatch: files(PROCESS_SUITES), globalSetup: BUILD },
    {
      ...base,
      displayName: 'outside',
      testMatch: [...files(OUTSIDE_SUITES), '<rootDir>/test/conformance/**/*.test.ts'],
      globalSetup: BUILD,
      globals: { conformanceBackends: ['mongo', 'mongo-guarded', 'mongo-ferretdb'] },
    },
    { ...base, displayName: 'scale', testMatch: files(SCALE_SUITES), globalSetup: BUILD },
  ],
};
