/**
 * Builds the operator chain of a query plan: source record -> flat row ->
 * filter -> table functions -> projection -> output. Every step is compiled
 * once; processing a record is a few closure calls over arrays.
 *
 * Records that fail (bad bytes, a bad timestamp, an expression that throws)
 * never stop the query: they go to the processing log and are counted.
 */
import type { ConsumedRecord, Header } from '../broker/port.js';
import { resultKeyIndexes, sourcesOf, type AggregateStep, type FlatMapStep, type ProjectStep, type SourceStep, type Step } from '../planner/plan.js';
import { buildJoin } from './join.js';
import type { TypedExpr } from '../planner/typed.js';
import type { RowSerde } from '../serde/index.js';
import { castValue, TIMESTAMP, BIGINT, type SqlType } from '../schema/index.js';
import { compileExpr, compilePredicate, type RowFn } from './compile.js';
import type { ProcessingLogger } from './processing-log.js';
import { parseTimestampWithFormat } from './timestamps.js';
import { buildAggregate, buildTableGroupBy, regroupsTable } from './aggregate.js';
import { repartitionReader } from './repartition.js';
import { columnsOf, producesTable, type RepartitionEdge } from './topology.js';
import { splitWindowedKey } from './windowed.js';
import type { Row, RowSink } from './row.js';
import { keyString } from './keys.js';
import type { KeyValueStore, StateContext } from './state.js';

/** A projected record, ready for the sink or the caller. */
export interface OutputRecord {
  /** Key column values (empty for keyless). */
  readonly key: unknown[];
  /** The record had no key and the query passed its key through: write no key. */
  readonly keyNull?: boolean;
  /** Value column values, or null for a table tombstone. */
  readonly value: unknown[] | null;
  readonly timestamp: number;
  /** The columns in the user's SELECT order (transient queries). */
  readonly selected?: unknown[];
  /** The window of a windowed result: written into the key. */
  readonly window?: { readonly start: number; readonly end: number };
  readonly headers?: readonly Header[];
}


export interface PipelineSerdes {
  readonly key: RowSerde;
  readonly value: RowSerde;
}

export interface Pipeline {
  /** Processes one consumed record, calling `emit` for each output. */
  process(record: ConsumedRecord): void;
}

export interface PipelineOptions {
  readonly log: ProcessingLogger;
  /** Where operators keep state (changelogged for persistent queries). */
  readonly state: StateContext;
  /** Emit table tombstones (persistent table sinks); transient queries skip them. */
  readonly emitTombstones: boolean;
  /** Filter rows of a table into tombstones rather than dropping them (KTable semantics). */
  readonly tableSemantics: boolean;
  /** Invalid timestamps throw instead of dropping the record (ksql.timestamp.throw.on.invalid). */
  readonly throwOnInvalidTimestamp?: boolean;
}


/**
 * Which part of a plan a task runs (topology.ts): from `top` down to the sources, or to the
 * repartition edges it reads. Absent: the whole plan.
 */
export interface PipelineCut {
  /** The top step: the plan's root (outputs go to `emit`), or the input of the edge it writes. */
  readonly top: Step;
  /** Where the top step's rows go when it is not the root: the writer of its repartition edge. */
  readonly output?: { readonly edge: RepartitionEdge; readonly sink: RowSink };
  /** The edges it reads, by the step whose rows they carry. */
  readonly edges: ReadonlyMap<Step, RepartitionEdge>;
}

interface Entry {
  readonly topic: string;
  readonly toRow: (record: ConsumedRecord) => Row | undefined;
  readonly sink: RowSink;
}

/**
 * The pipeline of a plan (or of the part `cut` gives). `serdes` gives each source's key and
 * value serdes; a record is routed to the source(s) reading its topic (several for a join).
 */
