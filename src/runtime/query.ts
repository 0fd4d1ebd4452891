/**
 * Running queries. A query is one consumer group (`_ksqlite_<service>_query_<ID>`)
 * over its source topics and its repartition topics; its plan is cut into
 * sub-topologies (topology.ts), each run here by one consumer and a task per
 * partition (sub-topology.ts), so that processes with the same service id share
 * every query's partitions, stateful or not. A task's state is changelogged to
 * the partition of the query's compacted changelog topic
 * (`_ksqlite_<service>_query_<ID>-changelog`) that has its number, and restored
 * from it where the task starts. Outputs are written to the sink in one batch
 * per poll, and only then are the offsets committed (at-least-once). A
 * transient query does the same into an async row stream.
 *
 * A query with a foreign-key join cannot be partitioned (topology.ts): it runs
 * as one task, in one process at a time, decided by a lease.
 *
 * Queries run in the background (startLoop) or are pumped by a driver (pump),
 * the latter for the test runner, which moves each input through every
 * sub-topology of every query before the next one.
 */
import type { Broker, ConsumedRecord, Consumer, ProducerRecord } from '../broker/port.js';
import { sourcesOf, type QueryPlan, type SourceStep } from '../planner/plan.js';
import type { DataSource } from '../planner/metastore.js';
import { createSerde, type RowSerde, type SchemaRegistry } from '../serde/index.js';
import { buildPipeline, type OutputRecord, type PipelineOptions } from './pipeline.js';
import type { ProcessingLog, ProcessingLogger } from './processing-log.js';
import { repartitionKeySerde, repartitionWriter } from './repartition.js';
import { LoggedState, storeNamespace } from './state.js';
import { SubTopologyRunner } from './sub-topology.js';
import { planTopology, type RepartitionEdge, type SubTopology, type Topology } from './topology.js';
import { windowedKey } from './windowed.js';

export type QueryState = 'RUNNING' | 'PAUSED' | 'ERROR' | 'TERMINATED';

export interface QueryMetrics {
  messagesIn: number;
  messagesOut: number;
  failed: number;
  lastMessageAt?: number;
  lastFailedAt?: number;
  readonly startedAt: number;
}

export interface RuntimeDeps {
  readonly broker: Broker;
  readonly registry: SchemaRegistry;
  readonly processingLog: ProcessingLog;
  readonly serviceId: string;
  /** auto.offset.reset at the time the query started. */
  readonly fromBeginning: boolean;
  readonly throwOnInvalidTimestamp?: boolean;
  /**
   * A one-partition topic whose ownership, in a consumer group per query,
   * decides which process runs a persistent query that cannot be partitioned
   * (a foreign-key join's): the owner runs it, the others stand by and take
   * over (restoring its state from the changelog) when it leaves or dies.
   * Every other query shares its partitions through its consumer group.
   * Absent: always run.
   */
  readonly leaseTopic?: string;
  /**
   * Fuse a repartition of one partition written by one task into the task that reads it
   * (no topic: the rows would cross it in the same order). Default true.
   */
  readonly fuseSinglePartitionRepartitions?: boolean;
}

/** Serdes for reading a source's key and value. */
export async function sourceSerdes(source: DataSource, registry: SchemaRegistry): Promise<{ key: RowSerde; value: RowSerde }> {
  const key = await createSerde({
    format: source.keyFormat.format,
    properties: source.keyFormat.properties,
    columns: source.schema.keyColumns.map((c) => ({ name: c.name, type: c.type })),
    isKey: true,
    registry,
    topic: source.topic,
    sink: false,
  });
  const value = await createSerde({
    format: source.valueFormat.format,
    properties: source.valueFormat.properties,
    columns: source.schema.valueColumns.map((c) => ({ name: c.name, type: c.type })),
    isKey: false,
    ...wrapOption(source.valueFeatures),
    registry,
    topic: source.topic,
    sink: false,
  });
  return { key, value };
}

