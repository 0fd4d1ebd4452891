/**
 * Errors the engine reports. Every failed statement reaches the caller as a
 * StatementError: which statement (index, text, line and column) and why.
 */
import { KsqlError } from '../planner/errors.js';
import { ParseError } from '../parser/index.js';

export { KsqlError, ParseError };

export class StatementError extends Error {
  override readonly name: string = 'StatementError';

  constructor(
    message: string,
    /** 1-based position of the statement in the script. */
    readonly statementIndex: number,
    /** The statement's text, without its `;`. */
    readonly statementText: string,
    /** Line and column in the script: of the error if known, else of the statement. */
    readonly line: number,
    readonly col: number | undefined,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** The message of anything thrown, without stack traces for the errors we raise ourselves. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
