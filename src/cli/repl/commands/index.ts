/** The CLI's own commands, one per file; anything else typed goes to the engine. */
import { clearCommand } from './clear.js';
import { exitCommand } from './exit.js';
import { helpCommand } from './help.js';
import { historyCommand } from './history.js';
import { outputCommand } from './output.js';
import { setCliCommand } from './set-cli.js';
import { spoolCommand } from './spool.js';
import { versionCommand } from './version.js';
import type { CliCommand } from './types.js';

export type { CliCommand, CliSettings, CommandContext, CommandOutcome, OutputFormat } from './types.js';

export const COMMANDS: readonly CliCommand[] = [
  helpCommand(() => COMMANDS),
  historyCommand,
  outputCommand,
  setCliCommand,
  spoolCommand,
  clearCommand,
  versionCommand,
  exitCommand,
];

/** Words that start a command, for completion at the start of a line. */
export const COMMAND_WORDS: readonly string[] = ['help', 'history', 'output', 'spool', 'clear', 'version', 'exit'];

/** The command the input is, with its arguments; undefined for a SQL statement. */
export function findCommand(input: string): { command: CliCommand; args: string[] } | undefined {
  const text = input.trim().replace(/;+\s*$/, '').trim();
  if (text === '' || text.includes('\n')) return undefined;
  for (const command of COMMANDS) {
    const args = command.parse(text);
    if (args) return { command, args };
  }
  return undefined;
}