/** Serdes for writing to a source's topic (registers schemas for schema-registry formats). */
export async function sinkSerdes(source: DataSource, registry: SchemaRegistry): Promise<{ key: RowSerde; value: RowSerde }> {
  return { key: await sinkSerde(source, 'key', registry), value: await sinkSerde(source, 'value', registry) };
}

/** The serde writing one side of a source's records (registering its schema where the format has one). */
export async function sinkSerde(source: DataSource, side: 'key' | 'value', registry: SchemaRegistry): Promise<RowSerde> {
  if (side === 'key') {
    return createSerde({
      format: source.keyFormat.format,
      properties: source.keyFormat.properties,
      columns: source.schema.keyColumns.map((c) => ({ name: c.name, type: c.type })),
      isKey: true,
      registry,
      topic: source.topic,
      sink: true,
    });
  }
  return createSerde({
    format: source.valueFormat.format,
    properties: source.valueFormat.properties,
    columns: source.schema.valueColumns.map((c) => ({ name: c.name, type: c.type })),
    isKey: false,
    ...wrapOption(source.valueFeatures),
    registry,
    topic: source.topic,
    sink: true,
  });
}

function wrapOption(features: readonly string[]): { wrapSingle?: boolean } {
  if (features.includes('WRAP_SINGLE_VALUES')) return { wrapSingle: true };
  if (features.includes('UNWRAP_SINGLE_VALUES')) return { wrapSingle: false };
  return {};
}

/** A query stopped by an error in its processing. */
export class QueryFailedError extends Error {
  override readonly name = 'QueryFailedError';
  constructor(
    readonly queryId: string,
    message: string,
  ) {
    super(message);
  }
}

/** What every running query shares: its sub-topologies' runners, their loops, metrics. */
abstract class RunningQuery {
  state: QueryState = 'RUNNING';
  readonly metrics: QueryMetrics = { messagesIn: 0, messagesOut: 0, failed: 0, startedAt: Date.now() };
  error?: string;
  /** The sub-topologies and how the query is partitioned; set by init. */
  protected topology: Topology = { subTopologies: [], partitioned: true };
  /** One per sub-topology while this process runs the query (writers first). */
  protected runners: SubTopologyRunner[] = [];
  private loops: Promise<void>[] = [];
  private stopping = false;
  private wakeStop!: () => void;
  /** Resolves when stop() is called: ends an idle wait at once. */
  protected readonly stopSignal = new Promise<void>((resolve) => {
    this.wakeStop = resolve;
  });

  protected constructor(
    readonly id: string,
    readonly plan: QueryPlan,
    protected readonly deps: RuntimeDeps,
  ) {}

  protected groupId(): string {
    return `_ksqlite_${this.deps.serviceId}_query_${this.id}`;
  }

  /** Writes a batch of the query's results (its sink, or its row stream). */
  protected abstract handle(out: OutputRecord[]): Promise<void>;

  /** The topic the tasks' state is changelogged to; absent: state is thrown away (transient queries). */
  protected abstract stateTopic(): string | undefined;

  /** Table tombstones go out (persistent table sinks); transient queries skip them. */
  protected abstract get emitsTombstones(): boolean;

  /** Cuts the plan into sub-topologies, with the partition counts of its sources. */
  protected async planTopology(): Promise<void> {
    const counts = new Map<string, number>();
    for (const topic of new Set(sourcesOf(this.plan.root).map((s) => s.source.topic))) {
      counts.set(topic, (await this.deps.broker.describeTopic(topic))?.partitions ?? 1);
    }
    this.topology = planTopology(this.plan, {
      base: this.groupId(),
      partitionsOf: (topic) => counts.get(topic) ?? 1,
      fuse: this.deps.fuseSinglePartitionRepartitions ?? !process.env.KSQLITE_NO_FUSE,
    });
  }

  /** The repartition topics of the query. */
  protected get edges(): RepartitionEdge[] {
    return this.topology.subTopologies.flatMap((s) => (s.output ? [s.output] : []));
  }

