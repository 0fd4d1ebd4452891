/**
 * The tasks of one sub-topology of a query in this process, and the consumer
 * that feeds them (as a Kafka Streams thread runs its tasks).
 *
 * A task is partition p of the sub-topology's co-partitioned input topics
 * (sources and repartition topics): its own operators and state, so its own
 * stream time. A record goes to the task of its partition; poll merges the
 * partitions by timestamp. When the group gives partition p to this process,
 * the task's stores are restored from partition p of the query's changelog
 * before any record of p is processed; when it takes p away, what the task
 * produced is written and the offsets committed, then the task is dropped.
 * After each batch the outputs (sink records, or re-keyed records for the next
 * sub-topology) and the tasks' state changes (to changelog partition p) are
 * written, and only then, at most once per commit interval and whenever it
 * catches up, the offsets are committed: at-least-once. Repartition records
 * below the committed offsets are deleted, as Kafka Streams purges them.
 */
import type { Broker, ConsumedRecord, Consumer, ProducerRecord, TopicPartition, TopicPartitionOffset } from '../broker/port.js';
import type { OutputRecord, Pipeline } from './pipeline.js';
import { decodeChange, encodeChange, type LoggedState, type StoreChange } from './state.js';
import type { SubTopology } from './topology.js';

const POLL_BATCH = 5000;
/** While a query is busy, how often it commits its offsets (Kafka Streams' commit.interval.ms, shortened). */
const COMMIT_INTERVAL_MS = 1000;
/**
 * While records keep coming, outputs are written in batches of about this many (each write of
 * the file log is synced): a backlog costs a few syncs, not one per poll. Caught up, a commit
 * due, or stopping, they are written at once.
 */
const FLUSH_RECORDS = 10_000;

/** Where a task's pipeline puts what it produces; written after a batch or several (FLUSH_RECORDS). */
export interface TaskOutputs {
  /** Sink records (the sub-topology that ends in the projection). */
  readonly outputs: OutputRecord[];
  /** Re-keyed records for the repartition topic the sub-topology writes. */
  readonly repartitioned: ProducerRecord[];
}

export interface SubTopologyRunnerOptions {
  readonly broker: Broker;
  /** The query's consumer group. */
  readonly groupId: string;
  readonly clientId: string;
  /** Where source partitions without a committed offset start (repartition topics: always their beginning). */
  readonly fromBeginning: boolean;
  /** False: one task takes every partition (a query that cannot be partitioned). */
  readonly partitioned: boolean;
  /** The query's changelog, when its state is logged (persistent queries). */
  readonly changelogTopic?: string;
  /** A task's empty state (namespaced for the sub-topology). */
  newState(): LoggedState;
  /** A task's pipeline over its state. */
  createTask(state: LoggedState, outputs: TaskOutputs): Pipeline;
  /** Writes a batch of sink records. */
  writeSink(batch: OutputRecord[]): Promise<void>;
  /** Outputs may wait for more while records keep coming (durable sinks); else each poll's are written at once. */
  readonly batchWrites?: boolean;
  /** Called with each batch consumed, before it is processed. */
  consumed(records: readonly ConsumedRecord[], fromSources: number): void;
  /** A record failed in a way no record-level handling covers: the error that stops the query. */
  failed(record: ConsumedRecord, err: unknown): Error;
  /** False once the query stops or pauses: a pump ends after its current batch. */
  running(): boolean;
}

interface Task {
  readonly id: number;
  readonly state: LoggedState;
  readonly pipeline: Pipeline;
}

export class SubTopologyRunner {
  private consumer?: Consumer;
  private readonly tasks = new Map<number, Task>();
  private readonly out: TaskOutputs = { outputs: [], repartitioned: [] };
  private readonly repartitionTopics: ReadonlySet<string>;
  private readonly sourceTopics: ReadonlySet<string>;
  /** Seeks to run once subscribe has returned the consumer (assignments made inside it). */
  private pendingSeeks: TopicPartitionOffset[] = [];
  private uncommitted = false;
  private lastCommit = 0;

