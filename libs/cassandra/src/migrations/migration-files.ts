import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One numbered file of cql/, parsed. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** sha256 of the file as written, so an edit after it was applied is caught. */
  readonly checksum: string;
  /** Statements with `{{keyspace}}` still in place; see renderStatement. */
  readonly statements: readonly string[];
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.cql$/;

/**
 * Splits CQL text into statements at semicolons, dropping `--` and `//` comments.
 * Quotes are tracked so a `;` or `--` inside a string literal stays where it is.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: "'" | '"' | null = null;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] ?? '';
    const pair = text.slice(index, index + 2);
    if (quote !== null) {
      current += char;
      if (char === quote) quote = null;
    } else if (pair === '--' || pair === '//') {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end - 1;
    } else if (char === ';') {
      statements.push(current);
      current = '';
    } else {
      if (char === "'" || char === '"') quote = char;
      current += char;
    }
  }
  statements.push(current);
  return statements.map((statement) => statement.replace(/\s+/g, ' ').trim()).filter((statement) => statement !== '');
}

/** Puts the configured keyspace into a statement. */
export function renderStatement(statement: string, keyspace: string): string {
  return statement.replaceAll('{{keyspace}}', keyspace);
}

/** Parses one migration file's name and text. */
export function parseMigration(fileName: string, text: string): Migration {
  const match = FILE_NAME.exec(fileName);
  if (match === null) {
    throw new Error(`migration file "${fileName}" must be named NNN_lower_snake_name.cql`);
  }
  const statements = splitStatements(text);
  if (statements.length === 0) throw new Error(`migration file "${fileName}" holds no statement`);
  return {
    version: Number(match[1]),
    name: match[2] ?? '',
    checksum: createHash('sha256').update(text).digest('hex'),
    statements,
  };
}

/** Every migration in the folder, in version order; versions must be unique and start at 1. */
export function loadMigrations(directory: string): Migration[] {
  const migrations = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.cql'))
    .map((file) => parseMigration(file, fs.readFileSync(path.join(directory, file), 'utf8')))
    .sort((left, right) => left.version - right.version);
  migrations.forEach((migration, index) => {
    // Gaps are tolerated while branches hold numbers reserved for each other (008 before 007 merges).
    const previous = index === 0 ? 0 : (migrations[index - 1]?.version ?? 0);
    if (index === 0 ? migration.version !== 1 : migration.version <= previous) {
      throw new Error(
        `migrations must be numbered 001, 002, ... without gaps or repeats; found ${String(migration.version).padStart(3, '0')} at position ${index + 1}`,
      );
    }
  });
  return migrations;
}
