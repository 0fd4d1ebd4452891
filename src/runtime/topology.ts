/**
 * A query's sub-topologies, cut where Kafka Streams cuts them: at repartition
 * topics. State is per task (a partition of a sub-topology's co-partitioned
 * inputs), so every stateful operator must see all rows of a key in one task:
 * where it keys its state by something else than the partitioning of its input
 * — GROUP BY on other expressions, a join side whose join expression is not its
 * key (or whose key is in another format than the join's) — the rows are
 * re-keyed into a repartition topic, partitioned by the default partitioner on
 * the new key's bytes, and read by the next sub-topology.
 *
 * Topic names are ksqlDB's: `<query group>-Aggregate-GroupBy-repartition`,
 * `-Join-left-repartition` / `-Join-right-repartition` (stream-stream),
 * `-Join-repartition` (the stream side of a stream-table join),
 * `-LeftSourceKeyed-SelectKey-repartition` / `-RightSourceKeyed-...` (a table
 * side), with `L_` before the name for each level of an n-way join below the last.
 *
 * A repartition topic of one partition written by a sub-topology of one task
 * would carry the same rows, in the same order, to the one task that reads it:
 * such a cut is fused (the two run as one sub-topology, no topic).
 *
 * A foreign-key join keys its two sides by different keys and would need
 * Kafka Streams' subscription/response topics: a query with one runs as one
 * task over every partition (its processes share it through a lease).
 */
import type { DataSource, FormatSpec } from '../planner/metastore.js';
import { sourcesOf, type AggregateStep, type JoinStep, type QueryPlan, type Step } from '../planner/plan.js';
import { typedChildren, type TypedExpr } from '../planner/typed.js';
import { regroupsTable } from './aggregate.js';

/** One repartition topic: the rows of `input`, re-keyed by `key`. */
export interface RepartitionEdge {
  /** ksqlDB's name of the step: the topic is `<query group>-<name>-repartition`. */
  readonly name: string;
  readonly topic: string;
  /** The step whose rows are re-keyed: the top of the sub-topology that writes the topic. */
  readonly input: Step;
  /** The new key, over `input`'s layout. */
  readonly key: readonly TypedExpr[];
  /** Names of the key columns (for formats that write them). */
  readonly keyNames: readonly string[];
  /** The key's format: a join's key format (so both sides partition alike); absent: KAFKA, or JSON where KAFKA cannot. */
  readonly keyFormat?: FormatSpec;
  /** A GROUP BY edge: its aggregation (a table's changes go through its group-by before the topic). */
  readonly aggregate?: AggregateStep;
  /** The columns the reading side uses (the others travel as null); absent: all. */
  readonly columns?: ReadonlySet<number>;
  readonly partitions: number;
  /** The sub-topology writing it. */
  readonly writer: number;
}

export interface SubTopology {
  /** Its place in `Topology.subTopologies`: writers come before their readers. */
  readonly id: number;
  /** Its top step: the plan's root (it writes the sink), or the input of the edge it writes. */
  readonly root: Step;
  /** The repartition topic it writes; absent: it ends in the query's projection. */
  readonly output?: RepartitionEdge;
  /** The repartition topics it reads. */
  readonly inputs: readonly RepartitionEdge[];
  /** The sources' topics it reads. */
  readonly sourceTopics: readonly string[];
  /** Its number of tasks: the partition count of its (co-partitioned) inputs. */
  readonly tasks: number;
  /** Whether any of its operators keeps state (then its tasks changelog and restore it). */
  readonly stateful: boolean;
}

export interface Topology {
  readonly subTopologies: readonly SubTopology[];
  /** False: one task reads every partition (a foreign-key join); true: a task per partition. */
  readonly partitioned: boolean;
}

export interface TopologyOptions {
  /** The query's consumer group: internal topic names start with it. */
  readonly base: string;
  /** Partition count of a source topic. */
  readonly partitionsOf: (topic: string) => number;
  /** Fuse cuts of one partition into one sub-topology (default true). */
  readonly fuse?: boolean;
}

