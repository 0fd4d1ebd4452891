/**
 * Planning joins: stream-stream (windowed), stream-table, table-table on the
 * key, foreign-key table-table, and left-deep chains of them. Checks the join
 * conditions as ksqlDB does (one equality, each side from one source, the
 * table's primary key, matching types, co-partitioning, windowed sources) and
 * decides the result's key as ksqlDB's JoinTree does: the join value, which the
 * projection selects through one of the viable key columns, or through a
 * synthetic key column (ROWKEY) when no source column equals it.
 */
import { queryExprs, walkExpr, type Expr, type JoinRelation, type Query, type Relation, type SourceRef } from '../parser/index.js';
import { formatType, typesEqual, type SqlType } from '../schema/index.js';
import type { QueryPlanContext } from './context.js';
import { KsqlError } from './errors.js';
import { typeExpr, type ResolvedColumn, type Scope, type TypingContext } from './expressions.js';
import type { DataSource, FormatSpec, WindowInfo } from './metastore.js';
import type { JoinStep, LayoutColumn, RowLayout, SourceStep, Step } from './plan.js';
import { sameExpr } from './select.js';
import { exprText } from './text.js';
import { typedChildren, type TypedExpr } from './typed.js';

export interface JoinSource {
  readonly alias: string;
  readonly source: DataSource;
  readonly step: SourceStep;
}

/** A column the projection may select as the join's key. */
export interface KeyCandidate {
  /** Over the relation's layout. */
  readonly expr: TypedExpr;
  /** As ksqlDB's messages write it: `L.ID`. */
  readonly text: string;
  /** The key column's name in ksqlDB's join schema: `L_ID` (or the synthetic key's name). */
  readonly name: string;
}

/** A key format and, for windowed keys, the window (KLIP-33: what decides whether a side is repartitioned). */
export interface JoinKeyFormat {
  readonly format: FormatSpec;
  readonly window?: WindowInfo;
}

export interface PlannedRelation {
  readonly step: Step;
  readonly layout: RowLayout;
  readonly sources: readonly JoinSource[];
  /** Expressions (over `layout`) equal to the join value: ksqlDB's join equivalence set (empty for FULL joins). */
  readonly equivalent: readonly TypedExpr[];
  /** The source columns equal to the key, in ksqlDB's order; empty for a synthetic or a foreign-key join's key. */
  readonly viable: readonly KeyCandidate[];
  /** The position of the column holding the join value (key joins; not foreign-key joins). */
  readonly keyColumn?: number;
  /** The key column no source column equals (FULL OUTER joins, joins on expressions). */
  readonly synthetic?: KeyCandidate;
  /** For foreign-key joins: the left table's primary key columns (over `layout`). */
  readonly foreignKeyLeft?: { readonly alias: string; readonly table: string; readonly columns: readonly { index: number; name: string; type: SqlType }[] };
  readonly kind: 'STREAM' | 'TABLE';
  readonly windowed: boolean;
  /** The key format the result prefers (KLIP-33): a side's own, when the join reads its key unchanged. */
  readonly preferredKeyFormat?: JoinKeyFormat;
}

const JOIN_WORDS = { INNER: '[INNER] JOIN', LEFT: 'LEFT [OUTER] JOIN', RIGHT: 'RIGHT [OUTER] JOIN', FULL: 'FULL [OUTER] JOIN' } as const;

const UNIT_MS: Record<string, number> = { MILLISECONDS: 1, SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };
const ms = (d: { value: number; unit: string }) => d.value * (UNIT_MS[d.unit] ?? 1);

/** Key formats whose schemas come from the Schema Registry: ksqlDB always repartitions them for a join. */
const SCHEMA_INFERENCE_FORMATS = new Set(['AVRO', 'JSON_SR', 'PROTOBUF']);

