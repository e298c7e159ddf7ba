import type { Type } from '@nestjs/common';

/** One `--name` option: with `value` it takes one (`--asset <id>`), without it is a flag (`--restart`). */
export interface CliOption {
  readonly value?: string;
  readonly description: string;
}

/** What parseArgs hands a command: each option's text, `true` for a flag given, absent otherwise. */
export type CliValues = Readonly<Record<string, string | boolean | undefined>>;

/** The Nest provider that carries a command out (resolved from the CLI's application context). */
export interface CliCommandRunner {
  run(values: CliValues): Promise<void>;
}

/**
 * A one-off command of the ingestor: its name, options and help, readable without starting
 * Nest (so `--help` and a typo never connect to Cassandra), and the provider that runs it.
 */
export interface CliCommand {
  readonly name: string;
  readonly description: string;
  readonly options: Readonly<Record<string, CliOption>>;
  readonly runner: Type<CliCommandRunner>;
}

/** Bad command-line input: printed as is, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The text of an option that takes a value, or undefined when it was not given. */
export function optionText(values: CliValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** `ingestor <command> --help`: usage, description, and the options in a column. */
export function commandHelp(command: CliCommand): string {
  const rows: [string, string][] = Object.entries(command.options).map(([name, option]) => [
    option.value === undefined ? `--${name}` : `--${name} <${option.value}>`,
    option.description,
  ]);
  rows.push(['-h, --help', 'display help for command']);
  const width = Math.max(...rows.map(([flags]) => flags.length));
  return [
    `Usage: ingestor ${command.name} [options]`,
    '',
    command.description,
    '',
    'Options:',
    ...rows.map(([flags, description]) => `  ${flags.padEnd(width)}  ${description}`),
    '',
  ].join('\n');
}
