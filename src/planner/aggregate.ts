/**
 * Aggregations: GROUP BY (windowed or not) and HAVING. The SELECT list and HAVING
 * are typed against the row the aggregation produces — group key columns, window
 * bounds, then one column per aggregate call — so GROUP BY expressions and
 * aggregate calls become plain column reads there, and anything else that reads
 * a source column is ksqlDB's "not part of GROUP BY" error.
 */
import { walkExpr, type Expr, type Query, type SelectItem, type WindowSpec } from '../parser/index.js';
import type { ArgShape, FunctionRegistry } from '../functions/index.js';
import { BIGINT, type SqlType } from '../schema/index.js';
import { KsqlError } from './errors.js';
import { typeExpr, typePredicate, type ResolvedColumn, type TypingContext } from './expressions.js';
import type { DataSource } from './metastore.js';
import { sourcesOf, type AggregateCall, type AggregateStep, type FilterStep, type LayoutColumn, type RowLayout, type Step, type WindowPlan } from './plan.js';
import { derivedName, expandSelect, sameExpr, type KeyExpr, type SelectColumn } from './select.js';
import type { QueryPlanContext } from './context.js';
import { exprText } from './text.js';
import type { TypedExpr } from './typed.js';

const DAY_MS = 86_400_000;

/** Whether the query calls a function nobody registered (its own, clearer error comes first). */
function callsUnknownFunction(q: Query, functions: FunctionRegistry): boolean {
  let unknown = false;
  const visit = (e: Expr) =>
    walkExpr(e, (x) => {
      if (x.type === 'call' && functions.kindOf(x.name) === undefined && !['AS_VALUE'].includes(x.name)) unknown = true;
    });
  for (const item of q.select) if (item.type === 'selectExpr') visit(item.expr);
  if (q.having) visit(q.having);
  return unknown;
}

function exprHasAggregate(e: Expr, functions: FunctionRegistry): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.type === 'call' && functions.kindOf(x.name) === 'AGGREGATE') found = true;
  });
  return found;
}

/** True when the SELECT list calls an aggregate function. */
export function selectHasAggregate(select: readonly SelectItem[], functions: FunctionRegistry): boolean {
  let found = false;
  for (const item of select) {
    if (item.type !== 'selectExpr') continue;
    walkExpr(item.expr, (e) => {
      if (e.type === 'call' && functions.kindOf(e.name) === 'AGGREGATE') found = true;
    });
  }
  return found;
}

const UNIT_MS: Record<string, number> = {
  NANOSECONDS: 1e-6,
  MICROSECONDS: 1e-3,
  MILLISECONDS: 1,
  SECONDS: 1000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: DAY_MS,
};

function ms(d: { value: number; unit: string }): number {
  const unit = UNIT_MS[d.unit];
  if (unit === undefined) throw new KsqlError(`Unsupported time unit in a window: ${d.unit}`);
  return Math.floor(d.value * unit);
}

/**
 * A window in milliseconds. Without GRACE PERIOD, windows accept late records for 24 hours,
 * except for EMIT FINAL of time windows, which closes them at their end. Without RETENTION,
 * a window's state is kept for its size plus its grace.
 */
