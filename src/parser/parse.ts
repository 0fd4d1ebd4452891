import nearley from 'nearley';
import grammar from './grammar.generated.js';
import { createLexer, isTrivia, KEYWORDS } from './lexer.js';
import { AmbiguousParseError, ParseError } from './errors.js';
import { validateStatement } from './validate.js';
import type { Statement } from './ast.js';

const compiledGrammar = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

/** One statement's text within a script, and where it starts. */
export interface StatementText {
  /** The statement without its terminating `;`. */
  readonly text: string;
  /** 1-based line and column of the statement's first character in the script. */
  readonly line: number;
  readonly col: number;
  /** Character offset of the statement in the script. */
  readonly offset: number;
  /** False when the script ended before a `;` closed the statement. */
  readonly terminated: boolean;
}

/**
 * Splits a script into statements at every `;` outside strings, quoted names and
 * comments. Leading whitespace and comments are skipped; empty statements dropped.
 */
export function splitStatements(script: string): StatementText[] {
  const lexer = createLexer();
  lexer.reset(script);
  const out: StatementText[] = [];
  let start: { line: number; col: number; offset: number } | undefined;
  for (;;) {
    let token;
    try {
      token = lexer.next();
    } catch {
      // Unreachable in practice: the lexer's last rule matches any character.
      break;
    }
    if (token === undefined) break;
    if (token.type === 'semicolon') {
      if (start) out.push(statementText(script, start, token.offset, true));
      start = undefined;
      continue;
    }
    if (isTrivia(token)) continue;
    if (!start) start = { line: token.line, col: token.col, offset: token.offset };
  }
  if (start) out.push(statementText(script, start, script.length, false));
  return out;
}

function statementText(
  script: string,
  start: { line: number; col: number; offset: number },
  end: number,
  terminated: boolean,
): StatementText {
  return { text: script.slice(start.offset, end).trimEnd(), ...start, terminated };
}

/** True when the text holds at least one complete statement and no unfinished one (the REPL's "run now?"). */
export function endsWithCompleteStatement(script: string): boolean {
  const parts = splitStatements(script);
  return parts.length > 0 && parts.every((p) => p.terminated);
}

export interface ParseOptions {
  /** Position of the statement's first character in the surrounding script. */
  readonly line?: number;
  readonly col?: number;
}

/** Parses one statement (an optional trailing `;` is allowed). Throws ParseError. */
export function parseStatement(text: string, options: ParseOptions = {}): Statement {
  const line = options.line ?? 1;
  const col = options.col ?? 1;
  const parser = new nearley.Parser(compiledGrammar);
  // Tokens then carry positions in the whole script, not in the statement.
  (parser as unknown as { lexerState: unknown }).lexerState = { line, col };
  try {
    parser.feed(text);
  } catch (err) {
    throw syntaxError(parser, err, text, line, col);
  }
  const results = parser.results as Statement[];
  if (results.length === 0) {
    const end = endPosition(text, line, col);
    throw new ParseError(
      `line ${end.line}:${end.col}: Syntax Error\nUnexpected end of statement\n${expectingLine(expectedAt(parser))}\nStatement: ${text};`,
      end.line,
      end.col,
      undefined,
      expectedAt(parser),
    );
  }
  if (results.length > 1) {
    throw new AmbiguousParseError(
      `line ${line}:${col}: the statement has ${results.length} parses (a grammar bug, please report it)`,
      line,
      col,
    );
  }
  const statement = results[0] as Statement;
  validateStatement(statement);
  return statement;
}

/** A statement of a script with its parse (or the error that stopped it). */
export interface ParsedStatement extends StatementText {
  readonly statement: Statement;
}

/** Splits and parses a whole script; the first bad statement throws. */
export function parseScript(script: string): ParsedStatement[] {
  return splitStatements(script).map((s) => ({ ...s, statement: parseStatement(s.text, s) }));
}

interface NearleyFailure {
  token?: { value: string; text?: string; line: number; col: number; type?: string };
}

