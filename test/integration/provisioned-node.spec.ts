import type { Client } from 'cassandra-driver';
import { adminClient, testConfig } from '../support/test-keyspace';

/**
 * The node scripts/cassandra provisions runs with the storage settings node-files.ts
 * writes (most of Cassandra 5.0's cassandra_latest.yaml, not its trie memtable): read back
 * from the running node's own settings table, so a key Cassandra ignores or renames fails
 * here. Only for the provisioned node: an external cluster or a container is configured by
 * whoever runs it.
 */
const onProvisionedNode = process.env.TEST_CASSANDRA_SOURCE === 'provisioned' ? describe : describe.skip;

onProvisionedNode('the provisioned Cassandra node', () => {
  let client: Client;

  beforeAll(async () => {
    client = await adminClient(testConfig('unused'));
  });

  afterAll(async () => {
    await client.shutdown();
  });

  async function setting(name: string): Promise<string | null> {
    const result = await client.execute('SELECT value FROM system_views.settings WHERE name = ?', [name], {
      prepare: true,
    });
    return (result.first()?.get('value') as string | null | undefined) ?? null;
  }

  it('keeps memtables off the heap and writes BTI sstables in the 5.0 storage formats', async () => {
    expect(await setting('memtable_allocation_type')).toBe('offheap_objects');
    expect(await setting('sstable.selected_format')).toBe('bti');
    expect(await setting('storage_compatibility_mode')).toBe('NONE');
    expect(await setting('uuid_sstable_identifiers_enabled')).toBe('true');
    expect(await setting('key_cache_size')).toBe('0MiB');
    expect(await setting('column_index_size')).toBe('4KiB');
    expect(await setting('default_compaction.class_name')).toBe('UnifiedCompactionStrategy');
    // Direct I/O would lose a killed node's last sync period of acknowledged writes (node-files.ts).
    expect(await setting('commitlog_disk_access_mode')).toBe('legacy');
  });

  it('keeps the skip-list memtable as the default (the trie memtable halved single-row writes here)', async () => {
    expect(await setting('memtable.configurations')).toMatch(/\bdefault=skiplist\b/);
  });
});
