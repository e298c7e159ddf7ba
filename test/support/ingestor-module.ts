import type { ModuleMetadata } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { CassandraModule } from '@market/cassandra';
import { ObservabilityModule } from '@market/observability';
import { loadIngestorConfig } from '../../apps/ingestor/src/config/ingestor.config';
import { IngestModule } from '../../apps/ingestor/src/ingest/ingest.module';

/**
 * One ingestor "process" in the test: the ingestor's configuration (from the environment,
 * `env` on top, no schedule) and its write path on `keyspace`, plus what the test adds
 * (a JobRunner, the BackfillService, the HealModule…), initialised.
 */
export async function ingestorTestModule(
  keyspace: string,
  env: Record<string, string> = {},
  extra: Pick<ModuleMetadata, 'imports' | 'providers'> = {},
): Promise<TestingModule> {
  const config = loadIngestorConfig({ ...process.env, ...env, CASSANDRA_KEYSPACE: keyspace, JOBS_ENABLED: 'false' });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [registerAs('ingestor', () => config)] }),
      CassandraModule.forRoot(config.cassandra),
      ObservabilityModule.forRoot({ logLevel: 'silent', service: 'ingestor' }),
      IngestModule,
      ...(extra.imports ?? []),
    ],
    providers: extra.providers ?? [],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}
