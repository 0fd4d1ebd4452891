/**
 * Query plans: what the runtime builds operators from. A plan is a tree of
 * steps over flat rows; every expression in it is typed and every column a
 * position, so the runtime compiles once and never looks a name up per record.
 */
import type { LogicalSchema, SqlType } from '../schema/index.js';
import type { ResolvedAggregate, ResolvedCall } from '../functions/index.js';
import type { DataSource, FormatSpec, SerdeFeature } from './metastore.js';
import type { TypedExpr } from './typed.js';

/** Where a column of a flat row comes from. */
export type ColumnOrigin = 'KEY' | 'VALUE' | 'HEADERS' | 'HEADER' | 'ROWTIME' | 'ROWPARTITION' | 'ROWOFFSET' | 'WINDOWSTART' | 'WINDOWEND' | 'DERIVED';

export interface LayoutColumn {
  readonly name: string;
  /** The source alias that qualifies it (S in S.COL), if any. */
  readonly qualifier?: string;
  readonly type: SqlType;
  readonly origin: ColumnOrigin;
  /** For HEADER('k') columns. */
  readonly headerKey?: string;
}

/** The columns of a flat row, in index order. */
export interface RowLayout {
  readonly columns: readonly LayoutColumn[];
}

/** How a source record becomes a flat row, and which column gives its event time. */
export interface SourceStep {
  readonly type: 'source';
  readonly source: DataSource;
  readonly alias: string;
  readonly layout: RowLayout;
  /** Index (in the layout) of the column named by TIMESTAMP=, and its format for STRING columns. */
  readonly timestamp?: { readonly index: number; readonly type: SqlType; readonly format?: string };
}

export interface FilterStep {
  readonly type: 'filter';
  readonly input: Step;
  readonly predicate: TypedExpr;
  readonly layout: RowLayout;
}

/** Table functions: each input row becomes one row per element (zipped across functions, as ksqlDB does). */
export interface FlatMapStep {
  readonly type: 'flatMap';
  readonly input: Step;
  readonly calls: readonly { readonly fn: ResolvedCall; readonly args: readonly TypedExpr[]; readonly type: SqlType }[];
  /** The input layout plus one DERIVED column per call. */
  readonly layout: RowLayout;
}

/** The final shape: key columns and value columns, evaluated on the input row. */
export interface ProjectStep {
  readonly type: 'project';
  readonly input: Step;
  readonly key: readonly ProjectedColumn[];
  readonly value: readonly ProjectedColumn[];
  /** For transient queries: every column in the order the user selected them. */
  readonly selectOrder: readonly ProjectedColumn[];
  /** PARTITION BY (or GROUP BY) chose a new key; otherwise the key is the source's. */
  readonly rekeyed?: boolean;
  /** Expression giving the output record's timestamp (CSAS ... WITH (TIMESTAMP=...)); absent: keep ROWTIME. */
  readonly timestamp?: { readonly expr: TypedExpr; readonly format?: string };
  readonly layout: RowLayout;
}

export interface ProjectedColumn {
  readonly name: string;
  readonly type: SqlType;
  readonly expr: TypedExpr;
}

/** A window of an aggregation, in milliseconds. */
export interface WindowPlan {
  readonly type: 'TUMBLING' | 'HOPPING' | 'SESSION';
  /** TUMBLING/HOPPING: window size. */
  readonly sizeMs: number;
  /** HOPPING: advance; TUMBLING: equal to size. */
  readonly advanceMs: number;
  /** SESSION: inactivity gap. */
  readonly gapMs: number;
  /** How long after a window's end records are still accepted. */
  readonly graceMs: number;
  /** How long a window's state is kept. */
  readonly retentionMs: number;
}

export interface AggregateCall {
  readonly fn: ResolvedAggregate;
  /** The per-record arguments (literal arguments are in `literals`). */
  readonly args: readonly TypedExpr[];
  readonly literals: readonly unknown[];
  readonly type: SqlType;
  readonly text: string;
}

/**
 * GROUP BY (optionally windowed): input rows -> one row per group (and window):
 * the group key columns, then the aggregates, then WINDOWSTART and WINDOWEND when windowed.
 */
