export async function setUpCassandraForTests(): Promise<void> {}
export async function tearDownCassandraForTests(): Promise<void> {}
