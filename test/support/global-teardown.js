require('tsx/cjs');
module.exports = require('./cassandra-for-tests.ts').tearDownCassandraForTests;
