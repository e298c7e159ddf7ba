// A keyspace of a suite's own, made as the benchmarks make theirs: one implementation, in scripts/.
export { MIGRATIONS_DIR, adminClient, migratedKeyspace, testConfig } from '../../scripts/cassandra/scratch-keyspace';
