/** Unit tests need nothing; integration tests share one PostgreSQL that global-setup starts. */
const swc = [
  '@swc/jest',
  {
    jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
    // import() becomes require(): Prisma's runtime uses import(), which jest's vm only allows behind a flag
    module: { type: 'commonjs', ignoreDynamic: false },
  },
];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30_000,
};