  /** The internal topics the query writes: repartition topics, and the changelog when it keeps state. */
  get internalTopics(): string[] {
    const changelog = this.stateTopic();
    const stateful = this.topology.subTopologies.some((s) => s.stateful);
    return [...this.edges.map((e) => e.topic), ...(changelog !== undefined && stateful ? [changelog] : [])];
  }

  /** Creates the internal topics (checking the layout of existing ones), then joins the group, writers first. */
  protected async startRunners(): Promise<void> {
    if (this.runners.length > 0) return;
    const broker = this.deps.broker;
    const changelog = this.stateTopic();
    const stateful = this.topology.subTopologies.filter((s) => s.stateful);
    for (const edge of this.edges) await this.ensureTopic(edge.topic, edge.partitions, false);
    if (changelog !== undefined && stateful.length > 0) await this.ensureTopic(changelog, Math.max(...stateful.map((s) => s.tasks)), true);

    const serdes = new Map<SourceStep, { key: RowSerde; value: RowSerde }>();
    for (const s of sourcesOf(this.plan.root)) serdes.set(s, await sourceSerdes(s.source, this.deps.registry));
    const keySerdes = new Map<RepartitionEdge, RowSerde>();
    for (const edge of this.edges) keySerdes.set(edge, await repartitionKeySerde(edge, this.deps.registry));
    const log = this.deps.processingLog.forQuery(this.id, () => {
      this.metrics.failed += 1;
      this.metrics.lastFailedAt = Date.now();
    });
    const logged = changelog !== undefined;
    const runners: SubTopologyRunner[] = [];
    try {
      for (const sub of this.topology.subTopologies) {
        const runner = new SubTopologyRunner(sub, {
          broker,
          groupId: this.groupId(),
          clientId: this.id,
          fromBeginning: this.deps.fromBeginning,
          partitioned: this.topology.partitioned,
          ...(logged && sub.stateful ? { changelogTopic: changelog } : {}),
          newState: () => new LoggedState(logged, storeNamespace(sub.id)),
          createTask: (state, out) =>
            buildPipeline(this.plan.root, (s) => serdes.get(s) as { key: RowSerde; value: RowSerde }, (o) => out.outputs.push(o), this.pipelineOptions(log, state), {
              top: sub.root,
              edges: new Map(sub.inputs.map((e) => [e.input, e])),
              ...(sub.output ? { output: { edge: sub.output, sink: repartitionWriter(sub.output, keySerdes.get(sub.output) as RowSerde, log, out.repartitioned) } } : {}),
            }),
          writeSink: (batch) => this.handle(batch),
          batchWrites: logged,
          consumed: (records, fromSources) => {
            this.metrics.messagesIn += fromSources;
            if (records.length > 0) this.metrics.lastMessageAt = Date.now();
          },
          failed: (record, err) => this.failed(record, err),
          running: () => this.state === 'RUNNING',
        });
        await runner.start();
        runners.push(runner);
      }
    } catch (err) {
      for (const r of runners.reverse()) await r.close().catch(() => undefined);
      throw err;
    }
    this.runners = runners;
  }

  private pipelineOptions(log: ProcessingLogger, state: LoggedState): PipelineOptions {
    const emitTombstones = this.emitsTombstones;
    return {
      log,
      state,
      emitTombstones,
      tableSemantics: this.plan.isTable && emitTombstones,
      ...(this.deps.throwOnInvalidTimestamp !== undefined ? { throwOnInvalidTimestamp: this.deps.throwOnInvalidTimestamp } : {}),
    };
  }

  /** Creates an internal topic, or checks that the existing one has the partitions the tasks need. */
  private async ensureTopic(name: string, partitions: number, compacted: boolean): Promise<void> {
    const broker = this.deps.broker;
    await broker.createTopic({ name, partitions, replicas: 1, ...(compacted ? { config: { 'cleanup.policy': 'compact' } } : {}), ifNotExists: true });
    const have = (await broker.describeTopic(name))?.partitions;
    if (have !== undefined && have !== partitions) {
      throw new QueryFailedError(
        this.id,
        `The internal topic ${name} has ${have} partitions, but query ${this.id} has ${partitions} tasks: it was made for another layout of the query. Terminate and re-create the query.`,
      );
    }
  }

