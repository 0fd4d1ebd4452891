/**
 * Plans SELECT queries: transient push queries, CREATE STREAM/TABLE AS SELECT
 * and INSERT INTO ... SELECT. Resolves the source, types every clause, decides
 * which projected columns form the key (as ksqlDB does), and describes the sink.
 */
import type { CreateAsSelect, Expr, JoinRelation, Query, SelectItem, SourceRef } from '../parser/index.js';
import { checkJoinQuery, joinScope, planRelation, type JoinSource } from './join.js';
import type { FunctionConfig, FunctionRegistry } from '../functions/index.js';
import {
  BIGINT,
  formatType,
  INTEGER,
  isPseudoColumnName,
  isWindowBoundName,
  LogicalSchema,
  typesEqual,
  type SqlType,
} from '../schema/index.js';
import { checkFormatSupports, checkReplace, parseDelimiter } from './ddl.js';
import type { QueryPlanContext } from './context.js';
import { KsqlError } from './errors.js';
import { typeExpr, typePredicate, typeTableFunctionCall, type ResolvedColumn, type Scope, type TypingContext } from './expressions.js';
import { FORMATS, lookupFormat, wrappingApplies } from './formats.js';
import type { DataSource, FormatSpec, SerdeFeature } from './metastore.js';
import { aggregateOf, type FlatMapStep, type LayoutColumn, type ProjectedColumn, type ProjectStep, type QueryPlan, type RowLayout, type SinkSpec, type SourceStep, type Step, type WindowPlan } from './plan.js';
import { planAggregation, selectHasAggregate } from './aggregate.js';
import { derivedName, expandSelect, layoutScope, qualifiedText, sameExpr, type KeyExpr, type SelectColumn } from './select.js';
import { WithClause } from './properties.js';
import { exprText, nameText } from './text.js';
import type { TypedExpr } from './typed.js';

export type { QueryPlanContext } from './context.js';

export type QueryTarget =
  | { readonly kind: 'transient' }
  | { readonly kind: 'create'; readonly statement: CreateAsSelect; readonly sql: string }
  | { readonly kind: 'insert'; readonly target: string; readonly loc?: { line: number; col: number } };

const SINK_PROPERTIES = [
  'KAFKA_TOPIC',
  'KEY_FORMAT',
  'VALUE_FORMAT',
  'FORMAT',
  'PARTITIONS',
  'REPLICAS',
  'RETENTION_MS',
  'TIMESTAMP',
  'TIMESTAMP_FORMAT',
  'WRAP_SINGLE_VALUE',
  'VALUE_DELIMITER',
  'KEY_DELIMITER',
  'KEY_SCHEMA_FULL_NAME',
  'VALUE_SCHEMA_FULL_NAME',
  'VALUE_AVRO_SCHEMA_FULL_NAME',
  'KEY_SCHEMA_ID',
  'VALUE_SCHEMA_ID',
];

export function planQuery(q: Query, target: QueryTarget, ctx: QueryPlanContext): QueryPlan {
  if (q.from.type === 'join') return planJoinQuery(q, q.from, target, ctx);

  const source = ctx.metastore.getSource(q.from.name);
  if (!source) {
    throw new KsqlError(
      q.from.loc ? `Line: ${q.from.loc.line}, Col: ${q.from.loc.col}: ${q.from.name} does not exist.` : `${q.from.name} does not exist.`,
      q.from.loc,
    );
  }
  checkPersistentSource(source, target);
  const alias = q.from.alias ?? source.name;
  const sourceStep = buildSourceStep(source, alias, ctx);
  let step: Step = sourceStep;
  const scopeFor = (layout: RowLayout) => layoutScope(layout, new Set([alias, source.name]));
  const typing = (clause: string, layout: RowLayout): TypingContext => ({
    scope: scopeFor(layout),
    functions: ctx.functions,
    config: ctx.config,
    metastore: ctx.metastore,
    clause,
  });

  if (q.where) {
    const predicate = typePredicate(q.where, typing('WHERE', step.layout));
    step = { type: 'filter', input: step, predicate, layout: step.layout };
  }

  if (q.groupBy || q.window || q.having || selectHasAggregate(q.select, ctx.functions)) {
    const agg = planAggregation(q, source, alias, step, typing, ctx);
    if (target.kind === 'transient') return transientPlan(q, source, agg.step, agg.step.layout, agg.items, true);
    return persistentPlan(q, target, source, alias, agg.step, agg.step.layout, agg.items, typing, ctx, { keyExprs: agg.keyExprs, window: agg.window });
  }
  if (q.emit === 'FINAL') throw new KsqlError('EMIT FINAL is only supported for windowed aggregations.');

  // Table functions in the SELECT list become a flat-map step; the select reads their outputs as columns.
  const flatCalls: FlatMapStep['calls'][number][] = [];
  const flatColumns: LayoutColumn[] = [];
  const baseLayout = step.layout;
  const selectTyping: TypingContext = {
    ...typing('SELECT', baseLayout),
    tableFunction: (call) => {
      const { resolved, args, text } = typeTableFunctionCall(call, typing('SELECT', baseLayout));
      flatCalls.push({ fn: resolved, args, type: resolved.returnType });
      const index = baseLayout.columns.length + flatColumns.length;
      flatColumns.push({ name: `KSQL_SYNTH_${flatColumns.length}`, type: resolved.returnType, origin: 'DERIVED' });
      return { kind: 'column', type: resolved.returnType, index, text };
    },
  };
  const items = expandSelect(q.select, selectTyping, baseLayout, alias, source);
  if (flatCalls.length > 0) {
    if (source.kind === 'TABLE') throw new KsqlError('Table source is not supported with table functions');
    step = { type: 'flatMap', input: step, calls: flatCalls, layout: { columns: [...baseLayout.columns, ...flatColumns] } };
  }
  const rowLayout = step.layout;

  if (target.kind === 'transient') {
    return transientPlan(q, source, step, rowLayout, items);
  }
  return persistentPlan(q, target, source, alias, step, rowLayout, items, typing, ctx);
}

