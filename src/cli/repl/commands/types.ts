/** What a CLI command (help, output, spool, ...) may use of the session. */
import type { History } from '../history.js';
import type { Palette } from '../ansi.js';

export type OutputFormat = 'tabular' | 'json';

/** Settings of the CLI itself (not of the engine): `output`, `set cli ...`. */
export interface CliSettings {
  output: OutputFormat;
  /** WRAP ON: long values wrap inside their cell; OFF: cut with an ellipsis. */
  wrap: boolean;
  /** COLUMN-WIDTH: width of every column of a live table; 0 shares the terminal width. */
  columnWidth: number;
}

export interface CommandContext {
  readonly settings: CliSettings;
  readonly history: History;
  readonly version: string;
  readonly backend: string;
  readonly palette: Palette;
  print(text: string): void;
  /** The terminal's width now. */
  width(): number;
  clearScreen(): void;
  /** Starts copying the session's output to a file; throws when the file cannot be opened. */
  startSpool(file: string): void;
  /** Stops it; false when no spool was on. */
  stopSpool(): boolean;
  readonly spoolFile: string | undefined;
}

export type CommandOutcome = 'exit' | undefined;

export interface CliCommand {
  /** The word that starts the command. */
  readonly name: string;
  /** How help shows it: one line per form. */
  readonly usage: readonly string[];
  readonly description: string;
  /** The command's arguments when `input` (trimmed, without a final `;`) is this command. */
  parse(input: string): string[] | undefined;
  run(ctx: CommandContext, args: readonly string[]): CommandOutcome;
}

/** A command recognised by a pattern; its groups are the arguments. */
export function byPattern(pattern: RegExp): (input: string) => string[] | undefined {
  return (input) => {
    const m = pattern.exec(input);
    return m ? m.slice(1).filter((a): a is string => a !== undefined) : undefined;
  };
}