/** Names visible over a joined row: qualified by alias (or source name), or unqualified when unique. */
export function joinScope(layout: RowLayout, sources: readonly JoinSource[]): Scope {
  return {
    resolveColumn(qualifier: string | undefined, name: string): ResolvedColumn | undefined {
      if (qualifier !== undefined) {
        const src = sources.find((s) => s.alias === qualifier) ?? sources.find((s) => s.source.name === qualifier && s.alias === s.source.name);
        if (!src) throw new KsqlError(`'${qualifier}' is not a valid stream/table name or alias.`);
        const index = layout.columns.findIndex((c) => c.qualifier === src.alias && c.name === name && c.origin !== 'DERIVED');
        if (index < 0) return undefined;
        return { index, type: (layout.columns[index] as LayoutColumn).type, name };
      }
      const matches = layout.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.name === name && c.origin !== 'DERIVED');
      if (matches.length === 0) return undefined;
      if (matches.length > 1) {
        throw new KsqlError(`Column '${name}' is ambiguous. Could be any of: ${matches.map(({ c }) => `${c.qualifier}.${c.name}`).join(', ')}`);
      }
      const m = matches[0] as { c: LayoutColumn; i: number };
      return { index: m.i, type: m.c.type, name };
    },
  };
}

/** The sources of a FROM clause, left to right. */
function relationSources(rel: Relation): SourceRef[] {
  return rel.type === 'sourceRef' ? [rel] : [...relationSources(rel.left), rel.right];
}

/** The joins of a FROM clause, innermost first. */
function relationJoins(rel: Relation): JoinRelation[] {
  return rel.type === 'sourceRef' ? [] : [...relationJoins(rel.left), rel];
}

/**
 * What ksqlDB checks while it prepares and analyzes a join query, before it plans
 * any join: every qualifier names a source, and no join condition compares a
 * source with itself.
 */
export function checkJoinQuery(q: Query, ctx: QueryPlanContext): void {
  const refs = relationSources(q.from);
  const sources = refs.flatMap((r) => {
    const source = ctx.metastore.getSource(r.name);
    return source ? [{ ref: r, source, alias: r.alias ?? source.name }] : [];
  });
  if (sources.length !== refs.length) return;
  const qualifiers = new Set(sources.flatMap((s) => [s.alias, s.source.name]));
  for (const e of queryExprs(q)) {
    walkExpr(e, (x) => {
      if (x.type === 'column' && x.source !== undefined && !qualifiers.has(x.source)) {
        throw new KsqlError(`Failed to prepare statement: '${x.source}' is not a valid stream/table name or alias.`);
      }
    });
  }
  // The sources an ON side reads (an unqualified name counts when exactly one source has it).
  const owners = (name: string) =>
    sources.filter((s) => [...s.source.schema.keyColumns, ...s.source.schema.valueColumns, ...s.source.schema.headerColumns].some((c) => c.name === name));
  const sidesOf = (e: Expr): Set<string> => {
    const out = new Set<string>();
    walkExpr(e, (x) => {
      if (x.type !== 'column') return;
      if (x.source !== undefined) {
        const s = sources.find((c) => c.alias === x.source) ?? sources.find((c) => c.source.name === x.source);
        if (s) out.add(s.alias);
      } else {
        const found = owners(x.name);
        if (found.length === 1) out.add((found[0] as (typeof sources)[number]).alias);
      }
    });
    return out;
  };
  for (const join of relationJoins(q.from)) {
    const on = join.on;
    if (on.type !== 'binary' || on.op !== '=') continue;
    const l = sidesOf(on.left);
    const r = sidesOf(on.right);
    if (l.size === 1 && r.size === 1 && [...l][0] === [...r][0]) {
      throw new KsqlError(
        `Each side of the join must reference exactly one source and not the same source. Left side references \`${[...l][0]}\` and right references \`${[...r][0]}\``,
      );
    }
  }
}

/** The aliases whose columns an expression (over `layout`) reads. */
function aliasesOf(e: TypedExpr, layout: RowLayout): Set<string> {
  const out = new Set<string>();
  const visit = (x: TypedExpr): void => {
    if (x.kind === 'column') {
      const q = layout.columns[x.index]?.qualifier;
      if (q !== undefined) out.add(q);
    }
    for (const child of typedChildren(x)) visit(child);
  };
  visit(e);
  return out;
}

/** An expression written with every column qualified by its source alias, as ksqlDB's messages show it. */
function qualifiedText(e: Expr, layout: RowLayout, sources: readonly JoinSource[]): string {
  const scope = joinScope(layout, sources);
  const rewrite = (x: Expr): Expr => {
    switch (x.type) {
      case 'column': {
        if (x.source !== undefined) return x;
        try {
          const col = scope.resolveColumn(undefined, x.name);
          const q = col ? layout.columns[col.index]?.qualifier : undefined;
          return q ? { ...x, source: q } : x;
        } catch {
          return x;
        }
      }
      default: {
        const copy: Record<string, unknown> = { ...x };
        for (const [k, v] of Object.entries(x)) {
          if (v && typeof v === 'object' && 'type' in (v as object) && k !== 'target' && k !== 'loc') copy[k] = rewrite(v as Expr);
          else if (Array.isArray(v)) copy[k] = v.map((i) => (i && typeof i === 'object' && 'type' in i ? rewrite(i as Expr) : i));
        }
        return copy as Expr;
      }
    }
  };
  return exprText(rewrite(e));
}