// ---------------------------------------------------------------- joins

function planJoinQuery(q: Query, from: JoinRelation, target: QueryTarget, ctx: QueryPlanContext): QueryPlan {
  checkJoinQuery(q, ctx);
  const sourceStep = (ref: SourceRef): JoinSource => {
    const source = ctx.metastore.getSource(ref.name);
    if (!source) {
      throw new KsqlError(ref.loc ? `Line: ${ref.loc.line}, Col: ${ref.loc.col}: ${ref.name} does not exist.` : `${ref.name} does not exist.`, ref.loc);
    }
    checkPersistentSource(source, target);
    const alias = ref.alias ?? source.name;
    return { alias, source, step: buildSourceStep(source, alias, ctx) };
  };
  const typingFor = (clause: string, scope: Scope): TypingContext => ({ scope, functions: ctx.functions, config: ctx.config, metastore: ctx.metastore, clause });
  const relation = planRelation(from, ctx, sourceStep, typingFor);
  const scope = joinScope(relation.layout, relation.sources);
  const typing = (clause: string, _layout: RowLayout): TypingContext => typingFor(clause, scope);
  const first = relation.sources[0] as JoinSource;
  let step: Step = relation.step;
  if (q.where) {
    const predicate = typePredicate(q.where, typing('WHERE', relation.layout));
    step = { type: 'filter', input: step, predicate, layout: relation.layout };
  }
  // The sink inherits the FROM source's formats, as ksqlDB's analyzer does (not the join's internal key format).
  const sourcesList = relation.sources.map((s) => s.source);
  if (q.groupBy || q.window || q.having || selectHasAggregate(q.select, ctx.functions)) {
    const agg = planAggregation(q, first.source, first.alias, step, typing, ctx);
    if (target.kind === 'transient') return { ...transientPlan(q, first.source, agg.step, agg.step.layout, agg.items, true), sources: sourcesList };
    const plan = persistentPlan(q, target, first.source, first.alias, agg.step, agg.step.layout, agg.items, typing, ctx, { keyExprs: agg.keyExprs, window: agg.window });
    return { ...plan, sources: sourcesList };
  }
  const aliases = new Map<string, string>();
  for (const s of relation.sources) {
    aliases.set(s.alias, s.alias);
    if (!aliases.has(s.source.name)) aliases.set(s.source.name, s.alias);
  }
  const naming = {
    aliases,
    ...(relation.synthetic && relation.synthetic.expr.kind === 'column' ? { syntheticKey: relation.synthetic.expr.index } : {}),
    partitioned: q.partitionBy !== undefined,
  };
  const items = expandSelect(q.select, { ...typing('SELECT', relation.layout) }, relation.layout, first.alias, first.source, { generated: 0 }, naming);
  if (target.kind === 'transient') {
    const plan = transientPlan(q, first.source, step, relation.layout, items, relation.kind === 'TABLE');
    return { ...plan, sources: sourcesList };
  }

  // The key: a foreign-key join's is the left table's primary key; a key join's is the join value,
  // selected through the first viable key column the projection has, or through the synthetic key.
  let keyExprs: KeyExpr[];
  const fk = relation.foreignKeyLeft;
  if (fk) {
    keyExprs = fk.columns.map((c) => ({
      expr: { kind: 'column', type: c.type, index: c.index, text: `${fk.alias}.${c.name}` },
      text: `${fk.alias}.${nameText(c.name)}`,
      name: c.name,
      columnName: `${fk.alias}_${c.name}`,
    }));
  } else {
    keyExprs = (relation.synthetic ? [relation.synthetic] : relation.viable).map((k) => ({ expr: k.expr, text: k.text, name: k.name }));
    if (!q.partitionBy) {
      const chosen = keyExprs.find((k) => items.some((i) => !i.asValue && sameExpr(k.expr, i.expr))) ?? keyExprs[0];
      if (chosen) checkKeyType(chosen.name, chosen.expr.type as SqlType);
    }
  }
  const plan = persistentPlan(
    q,
    target,
    first.source,
    first.alias,
    step,
    relation.layout,
    items,
    typing,
    ctx,
    q.partitionBy
      ? undefined
      : {
          keyExprs,
          mode: fk ? 'foreignKey' : 'join',
          kind: relation.kind,
          ...(relation.synthetic ? { synthetic: true } : {}),
          ...(fk ? { leftTable: fk.table } : {}),
        },
    { join: true },
  );
  const keyed = !q.partitionBy && relation.keyColumn !== undefined ? withJoinKey(plan, relation.keyColumn) : plan;
  return { ...keyed, sources: sourcesList };
}

