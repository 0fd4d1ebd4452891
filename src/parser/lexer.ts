import moo from 'moo';

/**
 * Every keyword of the dialect. Keywords are matched case-insensitively; the ones
 * listed in NON_RESERVED may also be used as identifiers (as in ksqlDB).
 */
export const KEYWORDS = [
  'ADD', 'ADVANCE', 'ALL', 'ALTER', 'ANALYZE', 'AND', 'ARRAY', 'AS', 'ASSERT', 'AT', 'BEGINNING',
  'BETWEEN', 'BY', 'CASE', 'CAST', 'CATALOG', 'CHANGES', 'COLUMN', 'COLUMNS', 'CONNECTOR',
  'CONNECTORS', 'CREATE', 'DAY', 'DAYS', 'DEFINE', 'DELETE', 'DESCRIBE', 'DISTINCT', 'DROP',
  'ELSE', 'EMIT', 'END', 'ESCAPE', 'EXISTS', 'EXPLAIN', 'EXPORT', 'EXTENDED', 'FALSE', 'FINAL',
  'FROM', 'FULL', 'FUNCTION', 'FUNCTIONS', 'GRACE', 'GROUP', 'HAVING', 'HEADER', 'HEADERS',
  'HOPPING', 'HOUR', 'HOURS', 'IF', 'IN', 'INNER', 'INSERT', 'INTEGER', 'INTERVAL', 'INTO',
  'IS', 'JOIN', 'KEY', 'LEFT', 'LIKE', 'LIMIT', 'LIST', 'LOAD', 'MAP', 'MATERIALIZED',
  'MILLISECOND', 'MILLISECONDS', 'MINUTE', 'MINUTES', 'MONTH', 'MONTHS', 'NOT', 'NULL', 'ON',
  'OR', 'OUTER', 'PARTITION', 'PARTITIONS', 'PAUSE', 'PERIOD', 'PLUGINS', 'PRIMARY', 'PRINT',
  'PROPERTIES', 'QUERIES', 'QUERY', 'RENAME', 'REPLACE', 'RESET', 'RESUME', 'RETENTION',
  'RIGHT', 'RUN', 'SAMPLE', 'SCHEMA', 'SCRIPT', 'SECOND', 'SECONDS', 'SELECT', 'SESSION', 'SET',
  'SHOW', 'SINK', 'SIZE', 'SOURCE', 'STREAM', 'STREAMS', 'STRUCT', 'SUBJECT', 'TABLE', 'TABLES',
  'TERMINATE', 'THEN', 'TIMEOUT', 'TO', 'TOPIC', 'TOPICS', 'TRUE', 'TUMBLING', 'TYPE', 'TYPES',
  'UNDEFINE', 'UNSET', 'VALUES', 'VARIABLES', 'VIEW', 'WEEK', 'WEEKS', 'WHEN', 'WHERE',
  'WINDOW', 'WITH', 'WITHIN', 'YEAR', 'YEARS', 'ZONE', 'ID', 'NANOSECOND', 'NANOSECONDS',
  'MICROSECOND', 'MICROSECONDS',
] as const;

export type Keyword = (typeof KEYWORDS)[number];

/**
 * Keywords that are not reserved: usable as column, source, alias, function and
 * property names. The reserved ones are those whose use as a name would make a
 * statement mean two things (FROM, WHERE, JOIN, SELECT, ...).
 */
export const NON_RESERVED: readonly Keyword[] = [
  'ADD', 'ADVANCE', 'ALTER', 'ANALYZE', 'ARRAY', 'ASSERT', 'AT', 'BEGINNING', 'CATALOG',
  'CHANGES', 'COLUMN', 'COLUMNS', 'CONNECTOR', 'CONNECTORS', 'DAY', 'DAYS', 'DEFINE', 'DELETE',
  'EXPLAIN', 'EXPORT', 'EXTENDED', 'FINAL', 'FUNCTION', 'FUNCTIONS', 'GRACE', 'HEADER',
  'HEADERS', 'HOPPING', 'HOUR', 'HOURS', 'ID', 'INTEGER', 'INTERVAL', 'KEY', 'LIST', 'LOAD',
  'MAP', 'MATERIALIZED', 'MICROSECOND', 'MICROSECONDS', 'MILLISECOND', 'MILLISECONDS', 'MINUTE',
  'MINUTES', 'MONTH', 'MONTHS', 'NANOSECOND', 'NANOSECONDS', 'PARTITIONS', 'PAUSE', 'PERIOD',
  'PLUGINS', 'PRIMARY', 'PRINT', 'PROPERTIES', 'QUERIES', 'QUERY', 'RENAME', 'REPLACE',
  'RESET', 'RESUME', 'RETENTION', 'RUN', 'SAMPLE', 'SCHEMA', 'SCRIPT', 'SECOND', 'SECONDS',
  'SESSION', 'SET', 'SHOW', 'SINK', 'SIZE', 'SOURCE', 'STREAMS', 'STRUCT', 'SUBJECT', 'TABLES',
  'TERMINATE', 'TIMEOUT', 'TOPIC', 'TOPICS', 'TUMBLING', 'TYPE', 'TYPES', 'UNDEFINE', 'UNSET',
  'VARIABLES', 'VIEW', 'WEEK', 'WEEKS', 'YEAR', 'YEARS', 'ZONE', 'IF', 'ESCAPE', 'EMIT',
  'PARTITION', 'VALUES', 'STREAM', 'TABLE', 'TO',
];

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const NON_RESERVED_SET: ReadonlySet<string> = new Set(NON_RESERVED);

