/**
 * Typed expressions: what the planner makes of the parser's expressions once
 * every column is resolved to a position in the row, every function to its
 * implementation and every type is known. The runtime compiles these into
 * JavaScript once per query; nothing here is looked up per record.
 *
 * A row is a flat array laid out by the plan (see plan.ts): key columns, value
 * columns, header columns and pseudo-columns at fixed indexes.
 */
import type { ResolvedCall } from '../functions/index.js';
import type { SqlType } from '../schema/index.js';

export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/** `type: null` is the type of a bare NULL literal, known only once coerced. */
export type TypedExpr =
  | { readonly kind: 'literal'; readonly type: SqlType | null; readonly value: unknown; readonly text: string }
  /** A column of the row, by index. */
  | { readonly kind: 'column'; readonly type: SqlType; readonly index: number; readonly text: string }
  /** A parameter of an enclosing lambda (depth 0 is the innermost lambda). */
  | { readonly kind: 'lambdaParam'; readonly type: SqlType; readonly name: string; readonly text: string }
  | {
      readonly kind: 'call';
      readonly type: SqlType;
      readonly fn: ResolvedCall;
      readonly args: readonly TypedExpr[];
      readonly text: string;
    }
  | {
      readonly kind: 'lambda';
      /** The lambda's value type is its body's type; parameters are bound when the function calls it. */
      readonly type: SqlType;
      readonly params: readonly string[];
      readonly paramTypes: readonly SqlType[];
      readonly body: TypedExpr;
      readonly text: string;
    }
  /** Implicit or explicit conversion of the operand's value to `type`. */
  | { readonly kind: 'cast'; readonly type: SqlType; readonly from: SqlType | null; readonly operand: TypedExpr; readonly explicit: boolean; readonly text: string }
  | {
      readonly kind: 'arithmetic';
      readonly type: SqlType;
      readonly op: ArithmeticOp;
      readonly left: TypedExpr;
      readonly right: TypedExpr;
      readonly text: string;
    }
  | { readonly kind: 'negate'; readonly type: SqlType; readonly operand: TypedExpr; readonly text: string }
  | { readonly kind: 'concat'; readonly type: SqlType; readonly left: TypedExpr; readonly right: TypedExpr; readonly text: string }
  /** Both sides already coerced to `compareType`. */
  | {
      readonly kind: 'compare';
      readonly type: SqlType;
      readonly op: ComparisonOp;
      readonly compareType: SqlType;
      readonly left: TypedExpr;
      readonly right: TypedExpr;
      readonly text: string;
    }
  | { readonly kind: 'and' | 'or'; readonly type: SqlType; readonly left: TypedExpr; readonly right: TypedExpr; readonly text: string }
  | { readonly kind: 'not'; readonly type: SqlType; readonly operand: TypedExpr; readonly text: string }
  | { readonly kind: 'isNull'; readonly type: SqlType; readonly operand: TypedExpr; readonly not: boolean; readonly text: string }
  | {
      readonly kind: 'between';
      readonly type: SqlType;
      readonly compareType: SqlType;
      readonly operand: TypedExpr;
      readonly low: TypedExpr;
      readonly high: TypedExpr;
      readonly not: boolean;
      readonly text: string;
    }
  | {
      readonly kind: 'in';
      readonly type: SqlType;
      readonly compareType: SqlType;
      readonly operand: TypedExpr;
      readonly list: readonly TypedExpr[];
      readonly not: boolean;
      readonly text: string;
    }
  | {
      readonly kind: 'like';
      readonly type: SqlType;
      readonly operand: TypedExpr;
      readonly pattern: TypedExpr;
      readonly escape?: string;
      readonly not: boolean;
      readonly text: string;
    }
  | {
      readonly kind: 'case';
      readonly type: SqlType;
      readonly whens: readonly { readonly when: TypedExpr; readonly then: TypedExpr }[];
      readonly else?: TypedExpr;
      readonly text: string;
    }
  | { readonly kind: 'deref'; readonly type: SqlType; readonly base: TypedExpr; readonly field: string; readonly text: string }
  | { readonly kind: 'subscript'; readonly type: SqlType; readonly base: TypedExpr; readonly index: TypedExpr; readonly text: string }
  | { readonly kind: 'arrayCtor'; readonly type: SqlType; readonly items: readonly TypedExpr[]; readonly text: string }
  | {
      readonly kind: 'mapCtor';
      readonly type: SqlType;
      readonly entries: readonly { readonly key: TypedExpr; readonly value: TypedExpr }[];
      readonly text: string;
    }
  | {
      readonly kind: 'structCtor';
      readonly type: SqlType;
      readonly fields: readonly { readonly name: string; readonly value: TypedExpr }[];
      readonly text: string;
    };

export type TypedExprKind = TypedExpr['kind'];

/** The direct sub-expressions of a typed expression. */
export function typedChildren(e: TypedExpr): TypedExpr[] {
  switch (e.kind) {
    case 'literal':
    case 'column':
    case 'lambdaParam':
      return [];
    case 'call':
      return [...e.args];
    case 'lambda':
      return [e.body];
    case 'cast':
    case 'negate':
    case 'not':
    case 'isNull':
      return [e.operand];
    case 'arithmetic':
    case 'concat':
    case 'compare':
    case 'and':
    case 'or':
      return [e.left, e.right];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'in':
      return [e.operand, ...e.list];
    case 'like':
      return [e.operand, e.pattern];
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'deref':
      return [e.base];
    case 'subscript':
      return [e.base, e.index];
    case 'arrayCtor':
      return [...e.items];
    case 'mapCtor':
      return e.entries.flatMap((en) => [en.key, en.value]);
    case 'structCtor':
      return e.fields.map((f) => f.value);
    default: {
      const unreachable: never = e;
      throw new Error(`unknown expression ${JSON.stringify(unreachable)}`);
    }
  }
}