/** The sub-topologies of a plan. */
export function planTopology(plan: QueryPlan, options: TopologyOptions): Topology {
  const partitioned = !hasForeignKeyJoin(plan.root);
  const fuse = options.fuse ?? true;
  interface Builder {
    root: Step;
    output?: RepartitionEdge;
    inputs: RepartitionEdge[];
    topics: Set<string>;
    stateful: boolean;
    order: number;
  }
  const builders: Builder[] = [];
  const open = (root: Step): Builder => {
    const b: Builder = { root, inputs: [], topics: new Set(), stateful: false, order: builders.length };
    builders.push(b);
    return b;
  };
  const partitionsOf = (step: Step): number => rowPartitions(step, options.partitionsOf);

  /** Re-keys `input` for `reader` through a new repartition edge (unless it fuses). */
  const cut = (input: Step, reader: Builder, edge: Omit<RepartitionEdge, 'input' | 'topic' | 'writer'>, prefix: string): void => {
    if (fuse && edge.partitions === 1 && partitionsOf(input) === 1) {
      visit(input, reader, prefix);
      return;
    }
    const writer = open(input);
    const full: RepartitionEdge = { ...edge, input, topic: `${options.base}-${edge.name}-repartition`, writer: writer.order };
    writer.output = full;
    if (writerRegroups(full)) writer.stateful = true;
    reader.inputs.push(full);
    visit(input, writer, prefix);
  };

  const visit = (step: Step, sub: Builder, prefix: string): void => {
    switch (step.type) {
      case 'source':
        sub.topics.add(step.source.topic);
        return;
      case 'filter':
        // A filter over a table keeps which keys pass (tables only; keyed as its input is).
        if (producesTable(step.input)) sub.stateful = true;
        visit(step.input, sub, prefix);
        return;
      case 'flatMap':
      case 'project':
        visit(step.input, sub, prefix);
        return;
      case 'aggregate': {
        sub.stateful = true;
        if (!partitioned || keyedBy(step.input, step.groupBy)) {
          visit(step.input, sub, prefix);
          return;
        }
        const columns = new Set<number>();
        for (const e of [...step.groupBy, ...step.aggregates.flatMap((a) => a.args)]) columnsOf(e, columns);
        cut(
          step.input,
          sub,
          {
            name: 'Aggregate-GroupBy',
            key: step.groupBy,
            keyNames: step.layout.columns.slice(0, step.groupBy.length).map((c) => c.name),
            aggregate: step,
            columns,
            partitions: partitionsOf(step.input),
          },
          prefix,
        );
        return;
      }
      case 'join': {
        sub.stateful = true;
        if (!partitioned || step.kind === 'FOREIGN_KEY') {
          visit(step.left, sub, `L_${prefix}`);
          visit(step.right, sub, `L_${prefix}`);
          return;
        }
        const sides = joinSides(step, options.partitionsOf);
        const keyNames = [step.keyColumn !== undefined ? (step.layout.columns[step.keyColumn]?.name ?? 'ROWKEY') : 'ROWKEY'];
        const names = edgeNames(step, prefix);
        for (const [side, input, key, name] of [
          ['left', step.left, step.leftKey, names.left],
          ['right', step.right, step.rightKey, names.right],
        ] as const) {
          const repartitioned = side === 'left' ? sides.leftRepartitioned : sides.rightRepartitioned;
          if (!repartitioned) visit(input, sub, `L_${prefix}`);
          else cut(input, sub, { name, key: [key], keyNames, keyFormat: sides.keyFormat, partitions: sides.partitions }, `L_${prefix}`);
        }
        return;
      }
      default: {
        const unreachable: never = step;
        throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  };

  visit(plan.root, open(plan.root), '');

  // Each writer was opened while its reader was being built, after it: reversed, writers come first.
  const ordered = [...builders].reverse();
  const ids = new Map(ordered.map((b, i) => [b.order, i]));
  const subTopologies = ordered.map((b, id): SubTopology => {
    const sourceTopics = [...b.topics];
    const inputs = b.inputs.map((e) => ({ ...e, writer: ids.get(e.writer) as number }));
    const tasks = partitioned ? Math.max(1, ...sourceTopics.map(options.partitionsOf), ...inputs.map((e) => e.partitions)) : 1;
    return { id, root: b.root, ...(b.output ? { output: { ...b.output, writer: id } } : {}), inputs, sourceTopics, tasks, stateful: b.stateful };
  });
  return { subTopologies, partitioned };
}

/** ksqlDB's names of the repartition steps of a join's two sides. */
function edgeNames(step: JoinStep, prefix: string): { left: string; right: string } {
  switch (step.kind) {
    case 'STREAM_STREAM':
      return { left: `${prefix}Join-left`, right: `${prefix}Join-right` };
    case 'STREAM_TABLE':
      return { left: `${prefix}Join`, right: `${prefix}RightSourceKeyed-SelectKey` };
    default:
      return { left: `${prefix}LeftSourceKeyed-SelectKey`, right: `${prefix}RightSourceKeyed-SelectKey` };
  }
}

interface JoinSides {
  readonly leftRepartitioned: boolean;
  readonly rightRepartitioned: boolean;
  /** The join's key format (KLIP-33): a side's own when the join reads its key unchanged. */
  readonly keyFormat: FormatSpec;
  /** Partitions of the join's tasks (and of its repartition topics). */
  readonly partitions: number;
}

/**
 * Which sides of a key join are re-keyed, as ksqlDB decides: a side whose join expression is not
 * its key, or whose key is in another format than the join's key format. The join's key format
 * is the left side's unless it is re-keyed, then the right side's, else the first source's.
 */
function joinSides(step: JoinStep, partitionsOf: (topic: string) => number): JoinSides {
  const leftKeyed = keyedBy(step.left, [step.leftKey]);
  const rightKeyed = keyedBy(step.right, [step.rightKey]);
  const preferred = (leftKeyed ? keyFormatOf(step.left, partitionsOf) : undefined) ?? (rightKeyed ? keyFormatOf(step.right, partitionsOf) : undefined);
  const keyFormat = preferred ?? sourcesOf(step).map((s) => s.source.keyFormat).find((f) => f.format !== 'NONE') ?? { format: 'KAFKA', properties: {} };
  const sameFormat = (side: Step) => keyFormatOf(side, partitionsOf)?.format === keyFormat.format;
  const leftRepartitioned = !leftKeyed || !sameFormat(step.left);
  const rightRepartitioned = !rightKeyed || !sameFormat(step.right);
  const left = rowPartitions(step.left, partitionsOf);
  const right = rowPartitions(step.right, partitionsOf);
  const partitions = leftRepartitioned && !rightRepartitioned ? right : rightRepartitioned && !leftRepartitioned ? left : Math.max(left, right);
  return { leftRepartitioned, rightRepartitioned, keyFormat, partitions };
}

/** The format of the key a step's rows are partitioned by, when they come keyed from a topic (or a join). */
function keyFormatOf(step: Step, partitionsOf: (topic: string) => number): FormatSpec | undefined {
  switch (step.type) {
    case 'source':
      return keyFormatOfSource(step.source);
    case 'join':
      return step.kind === 'FOREIGN_KEY' ? undefined : joinSides(step, partitionsOf).keyFormat;
    case 'filter':
    case 'flatMap':
      return keyFormatOf(step.input, partitionsOf);
    default:
      return undefined;
  }
}

function keyFormatOfSource(source: DataSource): FormatSpec {
  return source.keyFormat;
}

/** How many partitions a step's rows are spread over (its tasks). */
function rowPartitions(step: Step, partitionsOf: (topic: string) => number): number {
  switch (step.type) {
    case 'source':
      return partitionsOf(step.source.topic);
    case 'join':
      if (step.kind === 'FOREIGN_KEY') return Math.max(rowPartitions(step.left, partitionsOf), rowPartitions(step.right, partitionsOf));
      return joinSides(step, partitionsOf).partitions;
    default:
      return rowPartitions(step.input, partitionsOf);
  }
}

/**
 * Whether the rows of `step` are partitioned by the values of `exprs`: they are exactly the
 * columns (in order) that key its rows — a source's key columns, a grouping's keys, a key
 * join's join value or a column equal to it.
 */
export function keyedBy(step: Step, exprs: readonly TypedExpr[]): boolean {
  if (exprs.length === 0 || exprs.some((e) => e.kind !== 'column')) return false;
  const indexes = exprs.map((e) => (e as Extract<TypedExpr, { kind: 'column' }>).index);
  return partitioningKeys(step).some((k) => k.length === indexes.length && k.every((i, j) => i === indexes[j]));
}

/** The column tuples whose values partition a step's rows (alternatives that are equal). */
function partitioningKeys(step: Step): number[][] {
  switch (step.type) {
    case 'source': {
      const keys = step.layout.columns.flatMap((c, i) => (c.origin === 'KEY' ? [i] : []));
      return keys.length > 0 ? [keys] : [];
    }
    case 'filter':
    case 'flatMap':
      // Both keep the input's columns at their positions.
      return partitioningKeys(step.input);
    case 'aggregate':
      return [step.groupBy.map((_, i) => i)];
    case 'join': {
      if (step.kind === 'FOREIGN_KEY') return [[...step.leftPrimaryKey]];
      const out: number[][] = [];
      if (step.keyColumn !== undefined) out.push([step.keyColumn]);
      if (step.joinType === 'FULL') return out;
      // Both join expressions equal the join value, and so do the left input's own equals of it.
      const leftWidth = step.left.layout.columns.length;
      const left = columnIndex(step.leftKey);
      const right = columnIndex(step.rightKey);
      if (left !== undefined) out.push([left]);
      if (right !== undefined) out.push([right + leftWidth]);
      if (left !== undefined && keyedBy(step.left, [step.leftKey])) {
        for (const k of partitioningKeys(step.left)) if (k.length === 1 && !out.some((o) => o[0] === k[0])) out.push(k);
      }
      return out;
    }
    case 'project':
      return [];
    default: {
      const unreachable: never = step;
      throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
    }
  }
}

function columnIndex(e: TypedExpr): number | undefined {
  return e.kind === 'column' ? e.index : undefined;
}

/** Adds the row positions `e` reads (its column references, at any depth) to `into`. */
export function columnsOf(e: TypedExpr, into: Set<number>): void {
  if (e.kind === 'column') into.add(e.index);
  for (const child of typedChildren(e)) columnsOf(child, into);
}

function hasForeignKeyJoin(step: Step): boolean {
  if (step.type === 'join' && step.kind === 'FOREIGN_KEY') return true;
  if (step.type === 'source') return false;
  if (step.type === 'join') return hasForeignKeyJoin(step.left) || hasForeignKeyJoin(step.right);
  return hasForeignKeyJoin(step.input);
}

/** Whether a step's rows are a table's changelog (a table source, or an aggregation's output). */
export function producesTable(step: Step): boolean {
  switch (step.type) {
    case 'source':
      return step.source.kind === 'TABLE';
    case 'aggregate':
      return true;
    case 'join':
      return step.kind === 'TABLE_TABLE' || step.kind === 'FOREIGN_KEY';
    case 'filter':
      return producesTable(step.input);
    default:
      return false;
  }
}

/** Whether a GROUP BY edge's writer runs the table group-by (which keeps the rows each table key last had). */
export function writerRegroups(edge: RepartitionEdge): boolean {
  return edge.aggregate !== undefined && regroupsTable(edge.aggregate);
}