/**
 * Whether an expression is a source's primary key, as ksqlDB's joinOnNonKeyAttribute
 * decides it: a plain reference to the only key column of its source.
 */
function isKeyAttribute(e: TypedExpr, layout: RowLayout): boolean {
  if (e.kind !== 'column') return false;
  const c = layout.columns[e.index];
  if (c === undefined || c.origin !== 'KEY' || c.qualifier === undefined) return false;
  return layout.columns.filter((x) => x.origin === 'KEY' && x.qualifier === c.qualifier).length === 1;
}

function keyIndexes(layout: RowLayout, aliases: ReadonlySet<string>): number[] {
  return layout.columns.flatMap((c, i) => (c.origin === 'KEY' && c.qualifier !== undefined && aliases.has(c.qualifier) ? [i] : []));
}

/** A source's key format and window. */
function sourceKeyFormat(source: DataSource): JoinKeyFormat {
  return { format: source.keyFormat, ...(source.window ? { window: source.window } : {}) };
}

function sameKeyFormat(a: JoinKeyFormat, b: JoinKeyFormat): boolean {
  return a.format.format === b.format.format && a.window?.type === b.window?.type && a.window?.sizeMs === b.window?.sizeMs;
}

/**
 * ksqlDB's synthetic key column name: ROWKEY, or ROWKEY_n with the first n that no
 * column of the joined sources uses.
 */
function syntheticKeyName(sources: readonly DataSource[]): string {
  const used = new Set<number>();
  for (const s of sources) {
    for (const c of [...s.schema.keyColumns, ...s.schema.valueColumns, ...s.schema.headerColumns]) {
      const m = /^ROWKEY(?:_(\d+))?$/.exec(c.name);
      if (m) used.add(m[1] === undefined ? 0 : Number(m[1]));
    }
  }
  let n = 0;
  while (used.has(n)) n++;
  return n === 0 ? 'ROWKEY' : `ROWKEY_${n}`;
}

export function planRelation(
  rel: Relation,
  ctx: QueryPlanContext,
  sourceStep: (ref: SourceRef) => JoinSource,
  typingFor: (clause: string, scope: Scope) => TypingContext,
  final = true,
): PlannedRelation {
  if (rel.type === 'sourceRef') {
    const s = sourceStep(rel);
    return {
      step: s.step,
      layout: s.step.layout,
      sources: [s],
      equivalent: [],
      viable: [],
      kind: s.source.kind,
      windowed: s.source.window !== undefined,
      preferredKeyFormat: sourceKeyFormat(s.source),
    };
  }
  return planJoin(rel, ctx, sourceStep, typingFor, final);
}

