// The tests' Cassandra is found or started as the benchmarks' is: one implementation, in scripts/.
export { setUpCassandraForTests, tearDownCassandraForTests } from '../../scripts/cassandra/cassandra-for-runs';
