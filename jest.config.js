// Plain JS so that Jest needs no TypeScript loader to read its own config.
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// NestJS 12 ships as ES modules. Node >= 20.19 loads them from our CommonJS build natively,
// but Jest's module loader only does so on Node >= 24.9, so Jest compiles them to CommonJS.
const esmPackages = ['@nestjs', 'jose', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras'];

const project = (displayName, testMatch) => ({
  displayName,
  rootDir: __dirname,
  // Only the source trees: .cassandra (node data) and .tools (built load generators) hold
  // many thousands of files that Jest would otherwise crawl on every start.
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts', '<rootDir>/test'],
  testMatch,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swcOptions] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@market/(auth|cassandra|config|domain|export|http|observability)$': '<rootDir>/libs/$1/src',
    '^@market/(auth|cassandra|config|domain|export|http|observability)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project('unit', ['<rootDir>/{apps,libs,scripts}/**/*.spec.ts', '<rootDir>/test/cluster/support/*.spec.ts']),
    // Time arithmetic must not depend on the zone the process runs in: run it again elsewhere.
    {
      ...project('unit-non-utc', [
        '<rootDir>/libs/cassandra/src/buckets.spec.ts',
        '<rootDir>/libs/domain/src/timeframe.spec.ts',
      ]),
      testEnvironment: '<rootDir>/test/support/chatham-timezone-environment.js',
    },
    {
      ...project('integration', ['<rootDir>/test/integration/**/*.spec.ts']),
      setupFiles: ['<rootDir>/test/support/quiet-nest-logs.ts'],
    },
    {
      ...project('e2e', ['<rootDir>/test/e2e/**/*.e2e-spec.ts']),
      setupFiles: ['<rootDir>/test/support/quiet-nest-logs.ts'],
    },
  ],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  reporters: ['default', '<rootDir>/test/support/totals-reporter.js'],
  testTimeout: 60000,
  // A leaked handle must not hang CI for its 90 minutes; suites still close what they open.
  // The one leak found so far was cassandra-driver's: a Client connected while its node
  // restarts can keep a Host from before the restart, whose timers its shutdown() never
  // reaches. test/e2e/readiness-fault now lets only the API's client live through its
  // restart, and Jest exits on its own again; this stays as the guard.
  forceExit: true,
};
