/**
 * Kafka transactions behind the port's Transaction: a transactional
 * producer per transactional id (InitProducerId fences older instances),
 * AddPartitionsToTxn before a partition's first batch, AddOffsetsToTxn and
 * TxnOffsetCommit for sendOffsets, EndTxn to finish. After EndTxn, commit
 * and abort wait until the markers are written (the last stable offset of
 * every partition written has moved past our records, the offsets are
 * readable), so what the port promises holds: once commit resolves, readers
 * of committed data see everything.
 */

import { BrokerError, InvalidTxnStateError, ProducerFencedError, UnknownTopicError } from '../errors.js';
import type { ProducerRecord, Transaction, TopicPartitionOffset } from '../port.js';
import { sleep, type KafkaClient } from './client.js';
import { errorType, toBrokerError } from './errors.js';
import { COORDINATOR_GROUP, COORDINATOR_TRANSACTION, LATEST, type KafkaNode } from './internals.js';
import { RecordSender, type ProducerIdentity } from './producer.js';
import type { TopicCache } from './topics.js';

/** How records of one produce call land: partition per record, grouped per partition in order. */
export interface PartitionedRecords {
  partitions: number[];
  groups: Map<number, ProducerRecord[]>;
}

export interface TransactionContext {
  client: KafkaClient;
  topics: TopicCache;
  requestTimeoutMs: number;
  deliveryTimeoutMs: number;
  /** Validate a produce call and choose partitions (errors before anything is sent). */
  partition(topic: string, records: readonly ProducerRecord[]): Promise<PartitionedRecords>;
  /** Validate offsets for sendOffsets (topics and partitions exist). */
  checkOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** How long commit/abort wait for the markers to become visible. */
  visibilityTimeoutMs: number;
}

const FENCING = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'TRANSACTIONAL_ID_NOT_FOUND']);

/** One transactional id's producer: reused by the next transaction once the current one ended. */
export class TransactionalProducer {
  readonly sender: RecordSender;
  /** The transaction running on it, if any. */
  current: KafkaTransaction | undefined;
  fenced = false;

  constructor(
    readonly transactionalId: string,
    readonly identity: ProducerIdentity,
    private readonly context: TransactionContext,
  ) {
    this.sender = new RecordSender(context.client, context.topics, {
      transactionalId,
      requestTimeoutMs: context.requestTimeoutMs,
      deliveryTimeoutMs: context.deliveryTimeoutMs,
      identity,
    });
  }

  begin(onEnd: (producer: TransactionalProducer) => void): KafkaTransaction {
    this.current = new KafkaTransaction(this, this.context, onEnd);
    return this.current;
  }

  fence(): ProducerFencedError {
    this.fenced = true;
    const error = new ProducerFencedError(this.transactionalId);
    this.sender.failWith(error);
    return error;
  }

  close(): void {
    this.sender.close();
  }
}

type State = 'open' | 'failed' | 'committed' | 'aborted' | 'over';

export class KafkaTransaction implements Transaction {
  private state: State = 'open';
  private readonly partitionsInTxn = new Set<string>();
  /** Highest offset written per topic-partition, for the visibility wait. */
  private readonly written = new Map<string, { topic: string; partition: number; offset: number }>();
  private readonly offsetsSent: Array<{ groupId: string; offsets: TopicPartitionOffset[] }> = [];
  private readonly groupsInTxn = new Set<string>();

  constructor(
    private readonly producer: TransactionalProducer,
    private readonly context: TransactionContext,
    private readonly onEnd: (producer: TransactionalProducer) => void,
  ) {}

  async produce(topic: string, records: readonly ProducerRecord[]): Promise<void> {
    this.checkUsable('produce');
    if (records.length === 0) return;
    try {
      const { groups } = await this.context.partition(topic, [...records]);
      const fresh = [...groups.keys()].filter((p) => !this.partitionsInTxn.has(`${topic}\u0000${p}`));
      if (fresh.length > 0) {
        await this.toCoordinator((node) =>
          node.addPartitionsToTxn({
            transactionalId: this.producer.transactionalId,
            producerId: String(this.producer.identity.producerId),
            producerEpoch: this.producer.identity.producerEpoch,
            topics: [{ topic, partitions: fresh }],
          }),
        );
        for (const p of fresh) this.partitionsInTxn.add(`${topic}\u0000${p}`);
      }
      await Promise.all(
        [...groups].map(async ([partition, list]) => {
          const offsets = await this.producer.sender.send(topic, partition, list);
          const key = `${topic}\u0000${partition}`;
          const last = offsets[offsets.length - 1]!;
          const known = this.written.get(key);
          if (known === undefined || known.offset < last) this.written.set(key, { topic, partition, offset: last });
        }),
      );
    } catch (error) {
      this.state = 'failed';
      throw this.translate(error, `Producing to '${topic}' in transaction '${this.producer.transactionalId}'`, topic);
    }
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.checkUsable('sendOffsets');
    if (offsets.length === 0) return;
    try {
      await this.context.checkOffsets(offsets);
      if (!this.groupsInTxn.has(groupId)) {
        await this.toCoordinator((node) =>
          node.addOffsetsToTxn({
            transactionalId: this.producer.transactionalId,
            producerId: String(this.producer.identity.producerId),
            producerEpoch: this.producer.identity.producerEpoch,
            groupId,
          }),
        );
        this.groupsInTxn.add(groupId);
      }
      const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
      for (const { topic, partition, offset } of offsets) {
        let list = byTopic.get(topic);
        if (list === undefined) byTopic.set(topic, (list = []));
        list.push({ partition, offset: String(offset) });
      }
      await this.context.client.toCoordinator(groupId, COORDINATOR_GROUP, (node) =>
        node.txnOffsetCommit({
          transactionalId: this.producer.transactionalId,
          groupId,
          producerId: String(this.producer.identity.producerId),
          producerEpoch: this.producer.identity.producerEpoch,
          topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
        }),
      );
      this.offsetsSent.push({ groupId, offsets: offsets.map((o) => ({ ...o })) });
    } catch (error) {
      this.state = 'failed';
      throw this.translate(error, `Sending offsets of '${groupId}' in transaction '${this.producer.transactionalId}'`);
    }
  }