  constructor(
    readonly sub: SubTopology,
    private readonly o: SubTopologyRunnerOptions,
  ) {
    this.repartitionTopics = new Set(sub.inputs.map((e) => e.topic));
    this.sourceTopics = new Set(sub.sourceTopics);
  }

  /** Joins the query's group for this sub-topology's topics. */
  async start(): Promise<void> {
    const consumer = await this.o.broker.subscribe({
      groupId: this.o.groupId,
      topics: [...this.sub.sourceTopics, ...this.repartitionTopics],
      fromBeginning: this.o.fromBeginning,
      clientId: this.o.clientId,
      onAssign: (partitions) => this.assigned(partitions),
      onRevoke: (partitions) => this.revoked(partitions),
    });
    this.consumer = consumer;
    for (const s of this.pendingSeeks.splice(0)) consumer.seek(s.topic, s.partition, s.offset);
  }

  /** The task a partition's records go to. */
  private taskOf(partition: number): number {
    return this.o.partitioned ? partition : 0;
  }

  private async assigned(partitions: TopicPartition[]): Promise<void> {
    // A repartition topic is read from its beginning where the group has no offset yet, whatever auto.offset.reset says.
    if (!this.o.fromBeginning) {
      for (const topic of new Set(partitions.filter((tp) => this.repartitionTopics.has(tp.topic)).map((tp) => tp.topic))) {
        const committed = await this.o.broker.committedOffsets(this.o.groupId, topic);
        const begins = await this.o.broker.beginningOffsets(topic);
        for (const tp of partitions) {
          if (tp.topic !== topic || committed.find((c) => c.partition === tp.partition)?.offset != null) continue;
          const seek = { topic, partition: tp.partition, offset: begins.find((b) => b.partition === tp.partition)?.offset ?? 0 };
          if (this.consumer) this.consumer.seek(seek.topic, seek.partition, seek.offset);
          else this.pendingSeeks.push(seek);
        }
      }
    }
    for (const id of new Set(partitions.map((tp) => this.taskOf(tp.partition)))) {
      if (!this.tasks.has(id)) this.tasks.set(id, await this.createTask(id));
    }
  }

  private async revoked(partitions: TopicPartition[]): Promise<void> {
    try {
      await this.flush();
      await this.commit();
    } catch {
      // Not committed: whoever takes the partitions over processes them again (at-least-once).
    }
    const gone = new Set(partitions.map((tp) => `${tp.topic}\u0000${tp.partition}`));
    const kept = new Set((this.consumer?.assignment() ?? []).filter((tp) => !gone.has(`${tp.topic}\u0000${tp.partition}`)).map((tp) => this.taskOf(tp.partition)));
    for (const tp of partitions) {
      const id = this.taskOf(tp.partition);
      if (!kept.has(id)) this.tasks.delete(id);
    }
    this.lastTask = undefined;
  }

  private async createTask(id: number): Promise<Task> {
    const state = this.o.newState();
    if (this.o.changelogTopic !== undefined && this.sub.stateful) await this.restore(state, id);
    return { id, state, pipeline: this.o.createTask(state, this.out) };
  }

  /** Reads changelog partition `id` to its end into the task's stores. */
  private async restore(state: LoggedState, id: number): Promise<void> {
    const broker = this.o.broker;
    const topic = this.o.changelogTopic as string;
    let offset = (await broker.beginningOffsets(topic)).find((b) => b.partition === id)?.offset ?? 0;
    const end = (await broker.endOffsets(topic)).find((e) => e.partition === id)?.offset ?? 0;
    const changes: StoreChange[] = [];
    while (offset < end) {
      const batch = await broker.fetch(topic, id, offset, 10_000);
      if (batch.length === 0) break;
      for (const r of batch) {
        offset = r.offset + 1;
        if (r.key === null) continue;
        const change = decodeChange(r.key, r.value);
        if (change) changes.push(change);
      }
    }
    state.restore(changes);
  }

  private lastTask?: Task;

