require('tsx/cjs');
module.exports = require('./cluster-for-tests.ts').tearDownClusterForTests;