  async commit(): Promise<void> {
    if (this.state === 'failed') {
      throw new InvalidTxnStateError(`Transaction '${this.producer.transactionalId}' had a failed operation and must be aborted`);
    }
    this.checkUsable('commit');
    try {
      await this.end(true);
      this.state = 'committed';
    } catch (error) {
      this.state = 'over';
      throw error;
    } finally {
      this.finish();
    }
  }

  async abort(): Promise<void> {
    if (this.state !== 'open' && this.state !== 'failed') {
      throw new InvalidTxnStateError(`Transaction '${this.producer.transactionalId}' is over (${this.state})`);
    }
    try {
      await this.end(false);
      this.state = 'aborted';
    } catch (error) {
      this.state = 'over';
      throw error;
    } finally {
      this.finish();
    }
  }

  private async end(commit: boolean): Promise<void> {
    if (this.producer.fenced) throw new ProducerFencedError(this.producer.transactionalId);
    // Nothing was added: the coordinator has no transaction to end.
    if (this.partitionsInTxn.size === 0 && this.groupsInTxn.size === 0) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.toCoordinator((node) =>
          node.endTxn({
            transactionalId: this.producer.transactionalId,
            producerId: String(this.producer.identity.producerId),
            producerEpoch: this.producer.identity.producerEpoch,
            transactionResult: commit,
          }),
        );
        break;
      } catch (error) {
        if (errorType(error) === 'CONCURRENT_TRANSACTIONS' && attempt < 200) {
          await sleep(10);
          continue;
        }
        throw this.translate(error, `${commit ? 'Committing' : 'Aborting'} transaction '${this.producer.transactionalId}'`);
      }
    }
    await this.awaitMarkers(commit);
  }

  /** Wait until the markers are written: last stable offsets past our records, offsets readable. */
  private async awaitMarkers(commit: boolean): Promise<void> {
    const deadline = Date.now() + this.context.visibilityTimeoutMs;
    const byTopic = new Map<string, Array<{ partition: number; offset: number }>>();
    for (const w of this.written.values()) {
      let list = byTopic.get(w.topic);
      if (list === undefined) byTopic.set(w.topic, (list = []));
      list.push({ partition: w.partition, offset: w.offset });
    }
    for (const [topic, list] of byTopic) {
      for (;;) {
        let stable: Array<{ partition: number; offset: number }>;
        try {
          stable = await this.context.topics.listOffsets(
            topic,
            LATEST,
            list.map((p) => p.partition),
          );
        } catch (error) {
          if (error instanceof UnknownTopicError) break;
          throw error;
        }
        if (list.every((w) => (stable.find((s) => s.partition === w.partition)?.offset ?? 0) > w.offset)) break;
        if (Date.now() > deadline) return;
        await sleep(5);
      }
    }
    if (!commit) return;
    for (const { groupId, offsets } of this.offsetsSent) {
      const topics = [...new Set(offsets.map((o) => o.topic))].map((topic) => ({
        topic,
        partitions: offsets.filter((o) => o.topic === topic).map((o) => ({ partition: o.partition })),
      }));
      for (;;) {
        const response = await this.context.client.toCoordinator(groupId, COORDINATOR_GROUP, (node) =>
          node.offsetFetch({ groupId, topics }),
        );
        const seen = new Map<string, number>();
        for (const t of response.responses)
          for (const p of t.partitions) seen.set(`${t.topic}\u0000${p.partition}`, Number(p.offset));
        if (offsets.every((o) => seen.get(`${o.topic}\u0000${o.partition}`) === o.offset)) break;
        if (Date.now() > deadline) return;
        await sleep(5);
      }
    }
  }

  private toCoordinator<T>(call: (node: KafkaNode) => Promise<T>): Promise<T> {
    return this.context.client.toCoordinator(this.producer.transactionalId, COORDINATOR_TRANSACTION, call);
  }

  private checkUsable(what: string): void {
    if (this.producer.fenced && this.state === 'open') this.state = 'failed';
    if (this.state === 'open') return;
    if (this.state === 'failed' && what !== 'commit') {
      throw new InvalidTxnStateError(`Transaction '${this.producer.transactionalId}' had a failed operation and must be aborted`);
    }
    throw new InvalidTxnStateError(`Transaction '${this.producer.transactionalId}' is over (${this.state}); ${what} refused`);
  }

  private translate(error: unknown, what: string, topic?: string): Error {
    if (error instanceof ProducerFencedError) return this.producer.fence();
    if (error instanceof BrokerError) return error;
    const type = errorType(error);
    if (type !== undefined && FENCING.has(type)) return this.producer.fence();
    if (type === 'UNKNOWN_TOPIC_OR_PARTITION' && topic !== undefined) return new UnknownTopicError(topic);
    if (type === 'INVALID_TXN_STATE') return new InvalidTxnStateError(`${what}: ${(error as Error).message}`);
    return toBrokerError(error, what);
  }

  private finish(): void {
    if (this.producer.current === this) this.producer.current = undefined;
    this.onEnd(this.producer);
  }
}
