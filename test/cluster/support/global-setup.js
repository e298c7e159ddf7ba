// Jest loads global set-up before any transform is configured for it: plain JS handing over to TypeScript.
require('tsx/cjs');
module.exports = require('./cluster-for-tests.ts').setUpClusterForTests;