  /** Leaves the group: each runner writes and commits what it processed. */
  protected async stopRunners(): Promise<void> {
    const runners = this.runners;
    this.runners = [];
    for (const r of runners) await r.close();
  }

  /** The error that stops the query (a record failed in a way no record-level handling covers). */
  private failed(record: ConsumedRecord, err: unknown): Error {
    // As in ksqlDB: an aggregate's overflow, say, stops the query.
    const cause = err instanceof Error ? err.message : String(err);
    this.state = 'ERROR';
    this.error = `Exception caught in process. topic=${record.topic}, partition=${record.partition}, offset=${record.offset}: ${cause}`;
    return new QueryFailedError(this.id, this.error);
  }

  /** Runs a pending change of the query's lease (queries that share one). */
  protected async checkLease(): Promise<void> {}

  /**
   * Processes what is available now in every sub-topology, writers first (so one call moves a
   * record through all of them); resolves to the number of records consumed. The first
   * sub-topology that has nothing waits up to `timeoutMs` if nothing moved yet.
   */
  async pump(timeoutMs = 0): Promise<number> {
    await this.checkLease();
    if (this.state !== 'RUNNING') return 0;
    let total = 0;
    for (const r of this.runners) {
      total += await r.pump(total === 0 ? timeoutMs : 0);
      if (this.state !== 'RUNNING') break;
    }
    return total;
  }

  /** Runs in the background until stop(): a loop per sub-topology. */
  startLoop(): void {
    if (this.loops.length > 0) return;
    const count = Math.max(1, this.topology.subTopologies.length);
    for (let i = 0; i < count; i++) this.loops.push(this.loop(i));
  }

  private async loop(index: number): Promise<void> {
    while (!this.stopping) {
      try {
        if (this.state !== 'RUNNING') {
          await sleep(100);
          continue;
        }
        // The lease (one sub-topology then) is looked after by the first loop.
        if (index === 0) await this.checkLease();
        const runner = this.runners[index];
        if (!runner) {
          await this.idle(200);
          continue;
        }
        const n = await runner.pump(0);
        if (n === 0) await Promise.race([runner.waitForData(200), this.stopSignal]);
      } catch (err) {
        this.state = 'ERROR';
        this.error ??= err instanceof Error ? err.message : String(err);
        await sleep(500);
      }
    }
  }

  /** Waits while this process does not run the query (a lease held elsewhere). */
  protected async idle(ms: number): Promise<void> {
    await Promise.race([sleep(ms), this.stopSignal]);
  }

  pause(): void {
    if (this.state === 'RUNNING') this.state = 'PAUSED';
  }

  resume(): void {
    if (this.state === 'PAUSED') this.state = 'RUNNING';
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeStop();
    this.state = 'TERMINATED';
    await Promise.all(this.loops);
    await this.stopRunners();
  }

  /**
   * Records not committed yet, over every topic the query reads (sources and repartition
   * topics) and every partition, wherever it runs.
   */
  async lag(): Promise<number> {
    const broker = this.deps.broker;
    const topics = new Map<string, boolean>();
    for (const sub of this.topology.subTopologies) {
      for (const t of sub.sourceTopics) topics.set(t, this.deps.fromBeginning);
      for (const e of sub.inputs) topics.set(e.topic, true);
    }
    let lag = 0;
    for (const [topic, fromBeginning] of topics) {
      if (!(await broker.topicExists(topic))) continue;
      const committed = await broker.committedOffsets(this.groupId(), topic);
      const begins = await broker.beginningOffsets(topic);
      for (const { partition, offset: end } of await broker.endOffsets(topic)) {
        const c = committed.find((x) => x.partition === partition)?.offset;
        // Never committed: nothing read yet; what it will read depends on where it starts.
        const from = c ?? (fromBeginning ? (begins.find((b) => b.partition === partition)?.offset ?? 0) : end);
        lag += Math.max(0, end - from);
      }
    }
    return lag;
  }

