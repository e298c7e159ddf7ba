import path from 'node:path';
import { loadMigrations, parseMigration, renderStatement, splitStatements } from './migration-files';

describe('splitStatements', () => {
  it('splits at semicolons and drops comments', () => {
    const text = `-- heading\nCREATE TABLE a (k int PRIMARY KEY); // trailing\n\nCREATE TABLE b (\n  k int PRIMARY KEY -- why\n);\n`;
    expect(splitStatements(text)).toEqual([
      'CREATE TABLE a (k int PRIMARY KEY)',
      'CREATE TABLE b ( k int PRIMARY KEY )',
    ]);
  });

  it('keeps semicolons and comment markers that sit inside string literals', () => {
    const text = `CREATE TABLE a (k int PRIMARY KEY) WITH comment = 'one; two -- three';`;
    expect(splitStatements(text)).toEqual([`CREATE TABLE a (k int PRIMARY KEY) WITH comment = 'one; two -- three'`]);
  });

  it('accepts a last statement without a semicolon', () => {
    expect(splitStatements('SELECT 1; SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });
});

describe('parseMigration', () => {
  it('reads the version and name from the file name and checksums the text', () => {
    const migration = parseMigration('007_add_rollups.cql', 'CREATE TABLE {{keyspace}}.x (k int PRIMARY KEY);');
    expect(migration).toMatchObject({ version: 7, name: 'add_rollups' });
    expect(migration.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(parseMigration('007_add_rollups.cql', 'CREATE TABLE {{keyspace}}.y (k int PRIMARY KEY);').checksum).not.toBe(
      migration.checksum,
    );
    expect(renderStatement(migration.statements[0] ?? '', 'market')).toBe('CREATE TABLE market.x (k int PRIMARY KEY)');
  });

  it('rejects badly named or empty files', () => {
    expect(() => parseMigration('7_add.cql', 'SELECT 1;')).toThrow(/NNN_lower_snake_name/);
    expect(() => parseMigration('008_Add-Rollups.cql', 'SELECT 1;')).toThrow(/NNN_lower_snake_name/);
    expect(() => parseMigration('008_empty.cql', '-- nothing\n')).toThrow(/no statement/);
  });
});

describe('the project migrations in cql/', () => {
  const migrations = loadMigrations(path.resolve(__dirname, '../../../../cql'));

  it('are numbered from 001, increasing', () => {
    const versions = migrations.map((migration) => migration.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((left, right) => left - right));
    expect(migrations.length).toBeGreaterThanOrEqual(2);
  });

  it('name the keyspace through the placeholder, never literally', () => {
    for (const statement of migrations.flatMap((migration) => migration.statements)) {
      expect(statement).toMatch(/\{\{keyspace\}\}\./);
      expect(statement).not.toMatch(/\bmarket\./);
    }
  });

  it('keep the seed clustering order, TWCS windows and gc_grace in 001', () => {
    const timeSeries = migrations[0]?.statements.filter((statement) => /_timeseries \(/.test(statement)) ?? [];
    expect(timeSeries).toHaveLength(2);
    for (const statement of timeSeries) {
      expect(statement).toContain('CLUSTERING ORDER BY (ts ASC)');
      expect(statement).toContain("'class': 'TimeWindowCompactionStrategy'");
      expect(statement).toContain("'compaction_window_unit': 'DAYS'");
      expect(statement).toContain("'compaction_window_size': '1'");
      expect(statement).toContain('gc_grace_seconds = 86400');
    }
  });
});