function planJoin(
  rel: JoinRelation,
  ctx: QueryPlanContext,
  sourceStep: (ref: SourceRef) => JoinSource,
  typingFor: (clause: string, scope: Scope) => TypingContext,
  final: boolean,
): PlannedRelation {
  const left = planRelation(rel.left, ctx, sourceStep, typingFor, false);
  const rightSource = sourceStep(rel.right);
  const nWay = rel.left.type === 'join';
  if (left.sources.some((s) => s.source.name === rightSource.source.name)) {
    if (nWay) throw new KsqlError(`N-way joins do not support multiple occurrences of the same source. Source: '${rightSource.source.name}'`);
    throw new KsqlError(`Can not join '${left.sources[0]?.source.name}' to '${rightSource.source.name}': self joins are not yet supported.`);
  }
  const rightLayout = rightSource.step.layout;
  const width = left.layout.columns.length;
  const joined: RowLayout = { columns: [...left.layout.columns, ...rightLayout.columns] };
  const sources = [...left.sources, rightSource];

  // KAFKA values carry one column: ksqlDB refuses joins over them.
  const kafkaSources = sources.filter((s) => s.source.valueFormat.format === 'KAFKA').map((s) => s.source.name);
  if (kafkaSources.length > 0) {
    throw new KsqlError(`Source(s) ${kafkaSources.join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`);
  }
  checkWindowed(left, rightSource);

  // ON: one equality, each side over one source (the right source on one side).
  const on = rel.on;
  const onText = qualifiedText(on, joined, sources);
  if (on.type !== 'binary' || on.op !== '=') {
    if (on.type === 'binary' && on.op === 'AND') {
      throw new KsqlError(`Invalid join condition: joins on multiple conditions are not yet supported. Got ${onText}.`);
    }
    throw new KsqlError(`Unsupported join expression: ${onText}`);
  }
  const typing = typingFor('JOIN ON', joinScope(joined, sources));
  let a = typeExpr(on.left, typing);
  let b = typeExpr(on.right, typing);
  let aAst = on.left;
  let bAst = on.right;
  for (const [side, ast] of [
    [a, on.left],
    [b, on.right],
  ] as const) {
    const refs = aliasesOf(side, joined);
    if (refs.size !== 1) {
      throw new KsqlError(
        `Invalid comparison expression '${exprText(ast)}' in join '${onText}'. Each side of the join comparision must contain references from exactly one source.`,
      );
    }
  }
  const aRefs = [...aliasesOf(a, joined)][0] as string;
  const bRefs = [...aliasesOf(b, joined)][0] as string;
  if (aRefs === bRefs) {
    throw new KsqlError(`Each side of the join must reference exactly one source and not the same source. Left side references \`${aRefs}\` and right references \`${bRefs}\``);
  }
  // ksqlDB's messages show the condition as written; the plan puts the right source's side second.
  const written = `${qualifiedText(on.left, joined, sources)} = ${qualifiedText(on.right, joined, sources)}`;
  const flipped = aRefs === rightSource.alias;
  if (flipped) {
    [a, b] = [b, a];
    [aAst, bAst] = [bAst, aAst];
  } else if (bRefs !== rightSource.alias) {
    throw new KsqlError(`Invalid join condition: the join must reference ${rightSource.alias}. Got ${onText}.`);
  }
  const leftKeyText = qualifiedText(aAst, joined, sources);
  const rightKeyText = qualifiedText(bAst, joined, sources);
  if (a.type === null || b.type === null || !typesEqual(a.type, b.type)) {
    const typed = (text: string, t: SqlType | null) => `${text}{${t ? formatType(t) : 'NULL'}}`;
    const [first, second] = flipped ? [typed(rightKeyText, b.type), typed(leftKeyText, a.type)] : [typed(leftKeyText, a.type), typed(rightKeyText, b.type)];
    throw new KsqlError(`Invalid join condition: types don't match. Got ${first} = ${second}.`);
  }

  // The join's kind, and the conditions each kind puts on the keys.
  const leftIsTable = left.kind === 'TABLE';
  const rightIsTable = rightSource.source.kind === 'TABLE';
  const what = `${left.sources.map((s) => s.alias).join(', ')} ${JOIN_WORDS[rel.joinType]} ${rightSource.alias}`;
  let kind: JoinStep['kind'];
  if (!leftIsTable && !rightIsTable) {
    kind = 'STREAM_STREAM';
    if (!rel.within) {
      throw new KsqlError(
        'Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select',
      );
    }
  } else if (!leftIsTable && rightIsTable) {
    kind = 'STREAM_TABLE';
    if (rel.within) {
      throw new KsqlError(
        'A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to execute your join again.',
      );
    }
    if (rel.joinType !== 'INNER' && rel.joinType !== 'LEFT') {
      throw new KsqlError(`Invalid join type: ${rel.joinType === 'FULL' ? 'full-outer' : 'right'} join not supported for stream-table join. Got ${what}.`);
    }
    if (!isKeyAttribute(b, joined)) {
      throw new KsqlError(`Invalid join condition: stream-table joins require to join on the table's primary key. Got ${written}.`);
    }
  } else if (leftIsTable && !rightIsTable) {
    throw new KsqlError(
      `Invalid join order: table-stream joins are not supported; only stream-table joins. Got ${left.sources.map((s) => s.alias).join(', ')} ${JOIN_WORDS[rel.joinType]} ${rightSource.alias}.`,
    );
  } else {
    if (rel.within) {
      throw new KsqlError(
        'A window definition was provided for a Table-Table join. These joins are not windowed. Please drop the window definition (i.e. the WITHIN clause) and try to execute your join again.',
      );
    }
    if (!isKeyAttribute(b, joined)) {
      throw new KsqlError(`Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ${written}.`);
    }
    if (isKeyAttribute(a, joined)) kind = 'TABLE_TABLE';
    else {
      kind = 'FOREIGN_KEY';
      if (rel.joinType !== 'INNER' && rel.joinType !== 'LEFT') {
        throw new KsqlError(`Invalid join type: ${rel.joinType === 'FULL' ? 'full-outer' : 'right'} join not supported for foreign-key table-table join. Got ${what}.`);
      }
      if (nWay || left.foreignKeyLeft) {
        throw new KsqlError(`Invalid join condition: foreign-key table-table joins are not supported as part of n-way joins. Got ${written}.`);
      }
    }
  }

  // Which sides ksqlDB repartitions: a side whose key is not (equal to) its join expression.
  const leftRepartitioned = kind !== 'FOREIGN_KEY' && (left.step.type === 'join' ? !left.equivalent.some((e) => sameExpr(e, a)) : !isKeyAttribute(a, joined));
  const rightRepartitioned = kind !== 'FOREIGN_KEY' && !isKeyAttribute(b, joined);

  // The join's key format (KLIP-33): the left side's unless it is repartitioned, then the right's, else the
  // first source's. (It is the format of the join's internal topics; the sink inherits the FROM source's.)
  const preferredKeyFormat = (!leftRepartitioned ? left.preferredKeyFormat : undefined) ?? (!rightRepartitioned ? sourceKeyFormat(rightSource.source) : undefined);
  const keyFormat: JoinKeyFormat = preferredKeyFormat ?? {
    format: sources.map((s) => s.source.keyFormat).find((f) => f.format !== 'NONE') ?? { format: 'KAFKA', properties: {} },
  };
  // A windowed key cannot be repartitioned, nor re-serialized into another key format.
  const windowedSides = [
    ...(left.step.type === 'source' ? [{ source: (left.sources[0] as JoinSource).source, repartitioned: leftRepartitioned }] : []),
    { source: rightSource.source, repartitioned: rightRepartitioned },
  ];
  for (const side of windowedSides) {
    if (!side.source.window) continue;
    const changesFormat = !sameKeyFormat(sourceKeyFormat(side.source), keyFormat) && !SCHEMA_INFERENCE_FORMATS.has(side.source.keyFormat.format);
    if (side.repartitioned || (kind !== 'FOREIGN_KEY' && changesFormat)) {
      throw new KsqlError('Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.');
    }
  }

  // Co-partitioning: key joins need the same number of partitions on both sides.
  if (kind !== 'FOREIGN_KEY' && !leftRepartitioned && !rightRepartitioned) {
    const lp = ctx.topicInfo(left.sources[0]?.source.topic ?? '')?.partitions;
    const rp = ctx.topicInfo(rightSource.source.topic)?.partitions;
    if (lp !== undefined && rp !== undefined && lp !== rp) {
      const l = left.sources[0] as JoinSource;
      throw new KsqlError(
        `Can't join \`${l.alias}\` with \`${rightSource.alias}\` since the number of partitions don't match. \`${l.alias}\` partitions = ${lp}; \`${rightSource.alias}\` partitions = ${rp}. Please repartition either one so that the number of partitions match.`,
      );
    }
  }

  // The key (ksqlDB's JoinTree): the join expressions are equal to the join value, and so are the
  // earlier join's when they share one; a FULL join's value equals neither side.
  let equivalent: TypedExpr[] = [];
  let viable: KeyCandidate[] = [];
  if (kind !== 'FOREIGN_KEY' && rel.joinType !== 'FULL') {
    equivalent = [a, b];
    if (left.equivalent.some((e) => equivalent.some((k) => sameExpr(k, e)))) {
      for (const e of left.equivalent) if (!equivalent.some((k) => sameExpr(k, e))) equivalent.push(e);
    }
    const candidate = (e: TypedExpr, text: string): KeyCandidate[] => {
      if (e.kind !== 'column') return [];
      const c = joined.columns[e.index] as LayoutColumn;
      return [{ expr: e, text, name: `${c.qualifier}_${c.name}` }];
    };
    for (const k of [...left.viable, ...candidate(a, leftKeyText), ...candidate(b, rightKeyText)]) {
      if (!viable.some((v) => sameExpr(v.expr, k.expr)) && equivalent.some((e) => sameExpr(e, k.expr))) viable.push(k);
    }
  }

  // Key joins carry the join value in a column after both inputs' columns: the key of every result
  // row. A synthetic key is that column, visible by its name in the final join's projection.
  let keyColumn: number | undefined;
  let synthetic: KeyCandidate | undefined;
  const columns = [...joined.columns];
  if (kind !== 'FOREIGN_KEY') {
    keyColumn = columns.length;
    const type = a.type as SqlType;
    if (viable.length === 0 && final) {
      const name = syntheticKeyName(sources.map((s) => s.source));
      columns.push({ name, type, origin: 'KEY' });
      synthetic = { expr: { kind: 'column', type, index: keyColumn, text: name }, text: name, name };
    } else {
      columns.push({ name: `KSQL_JOIN_KEY_${sources.length - 1}`, type, origin: 'DERIVED' });
    }
  }
  const layout: RowLayout = { columns };

  const within = rel.within
    ? { beforeMs: ms(rel.within.before), afterMs: ms(rel.within.after), ...(rel.within.grace ? { graceMs: ms(rel.within.grace) } : {}) }
    : undefined;
  // The key expressions are typed over the joined row: the left one only reads left columns, the right one right columns.
  const rightKey = shift(b, -width);
  const step: JoinStep = {
    type: 'join',
    joinType: rel.joinType,
    kind,
    left: left.step,
    right: rightSource.step,
    leftKey: a,
    rightKey,
    ...(within ? { within } : {}),
    leftPrimaryKey: keyIndexes(left.layout, new Set(left.sources.map((s) => s.alias))),
    rightPrimaryKey: keyIndexes(rightLayout, new Set([rightSource.alias])),
    ...(keyColumn !== undefined ? { keyColumn } : {}),
    layout,
  };

  let foreignKeyLeft: PlannedRelation['foreignKeyLeft'];
  if (kind === 'FOREIGN_KEY') {
    const l = left.sources[0] as JoinSource;
    foreignKeyLeft = {
      alias: l.alias,
      table: l.source.name,
      columns: left.layout.columns.flatMap((c, index) => (c.origin === 'KEY' && c.qualifier === l.alias ? [{ index, name: c.name, type: c.type }] : [])),
    };
  }
  return {
    step,
    layout,
    sources,
    equivalent,
    viable,
    ...(keyColumn !== undefined ? { keyColumn } : {}),
    ...(synthetic ? { synthetic } : {}),
    ...(foreignKeyLeft ? { foreignKeyLeft } : {}),
    kind: kind === 'STREAM_STREAM' || kind === 'STREAM_TABLE' ? 'STREAM' : 'TABLE',
    windowed: left.windowed || rightSource.source.window !== undefined,
    ...(preferredKeyFormat ? { preferredKeyFormat } : {}),
  };
}