  /** Processes what is available now; resolves to the number of records consumed. */
  async pump(timeoutMs = 0): Promise<number> {
    const consumer = this.consumer;
    if (!consumer) return 0;
    let total = 0;
    const allFromSources = this.repartitionTopics.size === 0;
    for (;;) {
      const records = await consumer.poll(POLL_BATCH, total === 0 ? timeoutMs : 0);
      if (records.length === 0) break;
      total += records.length;
      let fromSources = records.length;
      if (!allFromSources) {
        fromSources = 0;
        for (const r of records) if (this.sourceTopics.has(r.topic)) fromSources += 1;
      }
      this.o.consumed(records, fromSources);
      for (const r of records) {
        let task = this.lastTask;
        const id = this.taskOf(r.partition);
        if (task?.id !== id) {
          task = this.tasks.get(id);
          if (!task) throw new Error(`internal: no task for ${r.topic} partition ${r.partition}`);
          this.lastTask = task;
        }
        try {
          task.pipeline.process(r);
        } catch (err) {
          await this.flush().catch(() => undefined);
          throw this.o.failed(r, err);
        }
      }
      // Offsets move only after the outputs and state changes they caused are written;
      // while records keep coming, at most once per commit interval (a commit is a durable write).
      this.uncommitted = true;
      const commitDue = Date.now() - this.lastCommit >= COMMIT_INTERVAL_MS;
      const pending = this.out.outputs.length + this.out.repartitioned.length;
      if (!this.o.batchWrites || commitDue || !this.o.running() || pending >= FLUSH_RECORDS) {
        await this.flush();
      }
      if (commitDue) await this.commit();
      if (!this.o.running()) break;
    }
    // Caught up (or stopped): what was processed is written and committed.
    await this.flush();
    await this.commit();
    return total;
  }

  /** Writes what the last records produced: outputs first, then the state changes they came with. */
  private async flush(): Promise<void> {
    const { outputs, repartitioned } = this.out;
    if (repartitioned.length > 0) await this.o.broker.produce(this.sub.output?.topic as string, repartitioned.splice(0, repartitioned.length));
    if (outputs.length > 0) await this.o.writeSink(outputs.splice(0, outputs.length));
    const changelog = this.o.changelogTopic;
    if (changelog === undefined || !this.sub.stateful) return;
    const at = Date.now();
    for (const task of this.tasks.values()) {
      const changes = task.state.take();
      if (changes.length === 0) continue;
      await this.o.broker.produce(
        changelog,
        changes.map((c) => ({ ...encodeChange(c), timestamp: at, partition: task.id })),
      );
    }
  }

  /** Commits the consumed positions if anything was processed since the last commit. */
  private async commit(): Promise<void> {
    const consumer = this.consumer;
    if (!this.uncommitted || !consumer) return;
    this.uncommitted = false;
    this.lastCommit = Date.now();
    const positions = consumer.positions();
    await consumer.commit(positions);
    await this.purge(positions);
  }

  /** Deletes the repartition records below the committed offsets: nobody reads them again. */
  private async purge(positions: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.repartitionTopics.size === 0) return;
    for (const topic of this.repartitionTopics) {
      const offsets = positions.filter((p) => p.topic === topic).map((p) => ({ partition: p.partition, offset: p.offset }));
      if (offsets.length > 0) await this.o.broker.deleteRecords(topic, offsets).catch(() => undefined);
    }
  }

  /** Resolves true when a poll would return records (or has a rebalance to run), false after `ms`. */
  waitForData(ms: number): Promise<boolean> {
    return this.consumer ? this.consumer.waitForData(ms) : Promise.resolve(false);
  }

  /** Leaves the group: what was processed is written and committed (onRevoke), the tasks dropped. */
  async close(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    await this.commit().catch(() => undefined);
    await consumer.close();
    this.consumer = undefined;
    this.tasks.clear();
    this.lastTask = undefined;
  }

  /** Partitions of its topics this process owns now. */
  get assignedPartitions(): number {
    return this.consumer?.assignment().length ?? 0;
  }

  /** Task ids (partitions) this process runs now. */
  get taskIds(): number[] {
    return [...this.tasks.keys()].sort((a, b) => a - b);
  }
}