  /** How many partitions (of sources and repartition topics) this process consumes now. */
  get assignedPartitions(): number {
    return this.runners.reduce((n, r) => n + r.assignedPartitions, 0);
  }

  /** The tasks this process runs now, per sub-topology: their partitions. */
  get tasks(): number[][] {
    return this.runners.map((r) => r.taskIds);
  }

  /** The query's sub-topologies. */
  get subTopologies(): readonly SubTopology[] {
    return this.topology.subTopologies;
  }

  /** False when one task must see every partition (a foreign-key join): the query then runs whole in one process. */
  get partitioned(): boolean {
    return this.topology.partitioned;
  }

  /** Where partitions without a committed offset start (auto.offset.reset when it started). */
  get startsFromBeginning(): boolean {
    return this.deps.fromBeginning;
  }

  /** The group the query consumes its topics in. */
  get consumerGroup(): string {
    return this.groupId();
  }

  /** Deletes the query's internal topics and its group(s), as ksqlDB cleans up a terminated query. Call after stop(). */
  async cleanup(): Promise<void> {
    const broker = this.deps.broker;
    for (const topic of this.internalTopics) {
      if (await broker.topicExists(topic)) await broker.deleteTopic(topic).catch(() => undefined);
    }
    for (const group of this.groups()) await broker.deleteGroup(group).catch(() => undefined);
  }

  /** The consumer groups the query uses. */
  protected groups(): string[] {
    return [this.groupId()];
  }
}

/** CREATE ... AS SELECT and INSERT INTO ... SELECT. */
export class PersistentQuery extends RunningQuery {
  private sinkKey?: RowSerde;
  private sinkValue?: RowSerde;

  private constructor(id: string, plan: QueryPlan, deps: RuntimeDeps, readonly sql: string) {
    super(id, plan, deps);
  }

  static async start(id: string, plan: QueryPlan, sql: string, deps: RuntimeDeps): Promise<PersistentQuery> {
    const q = new PersistentQuery(id, plan, deps, sql);
    await q.init();
    return q;
  }

  private async init(): Promise<void> {
    const sink = this.plan.sink;
    if (!sink) throw new Error(`query ${this.id} has no sink`);
    const serdes = await sinkSerdes(sink.source, this.deps.registry);
    this.sinkKey = serdes.key;
    this.sinkValue = serdes.value;
    await this.planTopology();
    const leaseTopic = this.deps.leaseTopic;
    // Partitioned queries need no lease: every process runs them, and the group shares the partitions out.
    if (leaseTopic === undefined || this.topology.partitioned || !this.topology.subTopologies.some((s) => s.stateful)) {
      await this.startRunners();
      return;
    }
    // The lease: whoever owns the lease topic's only partition in this group runs the query.
    this.lease = await this.deps.broker.subscribe({
      groupId: this.leaseGroup(),
      topics: [leaseTopic],
      fromBeginning: false,
      clientId: this.id,
      onAssign: async () => {
        if (!this.stopped) await this.startRunners();
      },
      onRevoke: async () => {
        await this.stopRunners();
      },
    });
  }

  private lease?: Consumer;
  private stopped = false;

  private leaseGroup(): string {
    return `${this.groupId()}_lease`;
  }

  protected override groups(): string[] {
    return [this.groupId(), this.leaseGroup()];
  }

  /** True while this process runs the query; false while another one holds its lease. */
  get active(): boolean {
    return this.runners.length > 0;
  }

  /** Whether the query runs in one process at a time (a lease), rather than sharing its partitions. */
  get leased(): boolean {
    return this.lease !== undefined;
  }

  protected override async checkLease(): Promise<void> {
    // Rebalances of the lease group run inside poll; nothing is ever written to the lease topic.
    if (this.lease && !this.stopped) await this.lease.poll(1, 0);
  }

