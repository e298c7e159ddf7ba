// `npm run test:cluster`: the fault tests on the local three-node cluster. Kept out of
// `npm test` (see README, "Fault tests on the three-node cluster"): it starts three JVMs and
// kills nodes, so it runs on its own, one suite at a time.
const base = require('./jest.config.js');
const [unit] = base.projects;

/** @type {import('jest').Config} */
module.exports = {
  ...unit,
  displayName: 'cluster',
  testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
  setupFiles: ['<rootDir>/test/support/quiet-nest-logs.ts'],
  globalSetup: '<rootDir>/test/cluster/support/global-setup.js',
  globalTeardown: '<rootDir>/test/cluster/support/global-teardown.js',
  testSequencer: '<rootDir>/test/cluster/support/cluster-sequencer.js',
  reporters: base.reporters,
  // Suites kill and restart nodes of one shared cluster: never two at once.
  maxWorkers: 1,
  testTimeout: 600_000,
  forceExit: true,
};