function syntaxError(parser: nearley.Parser, err: unknown, text: string, line: number, col: number): ParseError {
  const token = (err as NearleyFailure).token;
  const expected = expectedAt(parser);
  if (!token) {
    const end = endPosition(text, line, col);
    return new ParseError(`line ${end.line}:${end.col}: Syntax Error`, end.line, end.col, undefined, expected);
  }
  const shown = token.type === 'unknown' ? token.text ?? token.value : token.value;
  const head = `line ${token.line}:${token.col}: Syntax Error`;
  const near =
    token.type === 'unknown' && UNCLOSED[shown] !== undefined
      ? `${UNCLOSED[shown]} at line ${token.line}:${token.col}`
      : `Syntax error at or near '${shown}' at line ${token.line}:${token.col}`;
  // ksqlDB's layout: the position, what was expected (or the unknown statement), then the statement.
  const unknown = unknownStatementLine(parser, token);
  const message = [head, unknown ?? expectingLine(expected), `Statement: ${text};`, unknown ? '' : near]
    .filter((l) => l !== '')
    .join('\n');
  return new ParseError(message, token.line, token.col, shown, expected);
}

/** An opening quote the lexer could not match to a closing one. */
const UNCLOSED: Record<string, string> = {
  "'": 'Unterminated string literal',
  '`': 'Unterminated quoted identifier',
  '"': 'Unterminated quoted identifier',
};

/** ksqlDB says "Unknown statement 'X'" when the very first word starts no statement. */
function unknownStatementLine(parser: nearley.Parser, token: { value: string }): string | undefined {
  const current = (parser as unknown as { current: number }).current;
  return current === 0 ? `Unknown statement '${token.value}'` : undefined;
}

function expectingLine(expected: readonly string[]): string {
  if (expected.length === 0) return '';
  const shown = expected.length > 12 ? [...expected.slice(0, 12), '...'] : expected;
  return `Expecting {${shown.join(', ')}}`;
}

interface ScannableState {
  rule: { symbols: unknown[] };
  dot: number;
}

/** What the grammar could have taken at the point the parse stopped. */
function expectedAt(parser: nearley.Parser): string[] {
  const p = parser as unknown as { table: { scannable?: ScannableState[] }[]; current: number };
  const column = p.table[p.current];
  const names = new Set<string>();
  for (const state of column?.scannable ?? []) {
    const symbol = state.rule.symbols[state.dot] as { type?: string; literal?: string; test?: unknown; label?: string };
    if (symbol.literal !== undefined) names.add(`'${symbol.literal}'`);
    else if (symbol.type !== undefined) names.add(describeTokenType(symbol.type));
    else if (symbol.test !== undefined) names.add(symbol.label ?? 'identifier');
  }
  return [...names].sort(compareExpected);
}

function describeTokenType(type: string): string {
  if (KEYWORD_SET.has(type)) return `'${type}'`;
  switch (type) {
    case 'identifier':
    case 'digitIdentifier':
    case 'backquoted':
    case 'doublequoted':
      return 'identifier';
    case 'integer':
      return 'INTEGER_VALUE';
    case 'decimal':
      return 'DECIMAL_VALUE';
    case 'double':
      return 'FLOATING_POINT_VALUE';
    case 'string':
      return 'STRING';
    case 'neq':
      return "'<>'";
    default:
      return type;
  }
}

/** Punctuation and keywords first, then the kinds of token. */
function compareExpected(a: string, b: string): number {
  const ka = a.startsWith("'") ? 0 : 1;
  const kb = b.startsWith("'") ? 0 : 1;
  return ka - kb || a.localeCompare(b);
}

function endPosition(text: string, line: number, col: number): { line: number; col: number } {
  const lines = text.split('\n');
  const last = lines[lines.length - 1] ?? '';
  return lines.length === 1 ? { line, col: col + last.length } : { line: line + lines.length - 1, col: last.length + 1 };
}
