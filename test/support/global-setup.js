// Jest loads global setup before any transform is configured for it, so this file is
// plain JS and hands over to the TypeScript implementation through tsx.
require('tsx/cjs');
module.exports = require('./cassandra-for-tests.ts').setUpCassandraForTests;
