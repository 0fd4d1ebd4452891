/**
 * Type checking: parser expressions -> typed expressions. Columns resolve to
 * row positions, functions to their implementations, literals to values, and
 * every implicit conversion becomes an explicit node, so the runtime compiles
 * exactly what ksqlDB would evaluate. Errors use ksqlDB's wording.
 */
import { assertNever, type Expr } from '../parser/index.js';
import type { ArgShape, FunctionConfig, FunctionRegistry } from '../functions/index.js';
import {
  arithmeticResultType,
  BOOLEAN,
  canCast,
  canCompare,
  coerceValue,
  coercionTarget,
  commonSuperType,
  Decimal,
  decimalTypeOf,
  DOUBLE,
  formatType,
  INTEGER,
  BIGINT,
  STRING,
  array,
  map,
  struct,
  isNumeric,
  typesEqual,
  type ComparisonOperator,
  type SqlType,
} from '../schema/index.js';
import { KsqlError } from './errors.js';
import { exprText, typeText } from './text.js';
import type { ComparisonOp, TypedExpr } from './typed.js';
import { resolveType } from './types.js';
import type { MetaStore } from './metastore.js';

/** A column a name can resolve to. */
export interface ResolvedColumn {
  readonly index: number;
  readonly type: SqlType;
  readonly name: string;
}

/** The columns an expression can see. */
export interface Scope {
  /** Undefined when no such column; throws KsqlError when ambiguous. */
  resolveColumn(qualifier: string | undefined, name: string): ResolvedColumn | undefined;
}

export interface TypingContext {
  readonly scope: Scope;
  readonly functions: FunctionRegistry;
  readonly config: FunctionConfig;
  readonly metastore: MetaStore;
  /** The clause being typed, for messages: SELECT, WHERE, PARTITION BY, GROUP BY, HAVING, JOIN ON. */
  readonly clause: string;
  /** Handles an aggregate call; absent where aggregates are not allowed. */
  readonly aggregate?: (call: Extract<Expr, { type: 'call' }>) => TypedExpr;
  /** Handles a table function call; absent where they are not allowed. */
  readonly tableFunction?: (call: Extract<Expr, { type: 'call' }>) => TypedExpr;
  /**
   * Replaces a whole sub-expression before it is typed (after aggregation: a GROUP BY
   * expression becomes its key column). Undefined leaves it to the typer.
   */
  readonly substitute?: (e: Expr, text: string) => TypedExpr | undefined;
}

interface LambdaScope {
  readonly names: ReadonlyMap<string, SqlType>;
  readonly parent?: LambdaScope;
}

const OP_NAMES: Record<ComparisonOp, ComparisonOperator> = {
  '=': 'EQUAL',
  '<>': 'NOT_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
  'IS DISTINCT FROM': 'IS_DISTINCT_FROM',
  'IS NOT DISTINCT FROM': 'IS_NOT_DISTINCT_FROM',
};

const shown = (t: SqlType | null): string => (t === null ? 'null' : formatType(t));

/** Types one expression. */
export function typeExpr(e: Expr, ctx: TypingContext): TypedExpr {
  return new ExprTyper(ctx).type(e, undefined);
}

/** Types an expression that must be BOOLEAN (WHERE, HAVING, ON). */
export function typePredicate(e: Expr, ctx: TypingContext): TypedExpr {
  let typed: TypedExpr;
  try {
    typed = typeExpr(e, ctx);
  } catch (err) {
    // ksqlDB names the clause of an expression it cannot type: "Error in WHERE expression: Error processing ...".
    if (err instanceof KsqlError && err.message.startsWith('Error processing expression:')) {
      throw new KsqlError(`Error in ${ctx.clause} expression: ${err.message}`, err.loc);
    }
    throw err;
  }
  if (typed.type !== null && typed.type.kind !== 'BOOLEAN') {
    throw new KsqlError(
      `Type error in ${ctx.clause} expression: Should evaluate to boolean but is ${typed.text} (${formatType(typed.type)}) instead.`,
    );
  }
  return typed;
}

