/**
 * The browser test (npm run test:browser): the Agents Playground's page in Debian's Chromium against
 * `npm run playground`'s launcher. Same transform and PostgreSQL as the other tests, one file at a time.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.browser.ts'],
  maxWorkers: 1,
  testTimeout: 180_000,
};
