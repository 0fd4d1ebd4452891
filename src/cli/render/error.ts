/**
 * A failed statement, compiler style: which statement and line, why, the
 * statement, and where the column is known its offending line with a caret.
 *
 *     Error in statement 2 (line 3): line 3:10: Syntax Error
 *     SELECT * FORM t
 *              ^
 */
import { printed } from './table.js';

export interface RenderableError {
  readonly message: string;
  /** 1-based, as the user counts the statements of a script. */
  readonly statementIndex?: number | undefined;
  /** 1-based line in the script. */
  readonly line?: number | undefined;
  /** 1-based column of `sourceLine`. */
  readonly col?: number | undefined;
  readonly statementText?: string | undefined;
  /** The script line the column points into. */
  readonly sourceLine?: string | undefined;
}

export function renderError(e: RenderableError): string {
  const where = [
    e.statementIndex === undefined ? undefined : `in statement ${e.statementIndex}`,
    e.line === undefined ? undefined : `(line ${e.line})`,
  ].filter((part) => part !== undefined);
  // The statement is printed below (with a caret), so ksqlDB's trailing "Statement: ..." line is left out.
  const message = e.statementText !== undefined ? e.message.replace(/\nStatement: [\s\S]*$/, '') : e.message;
  const lines = [`Error${where.length > 0 ? ` ${where.join(' ')}` : ''}: ${message}`];
  const statement = e.statementText?.replace(/\s+$/, '') ?? '';
  const statementLines = statement === '' ? [] : statement.split(/\r?\n/);
  if (e.col === undefined || e.sourceLine === undefined) {
    lines.push(...statementLines);
    return printed(lines);
  }
  const caret = caretUnder(e.sourceLine, e.col);
  // The caret goes under the offending line inside the statement when the statement holds it as written.
  const sourceLine = e.sourceLine;
  const at = statementLines.findIndex((l) => withoutEnd(l) === withoutEnd(sourceLine));
  if (at >= 0) lines.push(...statementLines.slice(0, at + 1), caret, ...statementLines.slice(at + 1));
  else lines.push(...statementLines, sourceLine, caret);
  return printed(lines);
}

function withoutEnd(line: string): string {
  return line.replace(/[\s;]+$/, '');
}

/** The caret line; tabs before the column are kept so the caret lines up under them. */
function caretUnder(sourceLine: string, col: number): string {
  const before = sourceLine.slice(0, Math.max(0, col - 1)).replace(/[^\t]/g, ' ');
  return `${before}${' '.repeat(Math.max(0, col - 1 - before.length))}^`;
}

/** ksqlDB's `statement_error` body (error code 40001, BAD_STATEMENT), with ksqlite's position. */
export function errorJson(e: RenderableError): Record<string, unknown> {
  return {
    '@type': 'statement_error',
    error_code: 40001,
    message: e.message,
    statementText: e.statementText ?? null,
    entities: [],
    statementIndex: e.statementIndex ?? null,
    line: e.line ?? null,
    col: e.col ?? null,
  };
}