export function buildPipeline(
  root: ProjectStep,
  serdes: (source: SourceStep) => PipelineSerdes,
  emit: (out: OutputRecord) => void,
  options: PipelineOptions,
  cut?: PipelineCut,
): Pipeline {
  const log = options.log;
  const entries: Entry[] = [];
  const single = sourcesOf(root).length === 1;
  const chain: Chain = {
    options,
    edgeAt: (step) => cut?.edges.get(step),
    source: (source, sink) => {
      // Pseudo-columns are filled only when read; with several sources, always (the join reads positions).
      const used = single ? referencedSourceColumns(root, source) : new Set(source.layout.columns.map((_, i) => i));
      entries.push({ topic: source.source.topic, toRow: buildSourceReader(source, serdes(source), log, options, used), sink });
    },
    edge: (edge, sink) => {
      entries.push({ topic: edge.topic, toRow: repartitionReader(log), sink });
    },
  };
  const top = cut?.top ?? root;
  if (top === root) buildChain(root.input, buildProject(root, emit, options), chain);
  else {
    const output = cut?.output;
    if (!output) throw new Error('a task that does not end in the projection writes a repartition topic');
    const aggregate = output.edge.aggregate;
    // A table's GROUP BY regroups its changes before they are re-keyed.
    const sink = aggregate && regroupsTable(aggregate) ? tableGroupBy(aggregate, output.sink, options) : output.sink;
    buildChain(top, sink, chain);
  }
  if (entries.length === 1) {
    const only = entries[0] as Entry;
    return {
      process(record: ConsumedRecord): void {
        const row = only.toRow(record);
        if (row !== undefined) only.sink(row);
      },
    };
  }
  return {
    process(record: ConsumedRecord): void {
      for (const e of entries) {
        if (e.topic !== record.topic) continue;
        const row = e.toRow(record);
        if (row !== undefined) e.sink(row);
      }
    },
  };
}

function tableGroupBy(step: AggregateStep, downstream: RowSink, options: PipelineOptions): RowSink {
  // Table aggregation retracts by the input's primary key (a table join's: its result key).
  return buildTableGroupBy(step, downstream, { log: options.log, state: options.state, sourceKeyIndexes: resultKeyIndexes(step.input) });
}

/**
 * A filter over a table's changelog, as Kafka Streams filters a KTable whose old
 * values it knows: a row that passes is an upsert; a row that stops passing is a
 * delete; a row that did not pass before and does not now changes nothing.
 */
function tableFilter(
  predicate: (row: unknown[]) => boolean,
  text: string,
  keyIndexes: readonly number[],
  downstream: RowSink,
  log: ProcessingLogger,
  passing: KeyValueStore<true>,
): RowSink {
  const keyOf = (row: Row) => keyString(keyIndexes.map((i) => row.values[i]));
  return (row) => {
    const k = keyOf(row);
    let keep = false;
    if (!row.deleted) {
      try {
        keep = predicate(row.values);
      } catch (err) {
        log.error(`Error evaluating predicate ${text}: ${messageOf(err)}`);
      }
    }
    if (keep) {
      if (!passing.has(k)) passing.set(k, true);
      downstream(row);
    } else if (passing.delete(k)) {
      downstream({ ...row, deleted: true });
    }
  };
}

const filterCounts = new WeakMap<PipelineOptions, number>();

/** A stable number per table filter of one pipeline, naming its store. */
function filterIndex(options: PipelineOptions): number {
  const n = filterCounts.get(options) ?? 0;
  filterCounts.set(options, n + 1);
  return n;
}

/** The source-row columns some expression reads (pseudo-columns are filled only when read). */
function referencedSourceColumns(root: ProjectStep, source: SourceStep): Set<number> {
  const used = new Set<number>();
  const visit = (e: TypedExpr) => columnsOf(e, used);
  // Steps up to the first aggregation read rows laid out from the source row (flat-map adds columns after it).
  const chain: Step[] = [];
  for (let s: Step = root; ; ) {
    chain.unshift(s);
    if (s.type === 'source' || s.type === 'join') break;
    s = s.input;
  }
  for (const s of chain) {
    if (s.type === 'filter') visit(s.predicate);
    else if (s.type === 'flatMap') for (const c of s.calls) c.args.forEach(visit);
    else if (s.type === 'aggregate') {
      s.groupBy.forEach(visit);
      for (const a of s.aggregates) a.args.forEach(visit);
      break;
    } else if (s.type === 'project') {
      for (const c of [...s.key, ...s.value, ...s.selectOrder]) visit(c.expr);
      if (s.timestamp) visit(s.timestamp.expr);
    }
  }
  if (source.timestamp) used.add(source.timestamp.index);
  return used;
}

