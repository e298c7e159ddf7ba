import { ConfigModule, registerAs } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { CassandraModule } from '@market/cassandra';
import { ObservabilityModule } from '@market/observability';
import { loadIngestorConfig } from '../../../apps/ingestor/src/config/ingestor.config';
import { IngestModule } from '../../../apps/ingestor/src/ingest/ingest.module';
import { IngestService } from '../../../apps/ingestor/src/ingest/ingest.service';

/**
 * The ingestor's own write path in this process (synthetic provider → validation →
 * single-partition UNLOGGED batches → latest quote), with the ingestor's configuration and
 * driver settings, so a test can time and count every chunk it writes.
 */
export async function ingestPath(
  keyspace: string,
  env: Record<string, string> = {},
): Promise<{ ingest: IngestService; close(): Promise<void> }> {
  const config = loadIngestorConfig({ ...process.env, ...env, CASSANDRA_KEYSPACE: keyspace, JOBS_ENABLED: 'false' });
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [registerAs('ingestor', () => config)] }),
      CassandraModule.forRoot(config.cassandra),
      ObservabilityModule.forRoot({ logLevel: 'silent', service: 'ingestor' }),
      IngestModule,
    ],
  }).compile();
  await moduleRef.init();
  return { ingest: moduleRef.get(IngestService), close: () => moduleRef.close() };
}
