/**
 * Checks ksqlDB makes while building its AST, after the grammar accepted a statement:
 * numeric literal ranges and the KEY / PRIMARY KEY rule for streams and tables.
 */
import { ParseError } from './errors.js';
import { forEachExpr } from './visit.js';
import type { Expr, Statement, TableElement } from './ast.js';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export function validateStatement(statement: Statement): void {
  forEachExpr(statement, checkLiteral);
  switch (statement.type) {
    case 'createSource':
    case 'assertSource':
      checkKeyConstraints(statement.kind, statement.elements ?? []);
      break;
    default:
      break;
  }
}

function checkLiteral(expr: Expr): void {
  if (expr.type !== 'number') return;
  const at = expr.loc ?? { line: 1, col: 1 };
  if (expr.kind === 'INTEGER' || expr.kind === 'BIGINT') {
    const v = BigInt(expr.text);
    if (v < LONG_MIN || v > LONG_MAX) {
      throw new ParseError(`line ${at.line}:${at.col}: Invalid numeric literal: ${expr.text}`, at.line, at.col, expr.text);
    }
  } else if (expr.kind === 'DOUBLE' && !Number.isFinite(Number(expr.text))) {
    throw new ParseError(`line ${at.line}:${at.col}: Number overflows DOUBLE: ${expr.text}`, at.line, at.col, expr.text);
  }
}

function checkKeyConstraints(kind: 'STREAM' | 'TABLE', elements: readonly TableElement[]): void {
  for (const e of elements) {
    const at = e.loc ?? { line: 1, col: 1 };
    if (kind === 'STREAM' && e.constraint === 'PRIMARY KEY') {
      throw new ParseError(
        `Line: ${at.line}, Col: ${at.col}: Column \`${e.name}\` is a 'PRIMARY KEY' column: please use 'KEY' for streams.\n` +
          'Tables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.',
        at.line,
        at.col,
      );
    }
    if (kind === 'TABLE' && e.constraint === 'KEY') {
      throw new ParseError(
        `Line: ${at.line}, Col: ${at.col}: Column \`${e.name}\` is a 'KEY' column: please use 'PRIMARY KEY' for tables.\n` +
          'Tables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.',
        at.line,
        at.col,
      );
    }
  }
}
