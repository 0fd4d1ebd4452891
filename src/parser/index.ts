/** The parser layer's public surface. */
export * from './ast.js';
export { ParseError, AmbiguousParseError, caretExcerpt } from './errors.js';
export {
  parseStatement,
  parseScript,
  splitStatements,
  endsWithCompleteStatement,
  type StatementText,
  type ParsedStatement,
  type ParseOptions,
} from './parse.js';
export { KEYWORDS, NON_RESERVED, isKeyword, isReserved, lexerRules, createLexer } from './lexer.js';
export { childExprs, walkExpr, forEachExpr, queryExprs, assertNever } from './visit.js';
export { formatStatement, formatExpr, formatType, quoteIdentifier } from './format.js';
