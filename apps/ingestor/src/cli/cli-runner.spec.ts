import type { INestApplicationContext } from '@nestjs/common';
import { UsageError } from './cli-command';
import { CLI_COMMANDS, runCli } from './cli-runner';

/** A stand-in application context: records what the command was given and whether it was closed. */
function fakeContext(run: (values: unknown) => Promise<void> = () => Promise.resolve()) {
  const state = { started: 0, closed: 0, values: [] as unknown[] };
  const create = () => {
    state.started += 1;
    const context = {
      get: () => ({
        run: (values: unknown) => {
          state.values.push(values);
          return run(values);
        },
      }),
      close: () => {
        state.closed += 1;
        return Promise.resolve();
      },
    };
    return Promise.resolve(context as unknown as INestApplicationContext);
  };
  return { state, create };
}

async function cli(args: string[], run?: (values: unknown) => Promise<void>) {
  const { state, create } = fakeContext(run);
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, create, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr, state };
}

describe('runCli', () => {
  it('hands a command its parsed options, in both --name value and --name=value forms, and closes the context', async () => {
    const result = await cli(['backfill', '--asset', 'AAPL', '--from=2025-08-01', '--to', '2025-08-31']);
    expect(result.code).toBe(0);
    expect(result.state.values).toEqual([{ asset: 'AAPL', from: '2025-08-01', to: '2025-08-31' }]);
    expect(result.state.closed).toBe(1);
  });

  it.each(CLI_COMMANDS.map((command) => [command.name]))(
    'prints the help of %s with every option and starts nothing',
    async (name) => {
      const result = await cli([name, '--asset', 'X', '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: ingestor ${name} \\[options\\]\n`));
      const command = CLI_COMMANDS.find((candidate) => candidate.name === name);
      for (const option of Object.keys(command?.options ?? {})) expect(result.stdout).toContain(`--${option}`);
      expect(result.stdout).toContain('-h, --help');
      expect(result.state.started).toBe(0);
    },
  );

  it('lists the commands for --help', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('backfill');
    expect(result.stdout).toContain('import');
    expect(result.stdout).toContain('rollup');
  });

  it.each([
    [['backfil', '--asset', 'X'], 'ingestor: unknown command "backfil": use one of backfill, import'],
    [['backfill', '--asset', 'X', '--form', '2025-08-01'], 'ingestor backfill: unknown option --form'],
    [['backfill', '--asset'], 'ingestor backfill: --asset needs a value: --asset <id[,id...]>'],
    [['backfill', '--asset', '--from', '2025-08-01'], 'ingestor backfill: --asset needs a value: --asset <id[,id...]>'],
    [['import', '--file', 'a.csv', 'extra'], 'ingestor import: unexpected argument "extra"'],
    [['import', '--file', 'a.csv', '--source', 'csv'], 'ingestor import: unknown option --source'],
    [['rollup', '--asset', 'X', '--source', 'yahoo'], 'ingestor rollup: unknown option --source'],
    [['rollup', '--asset', 'X', '--restart'], 'ingestor rollup: unknown option --restart'],
  ])('refuses %j with a clear message and exit code 2, before starting anything', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.state.started).toBe(0);
  });

  it('exits 2 on a usage error the command finds, 1 on any other failure, closing the context both times', async () => {
    const usage = await cli(['import', '--file', 'a.csv'], () => Promise.reject(new UsageError('--asset is missing')));
    expect([usage.code, usage.stderr]).toEqual([2, 'ingestor import: --asset is missing\n']);
    expect(usage.state.closed).toBe(1);
    const failure = await cli(['import', '--file', 'a.csv'], () => Promise.reject(new Error('Cassandra is down')));
    expect([failure.code, failure.stderr]).toEqual([1, 'ingestor import: Cassandra is down\n']);
    expect(failure.state.closed).toBe(1);
  });
});