export interface AggregateStep {
  readonly type: 'aggregate';
  readonly input: Step;
  readonly groupBy: readonly TypedExpr[];
  readonly aggregates: readonly AggregateCall[];
  readonly window?: WindowPlan;
  /** EMIT FINAL: one result per window once it closes. */
  readonly emitFinal: boolean;
  /** A table source: each update retracts the row it replaces. */
  readonly tableSource: boolean;
  readonly layout: RowLayout;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/**
 * A join of two inputs. Output rows are the left input's columns followed by the
 * right input's (nulls for a missing side), then, for key joins, the join value. `kind` picks the semantics:
 * - STREAM_STREAM: windowed (`within`), both sides buffered for the window;
 * - STREAM_TABLE: each stream row looks up the table's current row (table rows emit nothing);
 * - TABLE_TABLE: keyed on both primary keys; either side's change emits;
 * - FOREIGN_KEY: the left table's `leftKey` expression looks up the right table's primary key;
 *   the result is keyed by the left table's primary key.
 */
export interface JoinStep {
  readonly type: 'join';
  readonly joinType: JoinType;
  readonly kind: 'STREAM_STREAM' | 'STREAM_TABLE' | 'TABLE_TABLE' | 'FOREIGN_KEY';
  readonly left: Step;
  readonly right: Step;
  /** The join expression over the left input's row, and over the right input's row. */
  readonly leftKey: TypedExpr;
  readonly rightKey: TypedExpr;
  /** STREAM_STREAM: right.ts must lie in [left.ts - beforeMs, left.ts + afterMs]. */
  readonly within?: {
    readonly beforeMs: number;
    readonly afterMs: number;
    /** Undefined: no GRACE PERIOD given (ksqlDB's legacy semantics: outer results emitted at once, 24 h grace). */
    readonly graceMs?: number;
  };
  /** Primary key column positions in each input row (table inputs). */
  readonly leftPrimaryKey: readonly number[];
  readonly rightPrimaryKey: readonly number[];
  /**
   * Key joins: the position (after both inputs' columns) of a column the operator fills
   * with the join value, the key of every result row: either side's join expression,
   * whichever is present (a FULL join's row may lack one).
   */
  readonly keyColumn?: number;
  readonly layout: RowLayout;
}

export type Step = SourceStep | FilterStep | FlatMapStep | AggregateStep | JoinStep | ProjectStep;

/** Where a persistent query writes. */
export interface SinkSpec {
  readonly source: DataSource;
  readonly topic: string;
  readonly keyFormat: FormatSpec;
  readonly valueFormat: FormatSpec;
  readonly valueFeatures: readonly SerdeFeature[];
  readonly partitions: number;
  readonly replicas: number;
  /** A table sink: tombstones delete. */
  readonly isTable: boolean;
}

export interface QueryPlan {
  /** 'persistent' for CREATE ... AS SELECT and INSERT INTO; 'transient' for SELECT ... EMIT CHANGES. */
  readonly kind: 'persistent' | 'transient';
  readonly sources: readonly DataSource[];
  /** The last step is always a ProjectStep. */
  readonly root: ProjectStep;
  /** The output columns: key columns then value columns. */
  readonly schema: LogicalSchema;
  readonly sink?: SinkSpec;
  /** A table result (CTAS, or a transient query on a table). */
  readonly isTable: boolean;
  readonly limit?: number;
  /** Warnings for the user (e.g. a key column left out of the projection). */
  readonly warnings: readonly string[];
}

/** The inputs of a step (none for a source, two for a join). */
export function inputsOf(step: Step): Step[] {
  switch (step.type) {
    case 'source':
      return [];
    case 'join':
      return [step.left, step.right];
    default:
      return [step.input];
  }
}

/** Every source step under a step, left to right. */
export function sourcesOf(step: Step): SourceStep[] {
  return step.type === 'source' ? [step] : inputsOf(step).flatMap(sourcesOf);
}

/**
 * The positions of the columns that key a step's rows: a source's key columns, a
 * key join's join value, a foreign-key join's left primary key, a grouping's keys.
 * A table's changelog retracts and replaces rows by these.
 */
export function resultKeyIndexes(step: Step): number[] {
  switch (step.type) {
    case 'join':
      return step.keyColumn !== undefined ? [step.keyColumn] : [...step.leftPrimaryKey];
    case 'filter':
    case 'flatMap':
      return resultKeyIndexes(step.input);
    default:
      return step.layout.columns.flatMap((c, i) => (c.origin === 'KEY' ? [i] : []));
  }
}

/** The aggregation step of a plan, if it has one. */
export function aggregateOf(step: Step): AggregateStep | undefined {
  for (let s: Step = step; ; ) {
    if (s.type === 'aggregate') return s;
    if (s.type === 'source' || s.type === 'join') return undefined;
    s = s.input;
  }
}