/** What building a chain of operators needs: the options, and where its inputs come from. */
interface Chain {
  readonly options: PipelineOptions;
  /** The repartition edge that carries a step's rows into this task, if they come from one. */
  edgeAt(step: Step): RepartitionEdge | undefined;
  /** Registers the entry sink of a source. */
  source(source: SourceStep, sink: RowSink): void;
  /** Registers the entry sink of a repartition edge. */
  edge(edge: RepartitionEdge, sink: RowSink): void;
}

/** Builds the operators of `step` feeding `downstream`, registering the entry sink of each input below it. */
function buildChain(step: Step, downstream: RowSink, chain: Chain): void {
  const edge = chain.edgeAt(step);
  if (edge) {
    chain.edge(edge, downstream);
    return;
  }
  const options = chain.options;
  switch (step.type) {
    case 'source':
      chain.source(step, downstream);
      return;
    case 'join': {
      const sides = buildJoin(step, downstream, { log: options.log, state: options.state });
      buildChain(step.left, sides.left, chain);
      buildChain(step.right, sides.right, chain);
      return;
    }
    case 'filter': {
      const predicate = compilePredicate(step.predicate);
      const text = step.predicate.text;
      const log = options.log;
      // A table's rows are keyed by its result key (a join's: the join value, not every source key column).
      const keyIndexes = resultKeyIndexes(step.input);
      const next: RowSink = options.tableSemantics && producesTable(step.input)
        ? tableFilter(predicate, text, keyIndexes, downstream, log, options.state.store<true>(`filter-${filterIndex(options)}`))
        : (row) => {
            if (row.deleted) return;
            let keep = false;
            try {
              keep = predicate(row.values);
            } catch (err) {
              log.error(`Error evaluating predicate ${text}: ${messageOf(err)}`);
              return;
            }
            if (keep) downstream(row);
          };
      buildChain(step.input, next, chain);
      return;
    }
    case 'flatMap':
      buildChain(step.input, buildFlatMap(step, downstream, options), chain);
      return;
    case 'aggregate': {
      const aggregate = buildAggregate(step, downstream, { log: options.log, state: options.state });
      // A table's changes are regrouped first, here or (behind a repartition topic) in the task that writes it.
      const entry = regroupsTable(step) && !chain.edgeAt(step.input) ? tableGroupBy(step, aggregate, options) : aggregate;
      buildChain(step.input, entry, chain);
      return;
    }
    case 'project':
      throw new Error('a projection can only be the last step');
    default: {
      const unreachable: never = step;
      throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
    }
  }
}

function buildFlatMap(step: FlatMapStep, downstream: RowSink, options: PipelineOptions): RowSink {
  const calls = step.calls.map((c) => {
    const args = c.args.map((e) => compileExpr(e));
    return { fn: c.fn, args, text: c.fn.name };
  });
  const log = options.log;
  return (row) => {
    if (row.deleted) return;
    const outputs: unknown[][] = [];
    let longest = 0;
    for (const call of calls) {
      let result: unknown = null;
      try {
        result = call.fn.invoke(call.args.map((a) => a(row.values)));
      } catch (err) {
        log.error(`Error in table function ${call.text}: ${messageOf(err)}`);
      }
      const list = Array.isArray(result) ? result : [];
      outputs.push(list);
      if (list.length > longest) longest = list.length;
    }
    // Several table functions zip: the shorter ones pad with null.
    for (let i = 0; i < longest; i++) {
      const values = row.values.slice();
      for (const list of outputs) values.push(i < list.length ? list[i] ?? null : null);
      downstream({ values, timestamp: row.timestamp, deleted: false, ...(row.keyNull ? { keyNull: true } : {}) });
    }
  };
}

