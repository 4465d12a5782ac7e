'use strict';
/** Jest runs the TypeScript tests through ts-jest; generated code is excluded from coverage. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', }] },
  coveragePathIgnorePatterns: ['/node_modules/', '/gen/'],
  testTimeout: 30000,
};