/**
 * A key join's result is keyed by the join value itself (Kafka Streams' record key), which the
 * join carries in a column of its own: the key column reads it, so that `SELECT L.ID` of a RIGHT
 * JOIN keys a row that has no left side by the right side's ID.
 */
function withJoinKey(plan: QueryPlan, keyColumn: number): QueryPlan {
  if (plan.root.key.length !== 1) return plan;
  const [k] = plan.root.key as [ProjectedColumn];
  const key: ProjectedColumn = { ...k, expr: { kind: 'column', type: k.type, index: keyColumn, text: k.expr.text } };
  const selectOrder = plan.root.selectOrder.map((c) => (c === k ? key : c));
  return { ...plan, root: { ...plan.root, key: [key], selectOrder } };
}

/** ksqlDB's check of a key column's type: maps (however nested) serialize inconsistently. */
function checkKeyType(name: string, type: SqlType): void {
  if (containsKind(type, ['MAP'])) {
    throw new KsqlError(
      `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${name}\`. Column type: ${formatType(type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
    );
  }
}

// ---------------------------------------------------------------- source

/** Push queries may read a windowed table; persistent ones may not (ksqlDB's rule). */
function checkPersistentSource(source: DataSource, target: QueryTarget): void {
  if (target.kind !== 'transient' && source.kind === 'TABLE' && source.window !== undefined) {
    throw new KsqlError('KSQL does not support persistent queries on windowed tables.');
  }
}

function buildSourceStep(source: DataSource, alias: string, ctx: QueryPlanContext): SourceStep {
  const columns: LayoutColumn[] = [];
  for (const c of source.schema.keyColumns) columns.push({ name: c.name, qualifier: alias, type: c.type, origin: 'KEY' });
  for (const c of source.schema.valueColumns) columns.push({ name: c.name, qualifier: alias, type: c.type, origin: 'VALUE' });
  for (const c of source.schema.headerColumns) {
    columns.push({
      name: c.name,
      qualifier: alias,
      type: c.type,
      origin: c.headerKey === undefined ? 'HEADERS' : 'HEADER',
      ...(c.headerKey !== undefined ? { headerKey: c.headerKey } : {}),
    });
  }
  columns.push({ name: 'ROWTIME', qualifier: alias, type: BIGINT, origin: 'ROWTIME' });
  if (ctx.property('ksql.rowpartition.rowoffset.enabled') !== 'false') {
    columns.push({ name: 'ROWPARTITION', qualifier: alias, type: INTEGER, origin: 'ROWPARTITION' });
    columns.push({ name: 'ROWOFFSET', qualifier: alias, type: BIGINT, origin: 'ROWOFFSET' });
  }
  if (source.window) {
    columns.push({ name: 'WINDOWSTART', qualifier: alias, type: BIGINT, origin: 'WINDOWSTART' });
    columns.push({ name: 'WINDOWEND', qualifier: alias, type: BIGINT, origin: 'WINDOWEND' });
  }
  const layout = { columns };
  const ts = source.timestamp;
  if (!ts) return { type: 'source', source, alias, layout };
  const index = columns.findIndex((c) => c.name === ts.column && (c.origin === 'KEY' || c.origin === 'VALUE'));
  const col = columns[index] as LayoutColumn;
  return {
    type: 'source',
    source,
    alias,
    layout,
    timestamp: { index, type: col.type, ...(ts.format !== undefined ? { format: ts.format } : {}) },
  };
}

// ---------------------------------------------------------------- transient

function transientPlan(q: Query, source: DataSource, input: Step, layout: RowLayout, items: SelectColumn[], aggregated = false): QueryPlan {
  checkDuplicates(items.map((i) => ({ name: i.name, type: i.expr.type as SqlType })));
  const selectOrder = items.map((i) => ({ name: i.name, type: i.expr.type as SqlType, expr: i.expr }));
  const root: ProjectStep = { type: 'project', input, key: [], value: selectOrder, selectOrder, layout };
  const builder = LogicalSchema.builder();
  for (const c of selectOrder) builder.valueColumn(c.name, c.type);
  return {
    kind: 'transient',
    sources: [source],
    root,
    schema: builder.build(),
    isTable: aggregated || source.kind === 'TABLE',
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    warnings: [],
  };
}

// ---------------------------------------------------------------- persistent

function persistentPlan(
  q: Query,
  target: Exclude<QueryTarget, { kind: 'transient' }>,
  source: DataSource,
  alias: string,
  input: Step,
  layout: RowLayout,
  items: SelectColumn[],
  typing: (clause: string, layout: RowLayout) => TypingContext,
  ctx: QueryPlanContext,
  grouping?: {
    keyExprs: KeyExpr[];
    window?: WindowPlan | undefined;
    /** 'join': the key expressions are alternatives (any one of them is the key); 'foreignKey': all are required. */
    mode?: 'grouping' | 'join' | 'foreignKey';
    kind?: 'STREAM' | 'TABLE';
    /** For foreign-key joins, the left table named in the error. */
    leftTable?: string;
    /** The join's key is a synthetic column (it equals no source column). */
    synthetic?: boolean;
  },
  /** `join`: the rows are a join's (a star selected every source's columns already). */
  options: { join?: boolean } = {},
): QueryPlan {
  const sinkName = target.kind === 'create' ? target.statement.name : target.target;
  const warnings: string[] = [];

  // The expressions that make the output key: GROUP BY, PARTITION BY, else the source's key columns.
  const partitionBy = grouping ? undefined : q.partitionBy;
  if (grouping && q.partitionBy) throw new KsqlError('PARTITION BY cannot be used with GROUP BY: the grouping expressions are the key.');
  if (partitionBy !== undefined && partitionBy.length === 0) throw new KsqlError('PARTITION BY requires at least one expression');
  const nullPartition = partitionBy !== undefined && partitionBy.length === 1 && partitionBy[0]?.type === 'null';
  let keyExprs: KeyExpr[];
  if (grouping) {
    keyExprs = grouping.keyExprs;
  } else if (partitionBy && !nullPartition) {
    let generated = items.filter((i) => !i.aliased && /^KSQL_COL_\d+$/.test(i.name)).length;
    keyExprs = partitionBy.map((p) => {
      const expr = typeExpr(p, typing('PARTITION BY', layout));
      if (expr.type === null) throw new KsqlError('PARTITION BY expression cannot be NULL literal when other expressions are used.');
      const name = derivedName(p) ?? `KSQL_COL_${generated++}`;
      return { expr, source: p, text: qualifiedText(p, alias), name };
    });
  } else if (nullPartition) {
    keyExprs = [];
  } else {
    keyExprs = layout.columns
      .map((c, index) => ({ c, index }))
      .filter(({ c }) => c.origin === 'KEY')
      .map(({ c, index }) => ({ expr: { kind: 'column', type: c.type, index, text: c.name } as TypedExpr, text: c.name, name: c.name }));
  }

  for (const item of items) checkReservedName(item);

  // Which select items are the key: the ones that compute a key expression (AS_VALUE never is).
  const keyItems: (SelectColumn | undefined)[] = keyExprs.map(() => undefined);
  const valueItems: SelectColumn[] = [];
  const joinKey = grouping?.mode === 'join';
  const duplicateKey = (name: string, aliases: readonly string[]) =>
    new KsqlError(
      `The projection contains a key column (\`${name}\`) more than once, aliased as: ${joinNames([...aliases].sort())}.` +
        `\nEach key column must only be in the projection once. If you intended to copy the key into the value, then consider using the AS_VALUE function to indicate which key reference should be copied.`,
    );
  if (joinKey) {
    // ksqlDB: the key is the first of the equivalent key columns (in join order) that the projection selects.
    const chosen = keyExprs.find((ke) => items.some((i) => !i.asValue && sameExpr(ke.expr, i.expr)));
    const selected = chosen ? items.filter((i) => !i.asValue && sameExpr(chosen.expr, i.expr)) : [];
    if (chosen && selected.length > 1) throw duplicateKey(chosen.columnName ?? chosen.name, selected.map((i) => i.name));
    keyItems[0] = selected[0];
    for (const item of items) if (item !== selected[0]) valueItems.push(item);
  } else {
    for (const item of items) {
      const k = item.asValue ? -1 : keyExprs.findIndex((ke) => sameExpr(ke.expr, item.expr));
      if (k < 0) {
        valueItems.push(item);
        continue;
      }
      const previous = keyItems[k];
      if (previous) throw duplicateKey(keyExprs[k]?.columnName ?? (keyExprs[k] as KeyExpr).name, [previous.name, item.name]);
      keyItems[k] = item;
    }
  }

  // With PARTITION BY, SELECT * yields the new key and moves the old key columns to the end of the value
  // (a join's star lists each source's key columns among its columns already).
  if (partitionBy && !nullPartition && !options.join) {
    keyExprs.forEach((ke, k) => {
      if (keyItems[k] || !items.some((i) => i.fromStar)) return;
      keyItems[k] = { name: ke.name, expr: ke.expr, aliased: false, asValue: false, fromStar: true };
    });
    const starKeyIdx = new Set(
      items.filter((i) => i.fromStar && i.expr.kind === 'column' && layout.columns[i.expr.index]?.origin === 'KEY').map((i) => i),
    );
    const reordered = [
      ...valueItems.filter((i) => !starKeyIdx.has(i) && !keyExprs.some((ke) => ke.expr.kind === 'column' && i.fromStar && sameExpr(ke.expr, i.expr))),
      ...valueItems.filter((i) => starKeyIdx.has(i)),
    ];
    valueItems.splice(0, valueItems.length, ...reordered);
  }

  const missing = joinKey ? (keyItems[0] ? [] : keyExprs) : keyExprs.filter((_, k) => !keyItems[k]);
  let keyless = false;
  if (joinKey && grouping?.synthetic && missing.length > 0) {
    const name = (keyExprs[0] as KeyExpr).name;
    throw new KsqlError(
      `Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build \`${sinkName}\` must include the join expression ${name} in its projection (eg, SELECT ${name}...).\n${name} was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased.`,
    );
  }
  if (missing.length > 0) {
    const isStream = sinkKind(target, ctx) === 'STREAM';
    const strict = ctx.property('ksql.new.query.planner.enabled') === 'false';
    if (grouping?.mode === 'join') {
      const texts = missing.map((m) => m.text);
      const list = texts.length <= 1 ? texts.join('') : `${texts.slice(0, -1).join(', ')} or ${texts[texts.length - 1]}`;
      throw new KsqlError(
        `The query used to build \`${sinkName}\` must include the join ${texts.length === 1 ? 'expression' : 'expressions'} ${list} in its projection (eg, SELECT ${texts[0]}...).`,
      );
    }
    if (grouping?.mode === 'foreignKey') {
      const names = missing.map((m) => `\`${m.name}\``);
      throw new KsqlError(
        `Primary key ${names.length === 1 ? 'column' : 'columns'} missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (\`${grouping.leftTable}\`). Missing ${names.length === 1 ? 'column' : 'columns'}: ${names.join(', ')}.`,
      );
    }
    if (grouping) {
      const what = missing.length === 1 ? 'grouping expression' : 'grouping expressions';
      throw new KsqlError(
        `The query used to build \`${sinkName}\` must include the ${what} ${joinNames(missing.map((m) => m.text))} in its projection (eg, SELECT ${missing.map((m) => m.text).join(', ')}...).`,
      );
    }
    if (partitionBy) {
      const what = missing.length === 1 ? 'partitioning expression' : 'partitioning expressions';
      throw new KsqlError(
        `The query used to build \`${sinkName}\` must include the ${what} ${joinNames(missing.map((m) => m.text))} in its projection (eg, SELECT ${missing.map((m) => m.text).join(', ')}...).`,
      );
    }
    if (!isStream || strict) {
      const what = missing.length === 1 ? 'key column' : 'key columns';
      throw new KsqlError(
        `The query used to build \`${sinkName}\` must include the ${what} ${joinNames(missing.map((m) => m.text))} in its projection (eg, SELECT ${missing.map((m) => m.text).join(', ')}...).`,
      );
    }
    keyless = true;
    warnings.push(
      `The projection of ${sinkName} leaves out the key column${missing.length > 1 ? 's' : ''} ${joinNames(missing.map((m) => m.name))} of ${source.name}, so ${sinkName} has no key. ` +
        `To keep it, add ${missing.map((m) => m.name).join(', ')} to the SELECT list (or set 'ksql.new.query.planner.enabled'='false' for ksqlDB's error).`,
    );
  }

  // The old planner orders key columns as the source does; the new one as the projection does.
  const keyCount = joinKey ? 1 : keyExprs.length;
  let keyColumns: ProjectedColumn[] = keyless
    ? []
    : keyItems.slice(0, keyCount).map((item, k) => ({ name: (item as SelectColumn).name, type: (item as SelectColumn).expr.type as SqlType, expr: (item as SelectColumn).expr }));
  void keyCount;
  if (!keyless && ctx.property('ksql.new.query.planner.enabled') === 'true' && !partitionBy && !grouping) {
    const order = items.filter((i) => keyItems.includes(i));
    keyColumns = order.map((i) => keyColumns[keyItems.indexOf(i)] as ProjectedColumn);
  }
  const valueColumns: ProjectedColumn[] = valueItems.map((i) => ({ name: i.name, type: i.expr.type as SqlType, expr: i.expr }));
  checkDuplicates([...keyColumns, ...valueColumns]);
  if (valueColumns.length === 0) throw new KsqlError('The projection contains no value columns.');

  const schemaBuilder = LogicalSchema.builder();
  for (const c of keyColumns) schemaBuilder.keyColumn(c.name, c.type);
  for (const c of valueColumns) schemaBuilder.valueColumn(c.name, c.type);
  const schema = schemaBuilder.build();

  const resultKind: 'STREAM' | 'TABLE' = grouping?.kind ?? (grouping ? 'TABLE' : source.kind);
  // Aggregates keep their intermediate state in the sink's value format: it must be able to hold it.
  const aggregation = aggregateOf(input);
  const checkIntermediate = (valueFormat: string) => {
    const unsupported = FORMATS[valueFormat]?.unsupported ?? [];
    for (const a of aggregation?.aggregates ?? []) {
      const intermediate = a.fn.create(a.literals).intermediateType;
      if (intermediate && unsupported.includes(intermediate.kind)) {
        throw new KsqlError(
          'One of the functions used in the statement has an intermediate type that the value format can not handle. Please remove the function or change the format.',
        );
      }
    }
  };
  const { sink, timestamp }: { sink: SinkSpec; timestamp?: ProjectStep['timestamp'] } =
    target.kind === 'create'
      ? createSink(target, resultKind, schema, source, keyColumns, valueColumns, layout, typing, ctx, grouping?.window, checkIntermediate)
      : insertSink(target, resultKind, schema, ctx);

  const selectOrder = [...keyColumns, ...valueColumns];
  const root: ProjectStep = {
    type: 'project',
    input,
    key: keyColumns,
    value: valueColumns,
    selectOrder,
    ...(partitionBy || grouping ? { rekeyed: true } : {}),
    ...(timestamp ? { timestamp } : {}),
    layout,
  };
  return {
    kind: 'persistent',
    sources: [source],
    root,
    schema,
    sink,
    isTable: resultKind === 'TABLE',
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    warnings,
  };
}

function sinkKind(target: Exclude<QueryTarget, { kind: 'transient' }>, ctx: QueryPlanContext): 'STREAM' | 'TABLE' {
  if (target.kind === 'create') return target.statement.kind;
  return ctx.metastore.getSource(target.target)?.kind ?? 'STREAM';
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function checkReservedName(item: SelectColumn): void {
  const name = item.name;
  if (!(isPseudoColumnName(name) || isWindowBoundName(name))) return;
  // `X.ROWTIME AS ROWTIME` names the column as it is named: that is selecting it, not aliasing it.
  const sameName = item.source?.type === 'column' && item.source.name === name;
  if (item.aliased && !sameName) {
    throw new KsqlError(`\`${name}\` is a reserved column name. You cannot use it as an alias for a column.`);
  }
  throw new KsqlError(`Reserved column name in select: \`${name}\`. Please remove or alias the column.`);
}

function checkDuplicates(columns: readonly { name: string; type: SqlType }[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new KsqlError(`Duplicate value columns found in schema: \`${c.name}\` ${formatType(c.type)}`);
    seen.add(c.name);
  }
}

// ---------------------------------------------------------------- sinks

function createSink(
  target: Extract<QueryTarget, { kind: 'create' }>,
  resultKind: 'STREAM' | 'TABLE',
  schema: LogicalSchema,
  source: DataSource,
  keyColumns: readonly ProjectedColumn[],
  valueColumns: readonly ProjectedColumn[],
  layout: RowLayout,
  typing: (clause: string, layout: RowLayout) => TypingContext,
  ctx: QueryPlanContext,
  window?: WindowPlan,
  checkIntermediate?: (valueFormat: string) => void,
): { sink: SinkSpec; timestamp?: ProjectStep['timestamp'] } {
  const stmt = target.statement;
  if (stmt.kind !== resultKind) {
    throw new KsqlError(
      `Invalid result type. Your SELECT query produces a ${resultKind}. Please use CREATE ${resultKind} AS SELECT statement instead.`,
    );
  }
  const withClause = new WithClause(stmt.properties, SINK_PROPERTIES);
  const existing = ctx.metastore.getSource(stmt.name);
  if (existing && !stmt.ifNotExists) checkReplace(existing, stmt.kind, stmt.name, stmt.orReplace, false);

  const prefix = ctx.property('ksql.output.topic.name.prefix') ?? '';
  const topic = withClause.string('KAFKA_TOPIC') ?? `${prefix}${stmt.name}`;
  const sourceTopic = ctx.topicInfo(source.topic);
  const existingTopic = ctx.topicInfo(topic);
  const sinkPartitions = ctx.property('ksql.sink.partitions')?.trim();
  const partitions =
    withClause.integer('PARTITIONS') ?? (sinkPartitions ? Number(sinkPartitions) : undefined) ?? existingTopic?.partitions ?? sourceTopic?.partitions ?? 1;
  const sinkReplicas = ctx.property('ksql.sink.replicas')?.trim();
  const replicasText = withClause.integer('REPLICAS') ?? (sinkReplicas ? Number(sinkReplicas) : undefined);
  const replicas = replicasText ?? existingTopic?.replicas ?? sourceTopic?.replicas ?? 1;

  // Formats: explicit, else inherited; a key format that cannot hold the new key falls back to the value format.
  const both = withClause.string('FORMAT');
  if (both !== undefined && (withClause.has('KEY_FORMAT') || withClause.has('VALUE_FORMAT'))) {
    throw new KsqlError(
      `Cannot supply both '${withClause.has('VALUE_FORMAT') ? 'VALUE_FORMAT' : 'KEY_FORMAT'}' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.`,
    );
  }
  const explicitValue = withClause.string('VALUE_FORMAT') ?? both;
  const explicitKey = withClause.string('KEY_FORMAT') ?? both;
  const valueFormatName = explicitValue !== undefined ? lookupFormat(explicitValue).name : source.valueFormat.format;
  const valueFormat: FormatSpec = {
    format: valueFormatName,
    properties: sinkFormatProperties(withClause, 'VALUE', explicitValue === undefined ? source.valueFormat : undefined),
  };
  let keyFormat: FormatSpec;
  if (keyColumns.length === 0) {
    if (explicitKey !== undefined && lookupFormat(explicitKey).name !== 'NONE' && both === undefined) {
      throw new KsqlError('Key format specified for stream without key columns.');
    }
    keyFormat = { format: 'NONE', properties: {} };
  } else if (explicitKey !== undefined) {
    keyFormat = { format: lookupFormat(explicitKey).name, properties: sinkFormatProperties(withClause, 'KEY', undefined) };
  } else {
    // The key format is inherited; a keyless source (NONE) gives way to the default key format, as in ksqlDB.
    const inherited = source.keyFormat.format;
    keyFormat =
      inherited !== 'NONE'
        ? { format: inherited, properties: sinkFormatProperties(withClause, 'KEY', source.keyFormat) }
        : { format: lookupFormat(ctx.property('ksql.persistence.default.format.key') || 'KAFKA').name, properties: {} };
  }
  checkIntermediate?.(valueFormat.format);
  checkFormatSupports('Key', keyFormat.format, keyColumns, true);
  checkFormatSupports('Value', valueFormat.format, valueColumns, false);
  const valueFeatures = sinkWrapping(withClause, valueFormat.format, valueColumns.length, ctx);

  let timestamp: ProjectStep['timestamp'];
  const tsColumn = withClause.string('TIMESTAMP');
  let timestampSpec: DataSource['timestamp'];
  if (tsColumn !== undefined) {
    const name = tsColumn.trim().replace(/^`(.*)`$/, '$1');
    const col = [...keyColumns, ...valueColumns].find((c) => c.name === name || c.name === name.toUpperCase());
    if (!col) throw new KsqlError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name.toUpperCase()}'`);
    const format = withClause.string('TIMESTAMP_FORMAT');
    if (!(col.type.kind === 'BIGINT' || col.type.kind === 'TIMESTAMP' || (col.type.kind === 'STRING' && format !== undefined))) {
      throw new KsqlError(`Timestamp column, \`${col.name}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`);
    }
    timestamp = { expr: col.expr, ...(format !== undefined ? { format } : {}) };
    timestampSpec = { column: col.name, ...(format !== undefined ? { format } : {}) };
  }
  void typing;
  void layout;

  const sinkSource: DataSource = {
    name: stmt.name,
    kind: stmt.kind,
    topic,
    schema,
    keyFormat,
    valueFormat,
    keyFeatures: [],
    valueFeatures,
    ...(window
      ? { window: window.type === 'SESSION' ? { type: 'SESSION' as const } : { type: window.type, sizeMs: window.sizeMs } }
      : source.window
        ? { window: source.window }
        : {}),
    ...(timestampSpec ? { timestamp: timestampSpec } : {}),
    isSource: false,
    sql: target.sql,
    ...(ctx.queryId !== undefined ? { createdByQueryId: ctx.queryId } : {}),
  };
  return {
    sink: { source: sinkSource, topic, keyFormat, valueFormat, valueFeatures, partitions, replicas, isTable: stmt.kind === 'TABLE' },
    ...(timestamp ? { timestamp } : {}),
  };
}

function containsKind(t: SqlType, kinds: readonly SqlType['kind'][]): boolean {
  if (kinds.includes(t.kind)) return true;
  if (t.kind === 'ARRAY') return containsKind(t.item, kinds);
  if (t.kind === 'MAP') return containsKind(t.key, kinds) || containsKind(t.value, kinds);
  if (t.kind === 'STRUCT') return t.fields.some((f) => containsKind(f.type, kinds));
  return false;
}

function sinkFormatProperties(withClause: WithClause, side: 'KEY' | 'VALUE', inherited: FormatSpec | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (inherited?.properties.delimiter !== undefined) out.delimiter = inherited.properties.delimiter;
  const delimiter = withClause.string(side === 'KEY' ? 'KEY_DELIMITER' : 'VALUE_DELIMITER');
  if (delimiter !== undefined) out.delimiter = parseDelimiter(side, delimiter);
  const fullName =
    side === 'KEY' ? withClause.string('KEY_SCHEMA_FULL_NAME') : withClause.string('VALUE_SCHEMA_FULL_NAME') ?? withClause.string('VALUE_AVRO_SCHEMA_FULL_NAME');
  if (fullName !== undefined) out.fullSchemaName = fullName;
  const schemaId = withClause.string(side === 'KEY' ? 'KEY_SCHEMA_ID' : 'VALUE_SCHEMA_ID');
  if (schemaId !== undefined) out.schemaId = schemaId;
  return out;
}

function sinkWrapping(withClause: WithClause, format: string, valueCount: number, ctx: QueryPlanContext): SerdeFeature[] {
  const explicit = withClause.boolean('WRAP_SINGLE_VALUE');
  if (explicit === undefined) {
    if (ctx.property('ksql.persistence.wrap.single.values') === 'false' && valueCount === 1 && FORMATS[format]?.wrapping) {
      return ['UNWRAP_SINGLE_VALUES'];
    }
    return [];
  }
  if (!wrappingApplies(format, explicit)) return [];
  if (valueCount !== 1) throw new KsqlError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  return [explicit ? 'WRAP_SINGLE_VALUES' : 'UNWRAP_SINGLE_VALUES'];
}

function insertSink(
  target: Extract<QueryTarget, { kind: 'insert' }>,
  resultKind: 'STREAM' | 'TABLE',
  schema: LogicalSchema,
  ctx: QueryPlanContext,
): { sink: SinkSpec } {
  const sink = ctx.metastore.getSource(target.target);
  if (!sink) {
    const where = target.loc ? `Line: ${target.loc.line}, Col: ${target.loc.col}: ` : '';
    throw new KsqlError(`${where}Source \`${target.target}\` does not exist.`, target.loc);
  }
  if (sink.kind !== 'STREAM') throw new KsqlError(`INSERT INTO can only be used to insert into a stream. ${sink.name} is a table.`);
  if (sink.isSource) throw new KsqlError(`Cannot insert into read-only ${sink.kind.toLowerCase()}: ${sink.name}`);
  if (resultKind !== 'STREAM') throw new KsqlError(`INSERT INTO can only be used to insert from a stream. The query produces a table.`);
  if (!schemasMatch(schema, sink.schema)) {
    throw new KsqlError(
      `Incompatible schema between results and sink.\nResult schema is ${formatColumns(schema)}\nSink schema is ${formatColumns(sink.schema)}`,
    );
  }
  const topic = ctx.topicInfo(sink.topic);
  return {
    sink: {
      source: sink,
      topic: sink.topic,
      keyFormat: sink.keyFormat,
      valueFormat: sink.valueFormat,
      valueFeatures: sink.valueFeatures,
      partitions: topic?.partitions ?? 1,
      replicas: topic?.replicas ?? 1,
      isTable: false,
    },
  };
}

function schemasMatch(a: LogicalSchema, b: LogicalSchema): boolean {
  const ca = [...a.keyColumns, ...a.valueColumns];
  const cb = [...b.keyColumns, ...b.valueColumns];
  return (
    a.keyColumns.length === b.keyColumns.length &&
    ca.length === cb.length &&
    ca.every((c, i) => c.name === cb[i]?.name && typesEqual(c.type, (cb[i] as { type: SqlType }).type))
  );
}

function formatColumns(s: LogicalSchema): string {
  return [
    ...s.keyColumns.map((c) => `\`${c.name}\` ${formatType(c.type)} KEY`),
    ...s.valueColumns.map((c) => `\`${c.name}\` ${formatType(c.type)}`),
  ].join(', ');
}