export function windowPlan(w: WindowSpec, emitFinal = false): WindowPlan {
  const graceMs = w.grace ? ms(w.grace) : emitFinal && w.type !== 'SESSION' ? 0 : DAY_MS;
  switch (w.type) {
    case 'TUMBLING': {
      const size = ms(w.size);
      return { type: 'TUMBLING', sizeMs: size, advanceMs: size, gapMs: 0, graceMs, retentionMs: w.retention ? ms(w.retention) : size + graceMs };
    }
    case 'HOPPING': {
      const size = ms(w.size);
      const advance = ms(w.advance);
      if (advance > size) throw new KsqlError(`Window advance (${advance} ms) must not be larger than the window size (${size} ms).`);
      return { type: 'HOPPING', sizeMs: size, advanceMs: advance, gapMs: 0, graceMs, retentionMs: w.retention ? ms(w.retention) : size + graceMs };
    }
    case 'SESSION': {
      const gap = ms(w.gap);
      return { type: 'SESSION', sizeMs: 0, advanceMs: 0, gapMs: gap, graceMs, retentionMs: w.retention ? ms(w.retention) : gap + graceMs };
    }
    default: {
      const unreachable: never = w;
      throw new KsqlError(`Unknown window ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Marks a column read that is not grouped; caught per SELECT item to build ksqlDB's message. */
class NotGrouped extends Error {
  constructor(readonly column: string) {
    super(column);
  }
}

export interface AggregationPlan {
  readonly step: Step;
  readonly items: SelectColumn[];
  readonly keyExprs: KeyExpr[];
  readonly window?: WindowPlan;
}

export function planAggregation(
  q: Query,
  source: DataSource,
  alias: string,
  input: Step,
  typing: (clause: string, layout: RowLayout) => TypingContext,
  ctx: QueryPlanContext,
): AggregationPlan {
  const sourceLayout = input.layout;
  const windowBoundsMisuse = (clause: string): TypingContext => {
    const base = typing(clause, sourceLayout);
    return {
      ...base,
      scope: {
        resolveColumn(qualifier, name) {
          if ((name === 'WINDOWSTART' || name === 'WINDOWEND') && !source.window) {
            throw new KsqlError(`Window bounds column ${name} can only be used in the SELECT clause of windowed aggregations`);
          }
          return base.scope.resolveColumn(qualifier, name);
        },
      },
    };
  };
  const sourceTyping = windowBoundsMisuse('GROUP BY');
  const noTableFunctions = () => {
    throw new KsqlError('Table functions cannot be used with aggregations.');
  };

  // GROUP BY expressions, typed against the source row.
  const groupAsts = q.groupBy ?? [];
  // An unknown function is reported before anything about grouping.
  if (callsUnknownFunction(q, ctx.functions)) {
    for (const item of q.select) {
      if (item.type !== 'selectExpr') continue;
      walkExpr(item.expr, (x) => {
        if (x.type === 'call' && ctx.functions.kindOf(x.name) === undefined && x.name !== 'AS_VALUE') {
          try {
            ctx.functions.describe(x.name);
          } catch (err) {
            throw new KsqlError((err as Error).message);
          }
        }
      });
    }
  }
  if (q.window && groupAsts.length === 0 && !selectHasAggregate(q.select, ctx.functions)) {
    throw new KsqlError('WINDOW clause requires a GROUP BY clause.');
  }
  if (groupAsts.length > 0 && !callsUnknownFunction(q, ctx.functions) && !selectHasAggregate(q.select, ctx.functions) && !(q.having && exprHasAggregate(q.having, ctx.functions))) {
    throw new KsqlError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
  }
  const groupBy: TypedExpr[] = [];
  for (const g of groupAsts) {
    const typed = typeExpr(g, {
      ...sourceTyping,
      aggregate: (call) => {
        throw new KsqlError(`GROUP BY does not support aggregate functions: ${call.name} is an aggregate function.`);
      },
      tableFunction: noTableFunctions,
    });
    if (typed.type === null) throw new KsqlError('GROUP BY expressions cannot be the NULL literal.');
    if (groupBy.some((existing) => sameExpr(existing, typed))) {
      throw new KsqlError(`Duplicate GROUP BY expression: ${qualified(g, alias)}`);
    }
    groupBy.push(typed);
  }

  const window = q.window ? windowPlan(q.window, q.emit === 'FINAL') : undefined;
  if (q.emit === 'FINAL' && !window) throw new KsqlError('EMIT FINAL is only supported for windowed aggregations.');

  // The aggregated row: group keys, window bounds, then aggregates as they are found.
  const keyCount = groupBy.length;
  const windowCols = window ? 2 : 0;
  const aggregates: AggregateCall[] = [];
  const notTableCapable: string[] = [];
  const aggIndex = (i: number) => keyCount + windowCols + i;

  const aggregateHook = (call: Extract<Expr, { type: 'call' }>): TypedExpr => {
    const text = exprText(call);
    const existing = aggregates.findIndex((a) => a.text === text);
    if (existing >= 0) {
      const a = aggregates[existing] as AggregateCall;
      return { kind: 'column', type: a.type, index: aggIndex(existing), text };
    }
    const name = call.distinct && call.name === 'COUNT' ? 'COUNT_DISTINCT' : call.name;
    const argTyping: TypingContext = {
      ...windowBoundsMisuse('SELECT'),
      aggregate: (inner) => {
        throw new KsqlError(`Aggregate functions can not be nested: ${call.name}(${exprText(inner)})`);
      },
      tableFunction: noTableFunctions,
    };
    const args = call.star ? [] : call.args.map((a) => typeExpr(a, argTyping));
    const shapes: ArgShape[] = args.map((a) => ({ kind: 'value', type: a.type }));
    let resolved;
    try {
      resolved = ctx.functions.resolveAggregate(name, shapes, ctx.config);
    } catch (err) {
      throw new KsqlError((err as Error).message);
    }
    const literalCount = resolved.literalParams;
    const perRecord = args.slice(0, args.length - literalCount);
    const perRecordCount = perRecord.length;
    const literalArgs = args.slice(args.length - literalCount);
    const literals = literalArgs.map((a, i) => {
      if (a.kind !== 'literal') {
        throw new KsqlError(
          `Parameter ${perRecordCount + i + 1} passed to function ${call.name} must be a literal constant, but was expression: '${a.text}'`,
        );
      }
      return a.value;
    });
    if (source.kind === 'TABLE' && !tableCapable(resolved, literals)) notTableCapable.push(call.name);
    const coerced = perRecord.map((a, i) => {
      const target = resolved.paramTypes[i];
      return target === undefined || a.type === null ? a : coerceArg(a, target);
    });
    aggregates.push({ fn: resolved, args: coerced, literals, type: resolved.returnType, text });
    return { kind: 'column', type: resolved.returnType, index: aggIndex(aggregates.length - 1), text };
  };

  // Names in the aggregated row: window bounds resolve; a source column outside GROUP BY is an error.
  // ksqlDB names a join's columns by source, so the window bounds of an aggregation over a join stay out of reach.
  const overJoin = sourcesOf(input).length > 1;
  const postScope = {
    resolveColumn(qualifier: string | undefined, name: string): ResolvedColumn | undefined {
      if (window && (name === 'WINDOWSTART' || name === 'WINDOWEND')) {
        if (overJoin) return undefined;
        return { index: keyCount + (name === 'WINDOWSTART' ? 0 : 1), type: BIGINT, name };
      }
      if (!window && (name === 'WINDOWSTART' || name === 'WINDOWEND') && !sourceLayout.columns.some((c) => c.name === name && c.origin !== 'WINDOWSTART' && c.origin !== 'WINDOWEND')) {
        if (sourceLayout.columns.some((c) => c.name === name)) throw new NotGrouped(name);
        throw new KsqlError(`Window bounds column ${name} can only be used in the SELECT clause of windowed aggregations`);
      }
      if (sourceLayout.columns.some((c) => c.name === name && c.origin !== 'DERIVED' && (qualifier === undefined || qualifier === alias || qualifier === source.name))) {
        throw new NotGrouped(qualifier === undefined ? name : `${qualifier}.${name}`);
      }
      return undefined;
    },
  };
  const substitute = (e: Expr): TypedExpr | undefined => {
    if (e.type === 'lambda' || e.type === 'null') return undefined;
    if (e.type === 'call' && ctx.functions.kindOf(e.name) === 'AGGREGATE') return undefined;
    let typed: TypedExpr;
    try {
      typed = typeExpr(e, { ...sourceTyping, tableFunction: noTableFunctions });
    } catch {
      return undefined;
    }
    const k = groupBy.findIndex((g) => sameExpr(g, typed));
    return k < 0 ? undefined : { kind: 'column', type: typed.type as SqlType, index: k, text: exprText(e) };
  };
  const postTyping = (clause: string): TypingContext => ({
    scope: postScope,
    functions: ctx.functions,
    config: ctx.config,
    metastore: ctx.metastore,
    clause,
    aggregate: aggregateHook,
    tableFunction: noTableFunctions,
    substitute,
  });

  // The SELECT list over the aggregated row, item by item so the error lists every offender.
  const placeholder: LayoutColumn[] = groupBy.map((g, i) => ({ name: `KSQL_GROUP_${i}`, type: g.type as SqlType, origin: 'KEY' }));
  const items: SelectColumn[] = [];
  const notGrouped: string[] = [];
  const naming = { generated: 0 };
  for (const item of q.select) {
    try {
      items.push(...expandSelect([item], postTyping('SELECT'), { columns: [...placeholder, ...sourceLayout.columns] }, alias, source, naming));
    } catch (err) {
      if (!(err instanceof NotGrouped)) throw err;
      notGrouped.push(item.type === 'selectExpr' ? exprText(item.expr) : err.column);
    }
  }
  if (notGrouped.length > 0) {
    throw new KsqlError(
      `Non-aggregate SELECT expression(s) not part of GROUP BY: ${notGrouped.join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`,
    );
  }
  // Names generated for SELECT items are counted before those of the GROUP BY expressions.
  let generated = items.filter((i) => !i.aliased && /^KSQL_COL_\d+$/.test(i.name)).length;

  let having: TypedExpr | undefined;
  if (q.having) {
    try {
      having = typePredicate(q.having, postTyping('HAVING'));
    } catch (err) {
      if (err instanceof NotGrouped) throw new KsqlError(`Non-aggregate HAVING expression not part of GROUP BY: ${err.column}`);
      throw err;
    }
  }
  if (aggregates.length === 0) throw new KsqlError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
  if (notTableCapable.length > 0) {
    const names = [...new Set(notTableCapable)];
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    throw new KsqlError(`The aggregation functions ${list} cannot be applied to a table source, only to a stream source.`);
  }

  const keyColumns: LayoutColumn[] = groupBy.map((g, i) => ({ name: derivedName(groupAsts[i] as Expr) ?? `KSQL_GROUP_${i}`, type: g.type as SqlType, origin: 'KEY' }));
  const columns: LayoutColumn[] = [
    ...keyColumns,
    ...(window
      ? [
          { name: 'WINDOWSTART', type: BIGINT, origin: 'WINDOWSTART' as const },
          { name: 'WINDOWEND', type: BIGINT, origin: 'WINDOWEND' as const },
        ]
      : []),
    ...aggregates.map((a, i) => ({ name: `KSQL_AGG_VARIABLE_${i}`, type: a.type, origin: 'DERIVED' as const })),
  ];
  const layout: RowLayout = { columns };
  const aggregateStep: AggregateStep = {
    type: 'aggregate',
    input,
    groupBy,
    aggregates,
    ...(window ? { window } : {}),
    emitFinal: q.emit === 'FINAL',
    tableSource: source.kind === 'TABLE',
    layout,
  };
  let step: Step = aggregateStep;
  if (having) {
    const filter: FilterStep = { type: 'filter', input: aggregateStep, predicate: having, layout };
    step = filter;
  }

  const keyExprs: KeyExpr[] = groupBy.map((g, i) => {
    const ast = groupAsts[i] as Expr;
    const name = derivedName(ast) ?? `KSQL_COL_${generated++}`;
    return { expr: { kind: 'column', type: g.type as SqlType, index: i, text: exprText(ast) }, source: ast, text: exprText(ast), name };
  });
  return { step, items, keyExprs, ...(window ? { window } : {}) };
}

/** Whether every variant ksqlDB allows on tables can retract: an aggregator with undo. */
function tableCapable(resolved: { create: (literals: readonly unknown[]) => { undo?: unknown } }, literals: readonly unknown[]): boolean {
  return typeof resolved.create(literals).undo === 'function';
}

function coerceArg(a: TypedExpr, to: SqlType): TypedExpr {
  if (a.type !== null && JSON.stringify(a.type) === JSON.stringify(to)) return a;
  return { kind: 'cast', type: to, from: a.type, operand: a, explicit: false, text: a.text };
}

function qualified(e: Expr, alias: string): string {
  return e.type === 'column' && e.source === undefined ? `${alias}.${exprText(e)}` : exprText(e);
}