  protected override async idle(ms: number): Promise<void> {
    await Promise.race([this.lease ? this.lease.waitForData(ms) : sleep(ms), this.stopSignal]);
  }

  override async stop(): Promise<void> {
    this.stopped = true;
    await super.stop();
    const lease = this.lease;
    this.lease = undefined;
    await lease?.close();
  }

  /** The compacted topic the tasks' state stores are changelogged to (partition p: task p's). */
  get changelogTopic(): string {
    return `_ksqlite_${this.deps.serviceId}_query_${this.id}-changelog`;
  }

  protected stateTopic(): string {
    return this.changelogTopic;
  }

  protected get emitsTombstones(): boolean {
    return true;
  }

  protected async handle(batch: OutputRecord[]): Promise<void> {
    const sink = this.plan.sink;
    if (!sink || batch.length === 0) return;
    const keySerde = this.sinkKey as RowSerde;
    const valueSerde = this.sinkValue as RowSerde;
    const keyless = sink.source.schema.keyColumns.length === 0;
    const windowType = sink.source.window?.type;
    const records: ProducerRecord[] = [];
    for (const out of batch) {
      try {
        const key = keyless || out.keyNull ? null : keySerde.serialize(out.key, sink.topic);
        records.push({
          key: windowType && out.window ? windowedKey(key, out.window, windowType === 'SESSION') : key,
          value: out.value === null ? null : valueSerde.serialize(out.value, sink.topic),
          timestamp: out.timestamp,
        });
      } catch (err) {
        this.metrics.failed += 1;
        this.metrics.lastFailedAt = Date.now();
        this.deps.processingLog
          .forQuery(this.id, () => undefined)
          .error(`Failed to serialize a record for ${sink.topic}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (records.length === 0) return;
    await this.deps.broker.produce(sink.topic, records);
    this.metrics.messagesOut += records.length;
  }
}

/** A transient push query: rows go to an async iterator until LIMIT or close(). */
export class TransientQuery extends RunningQuery {
  private readonly queue: unknown[][] = [];
  private waiting?: () => void;
  private delivered = 0;
  private done = false;

  private constructor(id: string, plan: QueryPlan, deps: RuntimeDeps) {
    super(id, plan, deps);
  }

  static async start(id: string, plan: QueryPlan, deps: RuntimeDeps): Promise<TransientQuery> {
    const q = new TransientQuery(id, plan, deps);
    await q.planTopology();
    try {
      await q.startRunners();
    } catch (err) {
      await q.cleanup().catch(() => undefined);
      throw err;
    }
    return q;
  }

  protected override groupId(): string {
    return `_ksqlite_${this.deps.serviceId}_transient_${this.id}`;
  }

  protected stateTopic(): undefined {
    return undefined;
  }

  protected get emitsTombstones(): boolean {
    return false;
  }

  protected async handle(batch: OutputRecord[]): Promise<void> {
    const limit = this.plan.limit;
    for (const out of batch) {
      if (limit !== undefined && this.delivered >= limit) break;
      this.queue.push(out.selected ?? []);
      this.delivered += 1;
      this.metrics.messagesOut += 1;
    }
    if (limit !== undefined && this.delivered >= limit) this.done = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  /** True once LIMIT rows were delivered (or the query was closed). */
  get finished(): boolean {
    return this.done;
  }

  /** The rows, as they arrive. Ends at LIMIT or close(). */
  async *rows(): AsyncGenerator<unknown[]> {
    for (;;) {
      while (this.queue.length > 0) yield this.queue.shift() as unknown[];
      if (this.done || this.state === 'TERMINATED') return;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  /** Stops, and deletes what the query made: its group and repartition topics. */
  async close(): Promise<void> {
    this.done = true;
    this.wake();
    await this.stop();
    await this.cleanup();
  }

  override async stop(): Promise<void> {
    this.done = true;
    this.wake();
    await super.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