function buildProject(step: ProjectStep, emit: (out: OutputRecord) => void, options: PipelineOptions): RowSink {
  const log = options.log;
  const guarded = (expr: { text: string }, fn: RowFn): RowFn => (row) => {
    try {
      return fn(row);
    } catch (err) {
      log.error(`Error computing expression ${expr.text}: ${messageOf(err)}`);
      return null;
    }
  };
  // A function that throws gives null where it is called; the rest of the column is computed.
  const onCallError = (call: string, err: unknown) => log.error(`Error computing expression ${call}: ${messageOf(err)}`);
  const keyFns = step.key.map((c) => guarded(c.expr, compileExpr(c.expr, onCallError)));
  const valueFns = step.value.map((c) => guarded(c.expr, compileExpr(c.expr, onCallError)));
  const selectFns = step.selectOrder.map((c) => guarded(c.expr, compileExpr(c.expr, onCallError)));
  const ts = step.timestamp;
  const tsFn = ts ? compileExpr(ts.expr) : undefined;
  const tsType = ts?.expr.type ?? BIGINT;
  const keyCount = keyFns.length;
  const valueCount = valueFns.length;
  // A key made only of the source's key columns stays absent when the source record had none.
  const layoutCols = step.layout.columns;
  const passesKeyThrough = !step.rekeyed && step.key.length > 0 && step.key.every((c) => c.expr.kind === 'column' && layoutCols[c.expr.index]?.origin === 'KEY');
  const transient = !options.emitTombstones;
  // A stream record without a value, re-keyed: a key expression reading anything but key columns
  // is null (PARTITION BY (NAME IS NULL) of a null value gives a null key, not true).
  const streamRekey = step.rekeyed === true && !producesTable(step.input);
  const readsNonKey = step.key.map((c) => {
    if (!streamRekey) return false;
    const read = new Set<number>();
    columnsOf(c.expr, read);
    return [...read].some((i) => layoutCols[i]?.origin !== 'KEY');
  });
  return (row) => {
    if (row.deleted && !options.emitTombstones) return;
    const vals = row.values;
    const key = new Array(keyCount);
    for (let i = 0; i < keyCount; i++) key[i] = row.deleted && readsNonKey[i] ? null : (keyFns[i] as RowFn)(vals);
    let value: unknown[] | null = null;
    if (!row.deleted) {
      value = new Array(valueCount);
      for (let i = 0; i < valueCount; i++) value[i] = (valueFns[i] as RowFn)(vals);
    }
    let timestamp = row.timestamp;
    if (tsFn && !row.deleted) {
      const t = toEpochMillis(tsFn(vals), tsType as SqlType, ts?.format);
      if (t === undefined || t < 0) {
        log.error(`Invalid timestamp for the output record: ${String(tsFn(vals))}`);
        return;
      }
      timestamp = t;
    }
    const keyNull = passesKeyThrough && row.keyNull === true;
    const window = row.window;
    if (transient) {
      const selected = new Array(selectFns.length);
      for (let i = 0; i < selectFns.length; i++) selected[i] = (selectFns[i] as RowFn)(vals);
      emit(window ? { key, value, timestamp, selected, keyNull, window } : { key, value, timestamp, selected, keyNull });
    } else emit(window ? { key, value, timestamp, keyNull, window } : { key, value, timestamp, keyNull });
  };
}