/** Converts `e` to `to` (implicitly); the caller has checked it is allowed. */
export function coerceTo(e: TypedExpr, to: SqlType): TypedExpr {
  if (e.type !== null && typesEqual(e.type, to)) return e;
  if (e.kind === 'literal') {
    if (e.value === null) return { ...e, type: to };
    const from = e.type ?? to;
    const r = coerceValue(e.value, from, to, 'LAX');
    if (r.ok) return { kind: 'literal', type: to, value: r.value, text: e.text };
  }
  return { kind: 'cast', type: to, from: e.type, operand: e, explicit: false, text: e.text };
}

class ExprTyper {
  constructor(private readonly ctx: TypingContext) {}

  type(e: Expr, lambdas: LambdaScope | undefined): TypedExpr {
    const text = exprText(e);
    if (this.ctx.substitute && !lambdas) {
      const replaced = this.ctx.substitute(e, text);
      if (replaced) return replaced;
    }
    switch (e.type) {
      case 'null':
        return { kind: 'literal', type: null, value: null, text };
      case 'boolean':
        return { kind: 'literal', type: BOOLEAN, value: e.value, text };
      case 'string':
        return { kind: 'literal', type: STRING, value: e.value, text };
      case 'number':
        return numberLiteral(e.kind, e.text, text);
      case 'column':
        return this.column(e, lambdas, text);
      case 'deref':
        return this.deref(e, lambdas, text);
      case 'subscript':
        return this.subscript(e, lambdas, text);
      case 'call':
        return this.call(e, lambdas, text);
      case 'lambda':
        throw new KsqlError(`Lambdas are only allowed as function arguments: ${text}`);
      case 'unary':
        return this.unary(e, lambdas, text);
      case 'binary':
        return this.binary(e, lambdas, text);
      case 'isNull':
        return { kind: 'isNull', type: BOOLEAN, operand: this.type(e.operand, lambdas), not: e.not, text };
      case 'between':
        return this.between(e, lambdas, text);
      case 'in':
        return this.inList(e, lambdas, text);
      case 'like':
        return this.like(e, lambdas, text);
      case 'case':
        return this.caseExpr(e, lambdas, text);
      case 'cast':
        return this.cast(e, lambdas, text);
      case 'arrayCtor':
        return this.arrayCtor(e, lambdas, text);
      case 'mapCtor':
        return this.mapCtor(e, lambdas, text);
      case 'structCtor':
        return this.structCtor(e, lambdas, text);
      default:
        return assertNever(e);
    }
  }

