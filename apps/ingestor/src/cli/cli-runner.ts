import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { SeriesIntervalError } from '../ingest/ingest-errors';
import { BACKFILL_COMMAND } from './backfill.command';
import { type CliCommand, type CliValues, UsageError, commandHelp } from './cli-command';
import { HEAL_COMMAND } from './heal.command';
import { IMPORT_COMMAND } from './import.command';
import { IMPORT_ACTIONS_COMMAND } from './import-actions.command';
import { LAKE_COMMAND } from './lake.command';
import { ROLLUP_COMMAND } from './rollup.command';

/** Every one-off command; `ingestor` without one runs the worker. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  BACKFILL_COMMAND,
  IMPORT_COMMAND,
  IMPORT_ACTIONS_COMMAND,
  ROLLUP_COMMAND,
  HEAL_COMMAND,
  LAKE_COMMAND,
];

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A command's arguments, parsed: its option values, or a request for its help. */
export type ParsedCommandArgs = { readonly help: true } | { readonly help: false; readonly values: CliValues };

/** Parses a command's arguments strictly: an unknown option, a missing value or a stray word is a UsageError. */
export function parseCommandArgs(command: CliCommand, args: readonly string[]): ParsedCommandArgs {
  if (args.includes('--help') || args.includes('-h')) return { help: true };
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, option]) => [
      name,
      { type: option.value === undefined ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  try {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return { help: false, values };
  } catch (error) {
    throw new UsageError(argumentProblem(command, error));
  }
}

/** parseArgs' messages, shortened to what a user needs, always with the way to the help. */
function argumentProblem(command: CliCommand, error: unknown): string {
  const code: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const optionName = quoted.split(' ')[0] ?? quoted;
  const option = command.options[optionName.replace(/^-+/, '')];
  let problem: string;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') problem = `unknown option ${optionName}`;
  else if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') problem = `unexpected argument "${quoted}"`;
  else if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option?.value === undefined)
    problem = `${optionName} takes no value`;
  else if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    problem = `${optionName} needs a value: ${optionName} <${option?.value}>`;
  else problem = message;
  return `${problem} (see: ingestor ${command.name} --help)`;
}

/** `ingestor --help`: the commands. */
export function commandsHelp(): string {
  const width = Math.max(...CLI_COMMANDS.map((command) => command.name.length));
  return [
    'Usage: ingestor [command] [options]',
    '',
    'Without a command: the ingestion worker (scheduled jobs, health and metrics).',
    '',
    'Commands:',
    ...CLI_COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.description}`),
    '',
    'Run "ingestor <command> --help" for its options.',
    '',
  ].join('\n');
}

/**
 * Runs `ingestor <command> [options]` and returns its exit code: 0 done, 2 bad input (usage,
 * unknown command or option, a refused write), 1 any other failure. Parsing and help need no
 * Nest; the command itself runs in an application context (no HTTP server, no scheduler),
 * closed at the end, so the process exits by itself.
 */
export async function runCli(
  args: readonly string[],
  createContext: () => Promise<INestApplicationContext>,
  io: CliIo = PROCESS_IO,
): Promise<number> {
  const [name = '', ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(commandsHelp());
    return 0;
  }
  const command = CLI_COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr(
      `ingestor: unknown command "${name}": use one of ${CLI_COMMANDS.map((candidate) => candidate.name).join(', ')} (see: ingestor --help)\n`,
    );
    return 2;
  }
  let values: CliValues;
  try {
    const parsed = parseCommandArgs(command, rest);
    if (parsed.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    values = parsed.values;
  } catch (error) {
    return reportFailure(command, error, io);
  }
  let context: INestApplicationContext;
  try {
    context = await createContext();
  } catch (error) {
    io.stderr(`ingestor ${command.name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    await context.get(command.runner).run(values);
    return 0;
  } catch (error) {
    return reportFailure(command, error, io);
  } finally {
    await context.close();
  }
}

function reportFailure(command: CliCommand, error: unknown, io: CliIo): number {
  io.stderr(`ingestor ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
  return isUsageError(error) ? 2 : 1;
}

/** Bad input: the CLI's own usage errors and the domain's refusals that name what to change. */
function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof SeriesIntervalError;
}
