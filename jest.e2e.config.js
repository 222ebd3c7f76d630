/**
 * npm run test:e2e: the browser tests (tests/browser/), headless Chromium driven by playwright-core,
 * against the real server and a real PostgreSQL (the same global setup as npm test).
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/tests/browser'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
  maxWorkers: 1,
};
