/** Errors of the parser layer. Every one carries the position in the script text. */

export class ParseError extends Error {
  override readonly name: string = 'ParseError';

  constructor(
    message: string,
    /** 1-based line in the script the statement came from. */
    readonly line: number,
    /** 1-based column. */
    readonly col: number,
    /** The text of the offending token, if any. */
    readonly token?: string,
    /** What the grammar would have accepted there. */
    readonly expected: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Two or more parses of one statement: a grammar bug, never the user's fault. */
export class AmbiguousParseError extends ParseError {
  override readonly name: string = 'AmbiguousParseError';
}

/**
 * Renders the line of `source` an error points at with a caret under the column,
 * as a compiler would. `source` is the whole script (lines are absolute).
 */
export function caretExcerpt(source: string, line: number, col: number): string {
  const lines = source.split('\n');
  const text = lines[line - 1];
  if (text === undefined) return '';
  return `${text}\n${' '.repeat(Math.max(0, col - 1))}^`;
}