/** Record -> flat row (key columns, value columns, headers, pseudo-columns), or undefined when it must be skipped. */
function buildSourceReader(
  source: SourceStep,
  serdes: PipelineSerdes,
  log: ProcessingLogger,
  options: PipelineOptions,
  used: ReadonlySet<number>,
): (record: ConsumedRecord) => Row | undefined {
  const layout = source.layout.columns;
  const width = layout.length;
  const keyCount = source.source.schema.keyColumns.length;
  const valueCount = source.source.schema.valueColumns.length;
  const isTable = source.source.kind === 'TABLE';
  type Filler = (values: unknown[], record: ConsumedRecord) => void;
  const fillers: Filler[] = [];
  layout.forEach((c, i) => {
    // Pseudo-columns and headers cost something to fill: only the ones some expression reads.
    if (!used.has(i) && c.origin !== 'KEY' && c.origin !== 'VALUE') return;
    switch (c.origin) {
      case 'HEADERS':
        fillers.push((v, r) => {
          v[i] = r.headers.map((h) => ({ KEY: h.key, VALUE: h.value }));
        });
        break;
      case 'HEADER': {
        const key = c.headerKey;
        fillers.push((v, r) => {
          let found: Uint8Array | null = null;
          for (const h of r.headers) if (h.key === key) found = h.value;
          v[i] = found;
        });
        break;
      }
      case 'ROWTIME':
        fillers.push((v, r) => {
          v[i] = BigInt(r.timestamp);
        });
        break;
      case 'ROWPARTITION':
        fillers.push((v, r) => {
          v[i] = r.partition;
        });
        break;
      case 'ROWOFFSET':
        fillers.push((v, r) => {
          v[i] = BigInt(r.offset);
        });
        break;
      case 'WINDOWSTART':
      case 'WINDOWEND':
        // Filled from the windowed key below.
        break;
      default:
        break;
    }
  });
  const rowtimeIndex = layout.findIndex((c) => c.origin === 'ROWTIME');
  const windowInfo = source.source.window;
  const windowStartIndex = layout.findIndex((c) => c.origin === 'WINDOWSTART');
  const windowEndIndex = layout.findIndex((c) => c.origin === 'WINDOWEND');
  const ts = source.timestamp;
  const where = (r: ConsumedRecord) => `topic: ${r.topic}, partition: ${r.partition}, offset: ${r.offset}`;
  return (record) => {
    let key: unknown[] | null;
    let value: unknown[] | null;
    let keyBytes = record.key;
    let window: { start: number; end: number } | undefined;
    if (windowInfo && keyBytes !== null) {
      try {
        const split = splitWindowedKey(keyBytes, windowInfo.type === 'SESSION', windowInfo.sizeMs);
        keyBytes = split.key;
        window = { start: split.start, end: split.end };
      } catch (err) {
        log.deserializationError(`Failed to read the window of the key from ${where(record)}: ${messageOf(err)}`, record);
        return undefined;
      }
    }
    try {
      key = keyCount === 0 ? [] : serdes.key.deserialize(keyBytes, record.topic);
    } catch (err) {
      log.deserializationError(`Failed to deserialize key from ${where(record)}: ${messageOf(err)}`, record);
      return undefined;
    }
    try {
      value = serdes.value.deserialize(record.value, record.topic);
    } catch (err) {
      log.deserializationError(`Failed to deserialize value from ${where(record)}: ${messageOf(err)}`, record);
      return undefined;
    }
    // A table's rows are found by key: a record without one can be no row's change (Kafka Streams drops it too).
    if (isTable && key === null && keyCount > 0) {
      log.error(`Skipping a record without a key for table ${source.source.name}: ${where(record)}`, record);
      return undefined;
    }
    // A record without a value: a tombstone for tables; streams pass it on as a null row.
    const deleted = value === null;
    const values = new Array(width);
    for (let i = 0; i < keyCount; i++) values[i] = key === null ? null : key[i] ?? null;
    for (let i = 0; i < valueCount; i++) values[keyCount + i] = value === null ? null : value[i] ?? null;
    for (const fill of fillers) fill(values, record);
    if (windowStartIndex >= 0) values[windowStartIndex] = window ? BigInt(window.start) : null;
    if (windowEndIndex >= 0) values[windowEndIndex] = window ? BigInt(window.end) : null;
    let timestamp = record.timestamp;
    if (ts && !deleted) {
      const raw = values[ts.index];
      const t = toEpochMillis(raw, ts.type, ts.format);
      if (t === undefined || t < 0) {
        const message = `Invalid timestamp ${String(raw)} from ${where(record)}: records with an invalid timestamp are dropped`;
        if (options.throwOnInvalidTimestamp) throw new Error(message);
        log.error(message, record);
        return undefined;
      }
      timestamp = t;
      if (used.has(rowtimeIndex)) values[rowtimeIndex] = BigInt(t);
    }
    return { values, timestamp, deleted, keyNull: key === null, window };
  };
}

/** A timestamp column's value as epoch milliseconds (BIGINT, TIMESTAMP, or STRING with a format). */
function toEpochMillis(raw: unknown, type: SqlType, format: string | undefined): number | undefined {
  if (raw === null || raw === undefined) return undefined;
  switch (type.kind) {
    case 'BIGINT':
      return Number(raw as bigint);
    case 'TIMESTAMP':
      return raw as number;
    case 'STRING':
      if (format === undefined) return castValue(raw, type, TIMESTAMP) as number;
      return parseTimestampWithFormat(raw as string, format);
    default:
      return undefined;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
