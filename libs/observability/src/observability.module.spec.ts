import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, registerAs, type ConfigType } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { CASSANDRA_STATEMENT_OBSERVER } from '@market/cassandra';
import { CassandraMetrics } from './metrics/cassandra-metrics';
import { MetricsRegistry } from './metrics/metrics.registry';
import { ObservabilityModule } from './observability.module';
import { OBSERVABILITY_OPTIONS } from './observability.module-definition';

const appConfig = registerAs('app', () => ({ logLevel: 'warn' as const }));

/** A feature module of an app: it imports nothing, yet gets the registry and metrics (the module is global). */
@Injectable()
class JobService {
  constructor(
    readonly registry: MetricsRegistry,
    readonly cassandraMetrics: CassandraMetrics,
  ) {}
}
@Module({ providers: [JobService] })
class JobsModule {}

async function compile() {
  return Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
      ObservabilityModule.forRootAsync({
        inject: [appConfig.KEY],
        useFactory: (config: ConfigType<typeof appConfig>) => ({ logLevel: config.logLevel, service: 'unit' }),
      }),
      JobsModule,
    ],
  }).compile();
}

describe('ObservabilityModule', () => {
  it('takes its options from the app config and offers the metrics to every module', async () => {
    const moduleRef = await compile();
    expect(moduleRef.get(OBSERVABILITY_OPTIONS, { strict: false })).toEqual({ logLevel: 'warn', service: 'unit' });
    expect(moduleRef.get(JobService).registry).toBe(moduleRef.get(MetricsRegistry));
    expect(moduleRef.get(JobService).cassandraMetrics).toBe(moduleRef.get(CassandraMetrics));
    await moduleRef.close();
  });

  it('is the Cassandra statement observer, through CassandraMetrics', async () => {
    const moduleRef = await compile();
    expect(moduleRef.get(CASSANDRA_STATEMENT_OBSERVER)).toBe(moduleRef.get(CassandraMetrics));
    await moduleRef.close();
  });

  it('gives each application a registry of its own, so two apps in one process never collide', async () => {
    const first = await compile();
    const second = await compile();
    first.get(CassandraMetrics).error('selectRange', 'read', 'ReadTimeout');
    const errors = 'cassandra_request_errors_total';
    expect(await first.get(MetricsRegistry).getSingleMetricAsString(errors)).toContain('statement="selectRange"');
    expect(await second.get(MetricsRegistry).getSingleMetricAsString(errors)).not.toContain('selectRange');
    expect(second.get(MetricsRegistry).getSingleMetric('process_cpu_user_seconds_total')).toBeDefined();
    await first.close();
    await second.close();
  });
});