  private column(e: Extract<Expr, { type: 'column' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    if (e.source === undefined) {
      for (let s = lambdas; s; s = s.parent) {
        const t = s.names.get(e.name);
        if (t) return { kind: 'lambdaParam', type: t, name: e.name, text };
      }
    }
    const col = this.ctx.scope.resolveColumn(e.source, e.name);
    if (!col) {
      // PARTITION BY reads the input, not the projection: say so, since an alias is the usual mistake.
      const hint = this.ctx.clause === 'PARTITION BY' ? ` '${text}' must be a column in the source schema since PARTITION BY is applied on the input.` : '';
      throw new KsqlError(`${this.ctx.clause} column '${text}' cannot be resolved.${hint}`, e.loc);
    }
    return { kind: 'column', type: col.type, index: col.index, text };
  }

  private deref(e: Extract<Expr, { type: 'deref' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const base = this.type(e.base, lambdas);
    if (base.type === null || base.type.kind !== 'STRUCT') {
      throw new KsqlError(`Expected STRUCT type for ${base.text} but got ${shown(base.type)}: ${text}`);
    }
    const field = base.type.fields.find((f) => f.name === e.field) ?? base.type.fields.find((f) => f.name.toUpperCase() === e.field.toUpperCase());
    if (!field) throw new KsqlError(`Could not find field '${e.field}' in '${base.text}'.`);
    return { kind: 'deref', type: field.type, base, field: field.name, text };
  }

  private subscript(e: Extract<Expr, { type: 'subscript' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const base = this.type(e.base, lambdas);
    const index = this.type(e.index, lambdas);
    if (base.type?.kind === 'ARRAY') {
      if (index.type !== null && index.type.kind !== 'INTEGER' && index.type.kind !== 'BIGINT') {
        throw new KsqlError(`Array index must be INTEGER but was ${formatType(index.type)}: ${text}`);
      }
      return { kind: 'subscript', type: base.type.item, base, index: index.type?.kind === 'BIGINT' ? index : coerceTo(index, INTEGER), text };
    }
    if (base.type?.kind === 'MAP') {
      const keyType = base.type.key;
      if (index.type !== null && !coercionTarget(index.type, keyType, index.kind === 'literal' ? 'LAX' : 'STRICT')) {
        throw new KsqlError(`Map key must be ${formatType(keyType)} but was ${formatType(index.type)}: ${text}`);
      }
      return { kind: 'subscript', type: base.type.value, base, index: coerceTo(index, keyType), text };
    }
    throw new KsqlError(`Subscripts are only allowed on ARRAY and MAP, not ${shown(base.type)}: ${text}`);
  }

  private call(e: Extract<Expr, { type: 'call' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const kind = this.ctx.functions.kindOf(e.name);
    if (kind === 'AGGREGATE') {
      if (!this.ctx.aggregate) {
        throw new KsqlError(`Aggregate functions can not be used in ${this.ctx.clause}: ${text}`);
      }
      return this.ctx.aggregate(e);
    }
    if (kind === 'TABLE') {
      if (!this.ctx.tableFunction) throw new KsqlError(`Table functions can only be used in the SELECT clause: ${text}`);
      return this.ctx.tableFunction(e);
    }
    // As in ksqlDB, F(*) of a scalar function is F() (GREATEST(*): "does not accept parameters ()").
    const { args, resolved, typedArgs } = this.resolveCall(e, lambdas, 'SCALAR');
    void args;
    return { kind: 'call', type: resolved.returnType, fn: resolved, args: typedArgs, text };
  }

  /** Resolves a call's function and types its arguments (lambdas included). Shared with table functions. */
  resolveCall(e: Extract<Expr, { type: 'call' }>, lambdas: LambdaScope | undefined, kind: 'SCALAR' | 'TABLE') {
    type Arg = TypedExpr | Extract<Expr, { type: 'lambda' }> | { unit: string };
    const args: Arg[] = e.args.map((a): Arg => {
      if (a.type === 'lambda') return a;
      // DATEADD(DAYS, 1, d): a time-unit keyword where a value could go.
      const unit = timeUnitArgument(a, lambdas, this.ctx.scope);
      return unit !== undefined ? { unit } : this.type(a, lambdas);
    });
    const shapes: ArgShape[] = args.map((a) =>
      'unit' in a
        ? { kind: 'intervalUnit', unit: a.unit }
        : 'kind' in a
        ? { kind: 'value', type: a.type }
        : {
            kind: 'lambda',
            arity: a.params.length,
            typeBody: (paramTypes: readonly SqlType[]) => {
              const body = this.lambdaBody(a, paramTypes, lambdas);
              if (body.type === null) throw new KsqlError(`Can't infer a type of null in lambda: ${exprText(a)}`);
              return body.type;
            },
          },
    );
    const resolved =
      kind === 'SCALAR'
        ? this.ctx.functions.resolveScalar(e.name, shapes, this.ctx.config)
        : this.ctx.functions.resolveTable(e.name, shapes, this.ctx.config);
    const typedArgs = args.map((a, i): TypedExpr => {
      if ('unit' in a) return { kind: 'literal', type: STRING, value: a.unit, text: a.unit };
      if ('kind' in a) {
        const target = resolved.paramTypes[i];
        return target === undefined ? a : coerceTo(a, target);
      }
      const paramTypes = resolved.lambdaParamTypes[i] ?? [];
      const body = this.lambdaBody(a, paramTypes, lambdas);
      return { kind: 'lambda', type: body.type ?? STRING, params: a.params, paramTypes, body, text: exprText(a) };
    });
    return { args, resolved, typedArgs };
  }

  private lambdaBody(l: Extract<Expr, { type: 'lambda' }>, paramTypes: readonly SqlType[], parent: LambdaScope | undefined): TypedExpr {
    if (paramTypes.length !== l.params.length) {
      throw new KsqlError(`Lambda ${exprText(l)} takes ${l.params.length} arguments but ${paramTypes.length} were expected.`);
    }
    const names = new Map<string, SqlType>();
    l.params.forEach((p, i) => names.set(p, paramTypes[i] as SqlType));
    return this.type(l.body, { names, ...(parent ? { parent } : {}) });
  }

  private unary(e: Extract<Expr, { type: 'unary' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const operand = this.type(e.operand, lambdas);
    if (e.op === 'NOT') {
      this.requireBoolean(operand, text);
      return { kind: 'not', type: BOOLEAN, operand: coerceTo(operand, BOOLEAN), text };
    }
    if (operand.type === null) return operand;
    if (!isNumeric(operand.type)) {
      throw new KsqlError(`Error processing expression: ${text}. Unsupported arithmetic type: ${formatType(operand.type)}`);
    }
    return e.op === '+' ? operand : { kind: 'negate', type: operand.type, operand, text };
  }

  private requireBoolean(t: TypedExpr, text: string): void {
    if (t.type !== null && t.type.kind !== 'BOOLEAN') {
      throw new KsqlError(`Error in ${this.ctx.clause} expression: ${text}: ${t.text} should be BOOLEAN but is ${formatType(t.type)}`);
    }
  }

  private binary(e: Extract<Expr, { type: 'binary' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const left = this.type(e.left, lambdas);
    const right = this.type(e.right, lambdas);
    switch (e.op) {
      case 'AND':
      case 'OR':
        this.requireBoolean(left, text);
        this.requireBoolean(right, text);
        return { kind: e.op === 'AND' ? 'and' : 'or', type: BOOLEAN, left: coerceTo(left, BOOLEAN), right: coerceTo(right, BOOLEAN), text };
      case '||':
        return this.concat(left, right, text);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.arithmetic(e.op, left, right, text);
      default:
        return this.compare(e.op, left, right, text);
    }
  }

  private concat(left: TypedExpr, right: TypedExpr, text: string): TypedExpr {
    for (const side of [left, right]) {
      if (side.type !== null && side.type.kind !== 'STRING') {
        throw new KsqlError(`Error processing expression: ${text}. Unsupported concatenation type: ${formatType(side.type)}`);
      }
    }
    return { kind: 'concat', type: STRING, left: coerceTo(left, STRING), right: coerceTo(right, STRING), text };
  }

  private arithmetic(op: '+' | '-' | '*' | '/' | '%', left: TypedExpr, right: TypedExpr, text: string): TypedExpr {
    const lt = left.type ?? right.type;
    const rt = right.type ?? left.type;
    if (lt === null || rt === null) return { kind: 'literal', type: null, value: null, text };
    let type: SqlType;
    try {
      type = arithmeticResultType(op, lt, rt);
    } catch {
      throw new KsqlError(`Error processing expression: ${text}. Unsupported arithmetic types. ${lt.kind} ${rt.kind}`);
    }
    return {
      kind: 'arithmetic',
      type,
      op,
      left: left.type === null ? { ...left, type: lt } : left,
      right: right.type === null ? { ...right, type: rt } : right,
      text,
    };
  }

  /** A comparison; string literals compared with other types are converted at plan time (as ksqlDB does). */
  private compare(op: ComparisonOp, left: TypedExpr, right: TypedExpr, text: string): TypedExpr {
    const compareType = this.comparisonType(op, left, right, text);
    return { kind: 'compare', type: BOOLEAN, op, compareType, left: coerceForCompare(left, compareType), right: coerceForCompare(right, compareType), text };
  }

  private comparisonType(op: ComparisonOp, left: TypedExpr, right: TypedExpr, text: string): SqlType {
    const lt = left.type;
    const rt = right.type;
    if (lt === null && rt === null) {
      throw new KsqlError(`Comparison with NULL not supported: ${left.text.toUpperCase()} ${op} ${right.text.toUpperCase()}`);
    }
    if (lt === null) return rt as SqlType;
    if (rt === null) return lt;
    const fail = (): never => {
      throw new KsqlError(
        `Error in ${this.ctx.clause} expression: Cannot compare ${left.text} (${formatType(lt)}) to ${right.text} (${formatType(rt)}) with ${OP_NAMES[op]}.`,
      );
    };
    // ROWTIME (and window bounds) compared with a string: the string is a timestamp.
    if (lt.kind === 'BIGINT' && rt.kind === 'STRING' && right.kind === 'literal' && isTimeColumn(left)) return lt;
    if (rt.kind === 'BIGINT' && lt.kind === 'STRING' && left.kind === 'literal' && isTimeColumn(right)) return rt;
    if (!canCompare(lt, OP_NAMES[op], rt)) fail();
    if (isNumeric(lt) && isNumeric(rt)) return numericCompareType(lt, rt);
    if (lt.kind === rt.kind) return lt;
    // Temporal against temporal or string: compare as the temporal type (TIMESTAMP wins over DATE).
    if (lt.kind === 'TIMESTAMP' || rt.kind === 'TIMESTAMP') return { kind: 'TIMESTAMP' };
    if (lt.kind === 'STRING') return rt;
    return lt;
  }

  private between(e: Extract<Expr, { type: 'between' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const operand = this.type(e.operand, lambdas);
    const low = this.type(e.low, lambdas);
    const high = this.type(e.high, lambdas);
    const t1 = this.comparisonType('>=', operand, low, text);
    const t2 = this.comparisonType('<=', operand, high, text);
    const compareType = isNumeric(t1) && isNumeric(t2) ? numericCompareType(t1, t2) : t1;
    return {
      kind: 'between',
      type: BOOLEAN,
      compareType,
      operand: coerceForCompare(operand, compareType),
      low: coerceForCompare(low, compareType),
      high: coerceForCompare(high, compareType),
      not: e.not,
      text,
    };
  }

  /**
   * `x IN (a, b, ...)`, typed as ksqlDB types it: the operand and the list share one type, the
   * widest of the expressions whose type is fixed (in order, so an error names the type so far);
   * string literals — alone or inside ARRAY / MAP / STRUCT constructors — are then read as that
   * type, and when it is STRING, other literals are compared as their text.
   */
  private inList(e: Extract<Expr, { type: 'in' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const operand = this.type(e.operand, lambdas);
    const list = e.list.map((x) => this.type(x, lambdas));
    if (operand.type === null) return { kind: 'literal', type: BOOLEAN, value: null, text };
    const fail = (common: SqlType, item: TypedExpr): never => {
      throw new KsqlError(
        `Invalid Predicate: operator does not exist: ${formatType(common)} = ${shown(item.type)} (${item.text})\nHint: You might need to add explicit type casts.`,
      );
    };
    const all = [operand, ...list];
    let common: SqlType | undefined;
    for (const item of all) {
      if (item.type === null || flexibleLiteral(item)) continue;
      if (common === undefined) {
        common = item.type;
        continue;
      }
      if (common.kind === 'STRING' && item.kind === 'literal') continue;
      const widened = isNumeric(common) && isNumeric(item.type) ? numericCompareType(common, item.type) : commonSuperType([common, item.type]);
      if (widened === undefined) fail(common, item);
      common = widened;
    }
    // Only string literals (or constructors of them): their own types decide.
    const compareType = common ?? commonSuperType(all.flatMap((x) => (x.type === null ? [] : [x.type]))) ?? STRING;
    const toCommon = (item: TypedExpr, target: SqlType): TypedExpr => {
      if (item.type === null) return { ...item, type: target } as TypedExpr;
      if (flexibleLiteral(item)) return readLiteralAs(item, target, fail);
      if (target.kind === 'STRING' && item.kind === 'literal' && item.type.kind !== 'STRING') {
        return { kind: 'cast', type: STRING, from: item.type, operand: item, explicit: true, text: item.text };
      }
      return item;
    };
    const [first, ...rest] = all.map((x) => toCommon(x, compareType));
    return {
      kind: 'in',
      type: BOOLEAN,
      compareType,
      operand: coerceForCompare(first as TypedExpr, compareType),
      list: rest.map((x) => coerceForCompare(x, compareType)),
      not: e.not,
      text,
    };
  }

  private like(e: Extract<Expr, { type: 'like' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const operand = this.type(e.operand, lambdas);
    const pattern = this.type(e.pattern, lambdas);
    for (const side of [operand, pattern]) {
      if (side.type !== null && side.type.kind !== 'STRING') {
        throw new KsqlError(`Error in ${this.ctx.clause} expression: LIKE requires STRING operands, got ${formatType(side.type)}: ${text}`);
      }
    }
    if (e.escape !== undefined && e.escape.length !== 1) {
      throw new KsqlError(`Escape character must be a single character: '${e.escape}'`);
    }
    return {
      kind: 'like',
      type: BOOLEAN,
      operand: coerceTo(operand, STRING),
      pattern: coerceTo(pattern, STRING),
      ...(e.escape !== undefined ? { escape: e.escape } : {}),
      not: e.not,
      text,
    };
  }

  private caseExpr(e: Extract<Expr, { type: 'case' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const operand = e.operand ? this.type(e.operand, lambdas) : undefined;
    const whens = e.whens.map((w) => {
      let when: TypedExpr;
      if (operand) {
        const value = this.type(w.when, lambdas);
        const compareType = this.comparisonType('=', operand, value, text);
        when = { kind: 'compare', type: BOOLEAN, op: '=', compareType, left: coerceForCompare(operand, compareType), right: coerceForCompare(value, compareType), text: `(${operand.text} = ${value.text})` };
      } else {
        when = this.type(w.when, lambdas);
        if (when.type !== null && when.type.kind !== 'BOOLEAN') {
          throw new KsqlError(`WHEN operand type should be boolean.\nType for '${when.text}' is ${formatType(when.type)}`);
        }
      }
      return { when, then: this.type(w.then, lambdas) };
    });
    const elseExpr = e.else ? this.type(e.else, lambdas) : undefined;
    const branchTypes = [...whens.map((w) => w.then.type), ...(elseExpr ? [elseExpr.type] : [])].filter((t): t is SqlType => t !== null);
    if (branchTypes.length === 0) throw new KsqlError('Invalid Case expression. All case branches have NULL type');
    const type = commonSuperType(branchTypes);
    if (!type) {
      const bad = [...whens.map((w) => w.then), ...(elseExpr ? [elseExpr] : [])].find((b) => b.type !== null && !typesEqual(b.type, branchTypes[0] as SqlType));
      throw new KsqlError(
        `Invalid Case expression. Type for all 'THEN' clauses should be the same.\nTHEN expression '${bad?.text ?? ''}' has type: ${shown(bad?.type ?? null)}.`,
      );
    }
    return {
      kind: 'case',
      type,
      whens: whens.map((w) => ({ when: coerceTo(w.when, BOOLEAN), then: coerceTo(w.then, type) })),
      ...(elseExpr ? { else: coerceTo(elseExpr, type) } : {}),
      text,
    };
  }

  private cast(e: Extract<Expr, { type: 'cast' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const operand = this.type(e.operand, lambdas);
    const to = resolveType(e.target, this.ctx.metastore);
    if (operand.type === null) return { kind: 'literal', type: to, value: null, text };
    if (typesEqual(operand.type, to)) return operand;
    if (!canCast(operand.type, to)) {
      // ksqlDB reports it against the projection it checks it in.
      const where = this.ctx.clause === 'SELECT' ? 'Invalid Select: ' : '';
      throw new KsqlError(`${where}Cast of ${formatType(operand.type)} to ${formatType(to)} is not supported`);
    }
    void typeText;
    return { kind: 'cast', type: to, from: operand.type, operand, explicit: true, text };
  }

  private arrayCtor(e: Extract<Expr, { type: 'arrayCtor' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    if (e.items.length === 0) {
      throw new KsqlError('Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).');
    }
    const items = e.items.map((x) => this.type(x, lambdas));
    const item = this.elementType(items, () => {
      throw new KsqlError(
        'Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.',
      );
    }, 'array');
    return { kind: 'arrayCtor', type: array(item), items: items.map((x) => coerceTo(x, item)), text };
  }

  /** The common type of constructor elements: non-literals decide, string literals are read as that type. */
  private elementType(items: readonly TypedExpr[], allNull: () => never, what: string): SqlType {
    const typed = items.filter((x) => x.type !== null);
    if (typed.length === 0) allNull();
    const nonLiteral = typed.filter((x) => !(x.kind === 'literal' && x.type?.kind === 'STRING'));
    const decided = commonSuperType((nonLiteral.length > 0 ? nonLiteral : typed).map((x) => x.type as SqlType));
    if (!decided) {
      throw new KsqlError(`invalid input syntax for ${what} element: types do not match: ${typed.map((x) => `${x.text} (${shown(x.type)})`).join(', ')}`);
    }
    for (const x of typed) {
      if (x.kind === 'literal' && x.type?.kind === 'STRING' && decided.kind !== 'STRING') {
        const r = coerceValue(x.value, STRING, decided, 'LAX');
        if (!r.ok) throw new KsqlError(`invalid input syntax for type ${formatType(decided)}: "${String(x.value)}"`);
      } else if (!coercionTarget(x.type as SqlType, decided)) {
        throw new KsqlError(`invalid input syntax for ${what} element: cannot convert ${x.text} (${shown(x.type)}) to ${formatType(decided)}`);
      }
    }
    return decided;
  }

  private mapCtor(e: Extract<Expr, { type: 'mapCtor' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    if (e.entries.length === 0) {
      throw new KsqlError('Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).');
    }
    const keys = e.entries.map((en) => this.type(en.key, lambdas));
    const values = e.entries.map((en) => this.type(en.value, lambdas));
    const keyType = this.elementType(keys, () => {
      throw new KsqlError('Cannot construct a map with all NULL keys (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL key to the desired type.');
    }, 'map key');
    const valueType = this.elementType(values, () => {
      throw new KsqlError('Cannot construct a map with all NULL values (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.');
    }, 'map value');
    return {
      kind: 'mapCtor',
      type: map(keyType, valueType),
      entries: keys.map((k, i) => ({ key: coerceTo(k, keyType), value: coerceTo(values[i] as TypedExpr, valueType) })),
      text,
    };
  }

  private structCtor(e: Extract<Expr, { type: 'structCtor' }>, lambdas: LambdaScope | undefined, text: string): TypedExpr {
    const seen = new Set<string>();
    const fields = e.fields.map((f) => {
      if (seen.has(f.name)) throw new KsqlError(`Duplicate field names found in STRUCT: '${f.name}'`);
      seen.add(f.name);
      const value = this.type(f.value, lambdas);
      return { name: f.name, value: value.type === null ? { ...value, type: STRING } : value };
    });
    return {
      kind: 'structCtor',
      type: struct(fields.map((f) => ({ name: f.name, type: f.value.type as SqlType }))),
      fields,
      text,
    };
  }
}

/** Helper for table-function planning: resolve and type a table function call. */
export function typeTableFunctionCall(e: Extract<Expr, { type: 'call' }>, ctx: TypingContext) {
  const typer = new ExprTyper({ ...ctx, tableFunction: undefined });
  const { resolved, typedArgs } = typer.resolveCall(e, undefined, 'TABLE');
  return { resolved, args: typedArgs, text: exprText(e) };
}

const TIME_UNITS = new Set([
  'NANOSECOND', 'NANOSECONDS', 'MICROSECOND', 'MICROSECONDS', 'MILLISECOND', 'MILLISECONDS', 'SECOND', 'SECONDS',
  'MINUTE', 'MINUTES', 'HOUR', 'HOURS', 'DAY', 'DAYS',
]);

/** A bare time-unit word used as a function argument (and not a column of that name). */
function timeUnitArgument(e: Expr, lambdas: LambdaScope | undefined, scope: Scope): string | undefined {
  if (e.type !== 'column' || e.source !== undefined || !TIME_UNITS.has(e.name)) return undefined;
  for (let s = lambdas; s; s = s.parent) if (s.names.has(e.name)) return undefined;
  return scope.resolveColumn(undefined, e.name) ? undefined : e.name;
}

function numberLiteral(kind: 'INTEGER' | 'BIGINT' | 'DECIMAL' | 'DOUBLE', raw: string, text: string): TypedExpr {
  switch (kind) {
    case 'INTEGER':
      return { kind: 'literal', type: INTEGER, value: Number(raw), text };
    case 'BIGINT':
      return { kind: 'literal', type: BIGINT, value: BigInt(raw), text };
    case 'DOUBLE':
      return { kind: 'literal', type: DOUBLE, value: Number(raw), text };
    case 'DECIMAL': {
      const value = Decimal.parse(raw);
      return { kind: 'literal', type: decimalTypeOf(value), value, text };
    }
    default:
      return assertNever(kind);
  }
}

/** The numeric type two numbers are compared in: the wider of the two. */
function numericCompareType(a: SqlType, b: SqlType): SqlType {
  return commonSuperType([a, b]) ?? DOUBLE;
}

/** The type a string literal is compared as, against a column of type `other` (undefined if it cannot be read so). */
function literalCompareType(other: SqlType, literal: TypedExpr): SqlType | undefined {
  if (literal.kind !== 'literal') return undefined;
  const r = coerceValue(literal.value, STRING, other, 'LAX');
  return r.ok ? other : undefined;
}

/** ROWTIME, WINDOWSTART and WINDOWEND: BIGINT columns that hold epoch milliseconds. */
function isTimeColumn(e: TypedExpr): boolean {
  return e.kind === 'column' && /(^|\.)(ROWTIME|WINDOWSTART|WINDOWEND)$/.test(e.text);
}

function coerceForCompare(e: TypedExpr, to: SqlType): TypedExpr {
  if (e.type === null) return { ...e, type: to } as TypedExpr;
  // A timestamp string compared with ROWTIME: epoch millis, read at plan time.
  if (e.kind === 'literal' && e.type.kind === 'STRING' && to.kind === 'BIGINT' && typeof e.value === 'string' && !/^\s*-?\d+\s*$/.test(e.value)) {
    const r = coerceValue(e.value, STRING, { kind: 'TIMESTAMP' }, 'LAX');
    if (r.ok) return { kind: 'literal', type: to, value: BigInt(r.value as number), text: e.text };
  }
  if (typesEqual(e.type, to)) return e;
  // STRING against a temporal type: the string is parsed at run time.
  if (e.type.kind === 'STRING' && e.kind !== 'literal') return { kind: 'cast', type: to, from: e.type, operand: e, explicit: false, text: e.text };
  return coerceTo(e, to);
}

/**
 * A string literal, or an ARRAY / MAP / STRUCT constructor built of them (and NULLs): in an IN
 * list its type is not its own but the list's, its strings read as that type.
 */
function flexibleLiteral(e: TypedExpr): boolean {
  switch (e.kind) {
    case 'literal':
      return e.value !== null && e.type?.kind === 'STRING';
    case 'arrayCtor':
      return e.items.some(flexibleLiteral) && e.items.every((x) => flexibleLiteral(x) || isNullLiteral(x));
    case 'mapCtor':
      return e.entries.some((en) => flexibleLiteral(en.value)) && e.entries.every((en) => flexibleLiteral(en.value) || isNullLiteral(en.value));
    case 'structCtor':
      return e.fields.some((f) => flexibleLiteral(f.value));
    default:
      return false;
  }
}

function isNullLiteral(e: TypedExpr): boolean {
  return e.kind === 'literal' && e.value === null;
}

/** A flexible literal (see flexibleLiteral) read as `target`, its strings parsed as ksqlDB parses them. */
function readLiteralAs(e: TypedExpr, target: SqlType, fail: (common: SqlType, item: TypedExpr) => never): TypedExpr {
  if (e.type === null || isNullLiteral(e)) return { ...e, type: target } as TypedExpr;
  if (!flexibleLiteral(e)) return coercionTarget(e.type, target) !== undefined || typesEqual(e.type, target) ? coerceTo(e, target) : fail(target, e);
  switch (e.kind) {
    case 'literal': {
      if (target.kind === 'STRING') return e;
      const r = coerceValue(e.value, STRING, target, 'LAX');
      if (!r.ok) throw new KsqlError(`Invalid Predicate: invalid input syntax for type ${formatType(target)}: "${String(e.value)}".`);
      return { kind: 'literal', type: target, value: r.value, text: e.text };
    }
    case 'arrayCtor':
      if (target.kind !== 'ARRAY') return fail(target, e);
      return { ...e, type: target, items: e.items.map((x) => readLiteralAs(x, target.item, fail)) };
    case 'mapCtor':
      if (target.kind !== 'MAP') return fail(target, e);
      return {
        ...e,
        type: target,
        entries: e.entries.map((en) => ({ key: readLiteralAs(en.key, target.key, fail), value: readLiteralAs(en.value, target.value, fail) })),
      };
    case 'structCtor': {
      if (target.kind !== 'STRUCT') return fail(target, e);
      const fields = e.fields.map((f) => {
        const t = target.fields.find((x) => x.name === f.name);
        if (!t) return fail(target, e);
        return { name: f.name, value: readLiteralAs(f.value, t.type, fail) };
      });
      return { ...e, type: struct(fields.map((f) => ({ name: f.name, type: f.value.type as SqlType }))), fields };
    }
    default:
      return fail(target, e);
  }
}