export function isKeyword(word: string): boolean {
  return KEYWORD_SET.has(word.toUpperCase());
}

export function isReserved(word: string): boolean {
  const upper = word.toUpperCase();
  return KEYWORD_SET.has(upper) && !NON_RESERVED_SET.has(upper);
}

const keywordType = moo.keywords(Object.fromEntries(KEYWORDS.map((k) => [k, k])));

/** The token rules; exported so the statement splitter and the REPL's highlighter share them. */
export const lexerRules: moo.Rules = {
  ws: { match: /[ \t\r\n\f]+/, lineBreaks: true },
  comment: { match: /--[^\n]*/ },
  blockComment: { match: /\/\*[^]*?\*\//, lineBreaks: true },
  string: { match: /'(?:[^']|'')*'/, lineBreaks: true },
  backquoted: { match: /`(?:[^`]|``)*`/, lineBreaks: true },
  doublequoted: { match: /"(?:[^"]|"")*"/, lineBreaks: true },
  variable: /\$\{[A-Za-z_][A-Za-z0-9_]*\}/,
  double: /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+/,
  decimal: /[0-9]+\.[0-9]*|\.[0-9]+/,
  // ksqlDB's DIGIT_IDENTIFIER: a name that starts with digits, like the alias 1R.
  digitIdentifier: { match: /[0-9]+[A-Za-z_][A-Za-z0-9_@]*/ },
  integer: /[0-9]+/,
  identifier: { match: /[A-Za-z_][A-Za-z0-9_@]*/, type: (text: string) => keywordType(text.toUpperCase()) },
  arrow: '=>',
  deref: '->',
  assign: ':=',
  neq: ['<>', '!='],
  lte: '<=',
  gte: '>=',
  concat: '||',
  eq: '=',
  lt: '<',
  gt: '>',
  plus: '+',
  minus: '-',
  star: '*',
  slash: '/',
  percent: '%',
  lparen: '(',
  rparen: ')',
  lbracket: '[',
  rbracket: ']',
  comma: ',',
  dot: '.',
  semicolon: ';',
  colon: ':',
  question: '?',
  // Anything else is one bad character; the parser reports it with its position.
  unknown: { match: /[^]/, lineBreaks: true },
};

export type Token = moo.Token;

export function createLexer(): moo.Lexer {
  return moo.compile(lexerRules);
}

const TRIVIA = new Set(['ws', 'comment', 'blockComment']);

export function isTrivia(token: moo.Token): boolean {
  return TRIVIA.has(token.type ?? '');
}

/**
 * A lexer for nearley that drops whitespace and comments. Tokens keep their
 * line/col in the text given to reset().
 */
export class SignificantLexer {
  private readonly inner = createLexer();

  reset(chunk: string, state?: moo.LexerState): void {
    this.inner.reset(chunk, state);
  }

  next(): moo.Token | undefined {
    for (;;) {
      const token = this.inner.next();
      if (token === undefined || !isTrivia(token)) return token;
    }
  }

  save(): moo.LexerState {
    return this.inner.save();
  }

  formatError(token: moo.Token, message?: string): string {
    return this.inner.formatError(token, message);
  }

  /** True for token types the lexer produces; the grammar's custom matchers (nonReservedKeyword, anyWord) are not. */
  has(tokenType: string): boolean {
    return tokenType in lexerRules || KEYWORD_SET.has(tokenType);
  }
}
