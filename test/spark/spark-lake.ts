/**
 * Opt-in (npm run test:spark): spark/lake_job.py in local[2] against the test node builds the
 * same lake as `npm run export -- lake`. Seeds a scratch keyspace (two assets, one commodity
 * whose id needs escaping, four months each, a few change markers), builds the exporter's
 * lake with the built ingestor CLI and the Spark lake with the job, then checks with DuckDB:
 * the same partitions, each file's Parquet schema (physical and logical type per column)
 * equal, every row equal value for value in ts order, and the manifests' fields equal
 * (rows, first_ts, last_ts, change_marker). Prints "N passed, N failed" and exits non-zero
 * on a difference.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Client, concurrent } from 'cassandra-driver';
import { bucketOf, clientOptions } from '@market/cassandra';
import { retriedKeyspace } from '../support/retried-keyspace';
import { setUpCassandraForTests, tearDownCassandraForTests } from '../../scripts/cassandra/cassandra-for-runs';
import { duckdbRows } from '../support/duckdb';

const ROOT = path.resolve(__dirname, '..', '..');
const PYTHON = path.join(ROOT, '.tools', 'pyspark', 'bin', 'python');
const MINUTE = 60_000;
const SERIES = [
  { kind: 'asset', id: 'SPKA', table: 'asset_timeseries', key: 'asset_id', catalog: 'assets' },
  { kind: 'asset', id: 'SPKB', table: 'asset_timeseries', key: 'asset_id', catalog: 'assets' },
  {
    kind: 'commodity',
    id: 'brent crude/1',
    table: 'commodity_timeseries',
    key: 'commodity_id',
    catalog: 'commodities',
  },
] as const;

interface Partition {
  rows: number;
  first_ts: string;
  last_ts: string;
  change_marker: string;
  file: string;
}

/** Prices of every scale the connector reads exactly (up to 18 fraction digits), nulls, big integers. */
function* bars(index: number, series: (typeof SERIES)[number]): Generator<unknown[]> {
  const start = Date.parse('2025-01-20T00:00:00Z');
  for (let bar = 0; bar < 4000; bar += 1) {
    const ts = new Date(start + bar * (29 + index) * MINUTE);
    const scale = bar % 19;
    const units = BigInt(1 + ((bar * 7919 + index * 104_729) % 9_999_999)) * 10n ** BigInt(bar % 5 === 0 ? 10 : 0);
    const text = units.toString().padStart(scale + 1, '0');
    const price = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
    const withRange = bar % 4 !== 0;
    yield [
      series.id,
      bucketOf(ts),
      ts,
      price,
      withRange ? price : null,
      withRange ? `${price.split('.')[0] ?? '0'}9` : null,
      withRange ? '0.000000000000000001' : null,
      bar % 6 === 0 ? null : bar * 1_000_003,
      bar % 3 === 0 ? 'stooq' : 'yahoo',
    ];
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return { ms: performance.now() - started, stdout: result.stdout };
}

async function main(): Promise<number> {
  const began = performance.now();
  const failures: string[] = [];
  let checks = 0;
  const check = (ok: boolean, what: string) => {
    checks += 1;
    if (!ok) failures.push(what);
  };
  run('bash', ['spark/install-pyspark.sh'], process.env);
  await setUpCassandraForTests();
  const keyspace = await retriedKeyspace('spark_lake');
  const ks = keyspace.config.keyspace;
  const client = new Client(clientOptions(keyspace.config));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-lake-'));
  try {
    await client.connect();
    for (const [index, series] of SERIES.entries()) {
      await client.execute(
        `INSERT INTO ${ks}.${series.catalog} (${series.key}, symbol, name, meta) VALUES (?, ?, ?, ?)`,
        [series.id, series.id, series.id, { interval: '1m' }],
        { prepare: true },
      );
      const rows = [...bars(index, series)];
      const result = await concurrent.executeConcurrent(
        client,
        `INSERT INTO ${ks}.${series.table} (${series.key}, bucket, ts, price, open, high, low, volume, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        Readable.from(rows),
        { concurrencyLevel: 32, collectResults: false },
      );
      if (result.errors.length > 0) throw new Error(`${result.errors.length} inserts failed`);
      await client.execute(
        `INSERT INTO ${ks}.series_extent (series_kind, series_id, first_ts, last_ts) VALUES (?, ?, ?, ?)`,
        [series.kind, series.id, rows[0]?.[2], rows.at(-1)?.[2]],
        { prepare: true },
      );
      // A change marker on one month of each series, twice on the commodity's.
      for (let bump = 0; bump <= (series.kind === 'commodity' ? 1 : 0); bump += 1) {
        await client.execute(
          `UPDATE ${ks}.partition_changes SET changes = changes + 1 WHERE series_kind = ? AND series_id = ? AND bucket = ?`,
          [series.kind, series.id, '2025-02'],
          { prepare: true },
        );
      }
    }
    const env = { ...process.env, CASSANDRA_KEYSPACE: ks };
    const exporterOut = path.join(scratch, 'exporter');
    const sparkOut = path.join(scratch, 'spark');
    run('npx', ['nest', 'build', 'ingestor'], env);
    const exporter = run(
      process.execPath,
      [
        'dist/apps/ingestor/main.js',
        'lake',
        '--out',
        exporterOut,
        '--assets',
        'SPKA,SPKB',
        '--commodities',
        SERIES[2].id,
      ],
      env,
    );
    console.log(`exporter: ${exporter.stdout.trim()} (${(exporter.ms / 1000).toFixed(1)} s with start-up)`);
    const spark = run(
      PYTHON,
      [
        'spark/lake_job.py',
        '--master',
        'local[2]',
        '--keyspace',
        ks,
        '--out',
        sparkOut,
        '--assets',
        'SPKA,SPKB',
        '--commodities',
        SERIES[2].id,
      ],
      env,
    );
    console.log(
      `spark: ${spark.stdout.trim()} (${(spark.ms / 1000).toFixed(1)} s with JVM start and connector resolution)`,
    );

    const manifestOf = (root: string) =>
      (
        JSON.parse(fs.readFileSync(path.join(root, '_manifest.json'), 'utf8')) as {
          partitions: Record<string, Partition>;
        }
      ).partitions;
    const expected = manifestOf(exporterOut);
    const actual = manifestOf(sparkOut);
    check(
      JSON.stringify(Object.keys(actual).sort()) === JSON.stringify(Object.keys(expected).sort()),
      `partitions differ: exporter ${Object.keys(expected).join(', ')}; spark ${Object.keys(actual).join(', ')}`,
    );
    check(Object.keys(expected).length === 12, `the exporter wrote ${Object.keys(expected).length} partitions, not 12`);
    for (const [key, partition] of Object.entries(expected)) {
      const other = actual[key];
      if (other === undefined) continue;
      for (const field of ['rows', 'first_ts', 'last_ts', 'change_marker', 'file'] as const) {
        check(
          partition[field] === other[field],
          `${key} ${field}: exporter ${partition[field]}, spark ${other[field]}`,
        );
      }
      const a = path.join(exporterOut, partition.file);
      const b = path.join(sparkOut, other.file);
      const schema = async (file: string) =>
        JSON.stringify(
          await duckdbRows(
            `SELECT name, type, type_length, logical_type, repetition_type FROM parquet_schema('${file}') WHERE name NOT IN ('schema', 'arrow_schema', 'spark_schema') ORDER BY name`,
          ),
        );
      const [schemaA, schemaB] = [await schema(a), await schema(b)];
      check(schemaA === schemaB, `${key} schema: exporter ${schemaA}; spark ${schemaB}`);
      const rows = async (file: string) =>
        (await duckdbRows(`SELECT * FROM read_parquet('${file}') ORDER BY ts`)).map((row) => JSON.stringify(row));
      const [rowsA, rowsB] = [await rows(a), await rows(b)];
      check(rowsA.length === partition.rows, `${key}: ${rowsA.length} rows, manifest ${partition.rows}`);
      const firstDifference = rowsA.findIndex((row, index) => row !== rowsB[index]);
      check(
        rowsA.length === rowsB.length && firstDifference === -1,
        `${key} rows differ (${rowsA.length} vs ${rowsB.length}) at ${firstDifference}: ${rowsA[firstDifference]} vs ${rowsB[firstDifference]}`,
      );
      const dictionary = await duckdbRows(
        `SELECT DISTINCT encodings FROM parquet_metadata('${b}') WHERE path_in_schema = 'source_id'`,
      );
      check(
        dictionary.every((row) => String(row.encodings).includes('DICTIONARY')),
        `${key}: spark's source_id is not dictionary-encoded`,
      );
    }
    // One query over the whole Spark lake, as an analyst would run it.
    const totals = await duckdbRows(
      `SELECT count(*) AS n FROM read_parquet('${sparkOut}/**/*.parquet', hive_partitioning = true)`,
    );
    check(Number(totals[0]?.n) === 12_000, `the spark lake holds ${String(totals[0]?.n)} rows, not 12000`);
  } catch (error) {
    failures.push(`the run failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await client.shutdown();
    await keyspace.drop().catch((error: unknown) => console.error(`could not drop ${ks}: ${String(error)}`));
    fs.rmSync(scratch, { recursive: true, force: true });
    await tearDownCassandraForTests();
  }
  for (const failure of failures) console.error(`FAIL ${failure}`);
  console.log(
    `total ${((performance.now() - began) / 1000).toFixed(0)} s, load average ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
  );
  console.log(`${checks - failures.length} passed, ${failures.length} failed`);
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