/** Moves a typed expression's column positions (right-side expressions over the right input alone). */
function shift(e: TypedExpr, by: number): TypedExpr {
  if (by === 0) return e;
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (!x || typeof x !== 'object') return x;
    const o = x as Record<string, unknown>;
    if ('fn' in o && 'kind' in o && o.kind === 'call') {
      return { ...o, args: (o.args as unknown[]).map(walk) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = k === 'type' || k === 'fn' || k === 'value' ? v : walk(v);
    if (o.kind === 'column') out.index = (o.index as number) + by;
    return out;
  };
  return walk(e) as TypedExpr;
}

function checkWindowed(left: PlannedRelation, right: JoinSource): void {
  const lw = left.sources.find((s) => s.source.window)?.source;
  const rw = right.source.window;
  if (!lw && !rw) return;
  if (!lw || !rw) {
    const windowed = lw ?? right.source;
    const other = lw ? right.source : (left.sources[0] as JoinSource).source;
    throw new KsqlError(
      `Can not join windowed source to non-windowed source.\n\`${windowed.name}\` is ${windowed.window?.type} windowed\n\`${other.name}\` is not windowed`,
    );
  }
  const lt = lw.window?.type;
  if ((lt === 'SESSION') !== (rw.type === 'SESSION')) {
    throw new KsqlError(
      `Incompatible windowed sources.\nLeft source: ${lt}\nRight source: ${rw.type}\nSession windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\nHopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources`,
    );
  }
}

/** Whether an expression reads ROWKEY-like synthetic keys (not supported). */
export function mentionsColumn(e: Expr, name: string): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.type === 'column' && x.name === name) found = true;
  });
  return found;
}
