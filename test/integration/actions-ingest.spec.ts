import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { CassandraModule, CorporateActionRepository } from '@market/cassandra';
import { ActionsIngestService } from '../../apps/ingestor/src/actions/actions-ingest.service';
import { UsageError } from '../../apps/ingestor/src/cli/cli-command';
import { ImportActionsCommand } from '../../apps/ingestor/src/cli/import-actions.command';
import { ProviderRegistry } from '../../apps/ingestor/src/providers/provider-registry';
import { SyntheticProvider } from '../../apps/ingestor/src/providers/synthetic/synthetic.provider';
import { migratedKeyspace } from '../support/test-keyspace';

type Keyspace = Awaited<ReturnType<typeof migratedKeyspace>>;

describe('corporate actions ingested (real Cassandra)', () => {
  let keyspace: Keyspace;
  let moduleRef: TestingModule;
  let actions: CorporateActionRepository;
  let command: ImportActionsCommand;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'actions-'));
  const file = (name: string, lines: string[]) => {
    const where = path.join(directory, name);
    fs.writeFileSync(where, `${lines.join('\n')}\n`);
    return where;
  };
  const quiet = () => undefined;

  beforeAll(async () => {
    keyspace = await migratedKeyspace('it_actions_ingest');
    moduleRef = await Test.createTestingModule({ imports: [CassandraModule.forRoot(keyspace.config)] }).compile();
    await moduleRef.init();
    actions = moduleRef.get(CorporateActionRepository);
    command = new ImportActionsCommand(actions);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await keyspace?.drop();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('import-actions writes nothing from a file with a bad line, and names the line', async () => {
    const bad = file('bad.csv', [
      'ex_date,type,numerator,denominator,amount,currency',
      '2020-08-31,split,4,1,,',
      '2020-08-07,dividend,,,0.82,dollars',
    ]);
    const run = command.run({ file: bad, asset: 'AAPL' }, quiet);
    await expect(run).rejects.toThrow(UsageError);
    await expect(command.run({ file: bad, asset: 'AAPL' }, quiet)).rejects.toThrow(
      /line 3: currency "dollars" is not an ISO 4217 code\nnothing written/,
    );
    expect(await actions.list('asset', 'AAPL')).toEqual([]);
  });

  it('import-actions writes a good file under source csv, and the same file again changes nothing', async () => {
    const good = file('good.csv', [
      'ex_date,type,numerator,denominator,amount,currency',
      '2020-08-31,split,4,1,,',
      '2020-08-07,dividend,,,0.82,USD',
    ]);
    const printed: string[] = [];
    await command.run({ file: good, asset: 'AAPL' }, (text) => printed.push(text));
    const first = await actions.list('asset', 'AAPL');
    await command.run({ file: good, asset: 'AAPL' }, quiet);
    const again = await actions.list('asset', 'AAPL');
    expect(printed).toEqual(['2 corporate actions written to asset AAPL (source csv)\n']);
    expect(first.map((action) => `${action.exDate} ${action.type} ${action.sourceId}`)).toEqual([
      '2020-08-07 dividend csv',
      '2020-08-31 split csv',
    ]);
    expect(again.map((action) => action.knownAt)).toEqual(first.map((action) => action.knownAt));
  });

  it('import-actions refuses a missing file and a missing series with a usage error', async () => {
    await expect(command.run({ file: path.join(directory, 'none.csv'), asset: 'X' }, quiet)).rejects.toThrow(
      UsageError,
    );
    await expect(command.run({ file: path.join(directory, 'good.csv') }, quiet)).rejects.toThrow(UsageError);
  });

  it("a job's refresh stores the synthetic provider's demo dividends of its window, idempotently", async () => {
    const refresher = new ActionsIngestService(new ProviderRegistry([new SyntheticProvider()]), actions);
    const job = {
      kind: 'asset' as const,
      seriesId: 'DEMO',
      provider: 'synthetic',
      symbol: 'AAPL',
      interval: '1m' as const,
    };
    const window = { from: new Date('2025-08-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };
    expect(await refresher.refresh(job, window)).toEqual({ written: 2, rejected: 0 });
    expect(await refresher.refresh(job, window)).toEqual({ written: 2, rejected: 0 });
    expect((await actions.list('asset', 'DEMO')).map((action) => `${action.exDate} ${action.sourceId}`)).toEqual([
      '2025-08-11 synthetic',
      '2025-11-10 synthetic',
    ]);
    expect(await refresher.refresh({ ...job, symbol: 'MSFT' }, window)).toEqual({ written: 0, rejected: 0 });
  });
});
