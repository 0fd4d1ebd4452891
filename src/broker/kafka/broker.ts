/**
 * The Broker port over a real Kafka cluster. Admin and offset operations
 * are Kafka requests (through kafkajs's protocol layer), produce goes
 * through one idempotent RecordSender, fetch is a direct Fetch request to
 * the partition's leader (no consumer group), subscribe makes a
 * KafkaGroupConsumer with connections of its own, and transactions are
 * Kafka transactions.
 */

import {
  BrokerError,
  ClientClosedError,
  GroupNotEmptyError,
  InvalidRecordError,
  InvalidTopicError,
  TopicExistsError,
  UnknownGroupError,
  UnknownPartitionError,
  UnknownTopicError,
} from '../errors.js';
import { createDefaultPartitioner, type Partitioner } from '../partitioner.js';
import type {
  Broker,
  ConsumedRecord,
  Consumer,
  GroupDescription,
  GroupPartitionLag,
  GroupState,
  PartitionOffset,
  ProducerRecord,
  RecordMetadata,
  SubscribeOptions,
  TopicDescription,
  TopicPartitionOffset,
  TopicSpec,
  Transaction,
} from '../port.js';
import { KafkaClient, sleep, type ConnectionConfig, type LogLevel } from './client.js';
import { KafkaGroupConsumer, type ConsumerTuning } from './consumer.js';
import { errorOfCode, errorType, isConnectionError, isStaleMetadata, toBrokerError, typeOfCode } from './errors.js';
import { fetchFrom } from './fetch.js';
import { COORDINATOR_GROUP, EARLIEST, LATEST, type KafkaNode } from './internals.js';
import { RecordSender, initTransactionalProducer } from './producer.js';
import { TopicCache } from './topics.js';
import { TransactionalProducer, type PartitionedRecords, type TransactionContext } from './transaction.js';
import { byTopicPartition, decodeAssignment, readRecordBatches } from './wire.js';

export interface KafkaBrokerOptions {
  /** Bootstrap servers, host:port. */
  brokers: string[];
  /** Client id of the admin/produce/fetch connections; consumers use SubscribeOptions.clientId. Default 'ksqlite'. */
  clientId?: string;
  /** TLS: true, or Node tls.connect options (as kafkajs takes them). */
  ssl?: unknown;
  /** SASL: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512' | ..., username, password } as kafkajs takes it. */
  sasl?: unknown;
  /** How long connecting may take before createKafkaBroker fails; default 10 s. */
  connectionTimeoutMs?: number;
  /** Request timeout; default 30 s. */
  requestTimeoutMs?: number;
  /** kafkajs's own logging; default 'nothing' (errors reach the caller as BrokerErrors). */
  logLevel?: LogLevel;
  /** kafkajs logCreator, when logs should go somewhere else than the console. */
  logCreator?: unknown;
  /** Where records without a partition go; default Kafka's (murmur2 of the key). */
  partitioner?: Partitioner;
  /** Consumer group timing (sessions, heartbeats, fetch waits). */
  consumer?: Partial<ConsumerTuning>;
  /** Kafka's transaction.timeout.ms for transactional producers; default 60 s. */
  transactionTimeoutMs?: number;
  /**
   * How long produce keeps retrying what may succeed later (leader moves, the
   * cluster unreachable) before failing with a retriable error; default 2 min,
   * Kafka's delivery.timeout.ms.
   */
  deliveryTimeoutMs?: number;
}

const DEFAULT_TUNING: ConsumerTuning = {
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1000,
  rebalanceTimeoutMs: 30_000,
  fetchMaxWaitMs: 500,
  maxPartitionFetchBytes: 1_048_576,
  maxBufferedRecords: 10_000,
  metadataRefreshMs: 5000,
};

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const UNKNOWN_TOPIC = 3;
const OFFSET_OUT_OF_RANGE = 1;
const NON_EMPTY_GROUP = 68;
const GROUP_ID_NOT_FOUND = 69;
const INVALID_TOPIC_TYPES = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
  'INVALID_REQUEST',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/** Connect to Kafka; fails within the connection timeout, naming the addresses, when nobody answers. */
export async function createKafkaBroker(options: KafkaBrokerOptions): Promise<Broker> {
  const broker = new KafkaBroker(options);
  await broker.connect();
  return broker;
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new BrokerError(`${what} must be an integer >= 1, got ${n}`);
}

function checkWait(ms: number, what: string): void {
  if (typeof ms !== 'number' || !(ms >= 0)) throw new BrokerError(`${what} must be a number >= 0, got ${ms}`);
}

export class KafkaBroker implements Broker {
  private readonly connection: ConnectionConfig;
  private readonly client: KafkaClient;
  private readonly topics: TopicCache;
  private readonly sender: RecordSender;
  private readonly partitioner: Partitioner;
  private readonly tuning: ConsumerTuning;
  private readonly consumers = new Set<KafkaGroupConsumer>();
  private readonly txnProducers = new Map<string, TransactionalProducer>();
  private readonly txnContext: TransactionContext;
  /** Produce calls validate and enqueue one at a time, so records keep call order per partition. */
  private produceGate: Promise<void> = Promise.resolve();
  private closed = false;
  private closeSignal!: () => void;
  private readonly closedPromise = new Promise<void>((resolve) => {
    this.closeSignal = resolve;
  });

  constructor(private readonly options: KafkaBrokerOptions) {
    if (!Array.isArray(options.brokers) || options.brokers.length === 0)
      throw new BrokerError('No Kafka bootstrap servers given');
    this.connection = {
      brokers: options.brokers,
      ssl: options.ssl,
      sasl: options.sasl,
      connectionTimeoutMs: options.connectionTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      logLevel: options.logLevel ?? 'nothing',
      logCreator: options.logCreator,
    };
    this.client = new KafkaClient(this.connection, options.clientId ?? 'ksqlite');
    this.topics = new TopicCache(this.client);
    this.sender = new RecordSender(this.client, this.topics, {
      transactionalId: null,
      requestTimeoutMs: this.connection.requestTimeoutMs,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 120_000,
    });
    this.partitioner = options.partitioner ?? createDefaultPartitioner();
    this.tuning = { ...DEFAULT_TUNING, ...options.consumer };
    this.txnContext = {
      client: this.client,
      topics: this.topics,
      requestTimeoutMs: this.connection.requestTimeoutMs,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 120_000,
      partition: (topic, records) => this.partitionRecords(topic, records),
      checkOffsets: (offsets) => this.checkOffsets(offsets),
      visibilityTimeoutMs: 30_000,
    };
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  // --- admin -------------------------------------------------------------

  async createTopic(spec: TopicSpec): Promise<void> {
    this.ensureOpen();
    const { name } = spec;
    if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
      throw new InvalidTopicError(String(name), 'names are 1 to 249 of the characters a-z A-Z 0-9 . _ - (and not . or ..)');
    }
    if (!Number.isSafeInteger(spec.partitions) || spec.partitions < 1) {
      throw new InvalidTopicError(name, `partitions must be an integer >= 1, got ${spec.partitions}`);
    }
    const replicas = spec.replicas ?? 1;
    if (!Number.isSafeInteger(replicas) || replicas < 1)
      throw new InvalidTopicError(name, `replicas must be an integer >= 1, got ${replicas}`);
    const configEntries = Object.entries(spec.config ?? {}).map(([configName, value]) => ({
      name: configName,
      value: String(value),
    }));
    for (let attempt = 0; ; attempt++) {
      const node = await this.controller();
      const response = await this.client.send<{
        topicErrors: Array<{ topic: string; errorCode: number; errorMessage?: string | null }>;
      }>(
        node,
        'CreateTopics',
        {
          topics: [{ topic: name, numPartitions: spec.partitions, replicationFactor: replicas, configEntries }],
          timeout: this.connection.requestTimeoutMs,
        },
        true,
      );
      const result = response.topicErrors.find((t) => t.topic === name);
      const code = result?.errorCode ?? 0;
      if (code === 0) break;
      const type = typeOfCode(code);
      if (type === 'TOPIC_ALREADY_EXISTS') {
        if (spec.ifNotExists === true) return;
        throw new TopicExistsError(name);
      }
      if ((type === 'NOT_CONTROLLER' || isStaleMetadata(type)) && attempt < 10) {
        await this.client.cluster.refreshMetadata().catch(() => undefined);
        await sleep(100);
        continue;
      }
      const message = result?.errorMessage ?? errorOfCode(code).message;
      if (INVALID_TOPIC_TYPES.has(type)) throw new InvalidTopicError(name, message);
      throw new BrokerError(`Creating topic '${name}': ${message}`, { retriable: errorOfCode(code).retriable });
    }
    this.topics.forget(name);
    // Usable once every partition has a leader.
    for (let attempt = 0; attempt < 200; attempt++) {
      const layout = await this.topics.get(name, true);
      if (layout !== undefined && layout.partitions === spec.partitions && layout.leaders.every((l) => l >= 0)) return;
      await sleep(25);
    }
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    this.ensureOpen();
    const layout = await this.topics.get(name, true);
    if (layout === undefined) return undefined;
    let config: Record<string, string>;
    try {
      config = await this.topics.configs(name);
    } catch (error) {
      if (error instanceof UnknownTopicError) return undefined;
      throw toBrokerError(error, `Describing topic '${name}'`);
    }
    return { name, partitions: layout.partitions, replicas: layout.replicas, config };
  }

  async listTopics(): Promise<string[]> {
    this.ensureOpen();
    const response = await this.client.metadata(null);
    return response.topicMetadata
      .filter((t) => !t.isInternal && t.topicErrorCode !== UNKNOWN_TOPIC)
      .map((t) => t.topic)
      .sort();
  }

  async topicExists(name: string): Promise<boolean> {
    this.ensureOpen();
    return (await this.topics.get(name, true)) !== undefined;
  }

  async deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    for (let attempt = 0; ; attempt++) {
      const node = await this.controller();
      const response = await this.client.send<{ topicErrors: Array<{ topic: string; errorCode: number }> }>(
        node,
        'DeleteTopics',
        { topics: [name], timeout: this.connection.requestTimeoutMs },
        true,
      );
      const code = response.topicErrors.find((t) => t.topic === name)?.errorCode ?? 0;
      if (code === 0) break;
      if (code === UNKNOWN_TOPIC) throw new UnknownTopicError(name);
      const type = typeOfCode(code);
      if ((type === 'NOT_CONTROLLER' || isStaleMetadata(type)) && attempt < 10) {
        await sleep(100);
        continue;
      }
      throw toBrokerError(errorOfCode(code), `Deleting topic '${name}'`);
    }
    this.topics.forget(name);
    this.sender.forgetTopic(name);
    for (const p of this.txnProducers.values()) p.sender.forgetTopic(name);
    // Gone for everyone once metadata says so.
    for (let attempt = 0; attempt < 200; attempt++) {
      if ((await this.topics.get(name, true)) === undefined) return;
      await sleep(25);
    }
  }

  async deleteRecords(topic: string, offsets: readonly PartitionOffset[]): Promise<void> {
    this.ensureOpen();
    const layout = await this.topics.require(topic);
    for (const { partition, offset } of offsets) {
      if (!Number.isInteger(partition) || partition < 0 || partition >= layout.partitions)
        throw new UnknownPartitionError(topic, partition);
      if (!Number.isSafeInteger(offset) || offset < 0) throw await this.topics.outOfRange(topic, partition, offset);
    }
    const byLeader = new Map<number, PartitionOffset[]>();
    for (const o of offsets) {
      const leader = await this.topics.leader(topic, o.partition);
      let list = byLeader.get(leader);
      if (list === undefined) byLeader.set(leader, (list = []));
      list.push(o);
    }
    for (const [leader, list] of byLeader) {
      const node = await this.client.node(leader);
      const response = await this.client.send<{
        topics: Array<{ topic: string; partitions: Array<{ partition: number; errorCode: number }> }>;
      }>(
        node,
        'DeleteRecords',
        { topics: [{ topic, partitions: list.map((o) => ({ partition: o.partition, offset: String(o.offset) })) }] },
        true,
      );
      for (const p of response.topics.flatMap((t) => t.partitions)) {
        if (p.errorCode === 0) continue;
        const requested = list.find((o) => o.partition === p.partition)!;
        if (p.errorCode === OFFSET_OUT_OF_RANGE) throw await this.topics.outOfRange(topic, p.partition, requested.offset);
        if (p.errorCode === UNKNOWN_TOPIC) throw new UnknownTopicError(topic);
        throw toBrokerError(errorOfCode(p.errorCode), `Deleting records of ${topic}-${p.partition}`);
      }
    }
  }

  // --- produce & fetch ---------------------------------------------------

  async produce(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    this.ensureOpen();
    if (records.length === 0) return [];
    const gate = this.produceGate;
    let release!: () => void;
    this.produceGate = new Promise((resolve) => {
      release = resolve;
    });
    let sends: Array<Promise<number[]>>;
    let partitioned: PartitionedRecords;
    try {
      await gate;
      this.ensureOpen();
      partitioned = await this.partitionRecords(topic, records);
      sends = [...partitioned.groups].map(([partition, list]) => this.sender.send(topic, partition, list));
    } finally {
      release();
    }
    const partitionsInOrder = [...partitioned.groups.keys()];
    let offsets: number[][];
    try {
      offsets = await Promise.all(sends);
    } catch (error) {
      throw toBrokerError(error, `Producing to '${topic}'`);
    }
    // Each partition's offsets, taken in the order its records came.
    const next = new Map(partitionsInOrder.map((p, i) => [p, { offsets: offsets[i]!, at: 0 }]));
    return partitioned.partitions.map((partition) => {
      const cursor = next.get(partition)!;
      return { partition, offset: cursor.offsets[cursor.at++]! };
    });
  }

  async fetch(
    topic: string,
    partition: number,
    fromOffset: number,
    maxRecords: number,
    maxWaitMs = 0,
  ): Promise<ConsumedRecord[]> {
    this.ensureOpen();
    checkCount(maxRecords, 'maxRecords');
    checkWait(maxWaitMs, 'maxWaitMs');
    await this.topics.requirePartition(topic, partition);
    if (!Number.isSafeInteger(fromOffset) || fromOffset < 0) throw await this.topics.outOfRange(topic, partition, fromOffset);
    const deadline = Date.now() + maxWaitMs;
    let offset = fromOffset;
    for (let attempt = 0; ; ) {
      if (this.closed) return [];
      const wait = Math.max(0, deadline - Date.now());
      let answer;
      try {
        const node = await this.client.node(await this.topics.leader(topic, partition, attempt > 0));
        const maxBytes = Math.min(1_048_576, Math.max(65_536, maxRecords * 1024));
        const pending = fetchFrom(this.client, node, [{ topic, partition, offset, maxBytes }], wait);
        const result = await Promise.race([pending, this.closedPromise.then(() => undefined)]);
        if (result === undefined) {
          pending.catch(() => undefined);
          return [];
        }
        answer = result[0];
      } catch (error) {
        if (this.closed) return [];
        if (isConnectionError(error) && attempt++ < 10) {
          await sleep(100);
          continue;
        }
        throw toBrokerError(error, `Fetching ${topic}-${partition}`);
      }
      if (answer === undefined) throw new BrokerError(`Kafka answered a fetch of ${topic}-${partition} without it`);
      if (answer.errorCode === OFFSET_OUT_OF_RANGE) throw await this.topics.outOfRange(topic, partition, fromOffset);
      if (answer.errorCode === UNKNOWN_TOPIC || typeOfCode(answer.errorCode) === 'UNKNOWN_TOPIC_ID') {
        if ((await this.topics.get(topic, true)) === undefined) throw new UnknownTopicError(topic);
        if (attempt++ < 10) continue;
      }
      if (answer.errorCode !== 0) {
        if (isStaleMetadata(typeOfCode(answer.errorCode)) && attempt++ < 10) {
          this.topics.forget(topic);
          await sleep(50);
          continue;
        }
        throw toBrokerError(errorOfCode(answer.errorCode), `Fetching ${topic}-${partition}`);
      }
      if (answer.records !== null && answer.records.length > 0) {
        const decoded = await readRecordBatches(answer.records, topic, partition, offset, answer.aborted);
        if (decoded.records.length > 0)
          return decoded.records.length > maxRecords ? decoded.records.slice(0, maxRecords) : decoded.records;
        // Only markers or aborted records: read on from past them.
        if (decoded.nextOffset > offset) {
          offset = decoded.nextOffset;
          continue;
        }
      }
      if (Date.now() >= deadline) return [];
    }
  }

  endOffsets(topic: string): Promise<PartitionOffset[]> {
    this.ensureOpen();
    return this.topics.listOffsets(topic, LATEST);
  }

  beginningOffsets(topic: string): Promise<PartitionOffset[]> {
    this.ensureOpen();
    return this.topics.listOffsets(topic, EARLIEST);
  }

  // --- consumer groups ---------------------------------------------------

  async commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    await this.checkOffsets(offsets);
    if (offsets.length === 0) return;
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const { topic, partition, offset } of offsets) {
      let list = byTopic.get(topic);
      if (list === undefined) byTopic.set(topic, (list = []));
      list.push({ partition, offset: String(offset) });
    }
    try {
      await this.client.toCoordinator(groupId, COORDINATOR_GROUP, (node) =>
        node.offsetCommit({
          groupId,
          groupGenerationId: -1,
          memberId: '',
          topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
        }),
      );
    } catch (error) {
      const type = errorType(error);
      if (
        type === 'UNKNOWN_MEMBER_ID' ||
        type === 'ILLEGAL_GENERATION' ||
        type === 'REBALANCE_IN_PROGRESS' ||
        type === 'NON_EMPTY_GROUP'
      ) {
        throw new GroupNotEmptyError(groupId);
      }
      throw toBrokerError(error, `Committing offsets of group '${groupId}'`);
    }
  }

  async committedOffsets(groupId: string, topic: string): Promise<Array<{ partition: number; offset: number | null }>> {
    this.ensureOpen();
    const layout = await this.topics.require(topic, true);
    const partitions = Array.from({ length: layout.partitions }, (_, partition) => ({ partition }));
    const response = await this.client.toCoordinator(groupId, COORDINATOR_GROUP, (node) =>
      node.offsetFetch({ groupId, topics: [{ topic, partitions }] }),
    );
    const committed = new Map<number, number>();
    for (const t of response.responses) {
      for (const p of t.partitions) if (t.topic === topic && Number(p.offset) >= 0) committed.set(p.partition, Number(p.offset));
    }
    return partitions.map(({ partition }) => ({ partition, offset: committed.get(partition) ?? null }));
  }

  async listGroups(): Promise<string[]> {
    this.ensureOpen();
    const ids = new Set<string>();
    await this.client.cluster.refreshMetadata().catch(() => undefined);
    for (const nodeId of this.client.nodeIds()) {
      const node = await this.client.node(nodeId);
      const response = await this.client.send<{ groups: Array<{ groupId: string }> }>(node, 'ListGroups', {});
      for (const g of response.groups) ids.add(g.groupId);
    }
    return [...ids].sort();
  }

  async describeGroup(groupId: string): Promise<GroupDescription | undefined> {
    this.ensureOpen();
    const described = await this.client.toCoordinator(groupId, COORDINATOR_GROUP, (node) =>
      this.client.send<{
        groups: Array<{
          errorCode: number;
          groupId: string;
          state: string;
          protocolType: string;
          members: Array<{ memberId: string; clientId: string; memberAssignment: Buffer | null }>;
        }>;
      }>(node, 'DescribeGroups', { groupIds: [groupId] }, true),
    );
    const group = described.groups.find((g) => g.groupId === groupId);
    if (group === undefined || group.errorCode === GROUP_ID_NOT_FOUND) return undefined;
    if (group.errorCode !== 0) throw toBrokerError(errorOfCode(group.errorCode), `Describing group '${groupId}'`);
    const state = groupState(group.state);
    if (state === undefined) return undefined;
    const members = group.members
      .map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        assignment: group.protocolType === 'consumer' ? decodeAssignment(m.memberAssignment) : [],
      }))
      .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
    const fetched = await this.client.toCoordinator(groupId, COORDINATOR_GROUP, (node) =>
      node.offsetFetch({ groupId, topics: [] }),
    );
    const committed = new Map<string, { topic: string; partition: number; offset: number | null }>();
    for (const t of fetched.responses) {
      for (const p of t.partitions) {
        if (Number(p.offset) >= 0)
          committed.set(`${t.topic}\u0000${p.partition}`, { topic: t.topic, partition: p.partition, offset: Number(p.offset) });
      }
    }
    for (const m of members) {
      for (const tp of m.assignment) {
        const key = `${tp.topic}\u0000${tp.partition}`;
        if (!committed.has(key)) committed.set(key, { ...tp, offset: null });
      }
    }
    if (members.length === 0 && committed.size === 0) return undefined;
    const ends = new Map<string, number>();
    for (const topic of new Set([...committed.values()].map((c) => c.topic))) {
      try {
        for (const e of await this.topics.listOffsets(topic, LATEST)) ends.set(`${topic}\u0000${e.partition}`, e.offset);
      } catch (error) {
        if (!(error instanceof UnknownTopicError)) throw error;
      }
    }
    const offsets: GroupPartitionLag[] = [];
    for (const [key, c] of committed) {
      const end = ends.get(key);
      if (end === undefined) continue;
      offsets.push({
        topic: c.topic,
        partition: c.partition,
        committed: c.offset,
        end,
        lag: c.offset === null ? null : Math.max(0, end - c.offset),
      });
    }
    offsets.sort(byTopicPartition);
    return { groupId, state, members, offsets };
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.ensureOpen();
    const response = await this.client.toCoordinator(groupId, COORDINATOR_GROUP, (node) =>
      this.client.send<{ results: Array<{ groupId: string; errorCode: number }> }>(
        node,
        'DeleteGroups',
        groupIdsArgs([groupId]),
        true,
      ),
    );
    const code = response.results.find((r) => r.groupId === groupId)?.errorCode ?? 0;
    if (code === 0) return;
    if (code === NON_EMPTY_GROUP) throw new GroupNotEmptyError(groupId);
    if (code === GROUP_ID_NOT_FOUND) throw new UnknownGroupError(groupId);
    throw toBrokerError(errorOfCode(code), `Deleting group '${groupId}'`);
  }

  async subscribe(options: SubscribeOptions): Promise<Consumer> {
    this.ensureOpen();
    if (typeof options.groupId !== 'string' || options.groupId === '') throw new BrokerError('subscribe needs a groupId');
    const clientId = options.clientId ?? 'consumer';
    const groupClient = new KafkaClient(this.connection, clientId);
    const dataClient = new KafkaClient(this.connection, clientId);
    const consumer = new KafkaGroupConsumer(
      groupClient,
      dataClient,
      new TopicCache(dataClient, 5000),
      options,
      this.tuning,
      (c) => this.consumers.delete(c),
    );
    this.consumers.add(consumer);
    try {
      await consumer.start();
    } catch (error) {
      await consumer.close().catch(() => undefined);
      throw toBrokerError(error, `Subscribing group '${options.groupId}'`);
    }
    if (this.closed) {
      await consumer.close();
      throw new ClientClosedError('Broker');
    }
    return consumer;
  }

  // --- transactions ------------------------------------------------------

  async transaction(transactionalId: string): Promise<Transaction> {
    this.ensureOpen();
    const idle = this.txnProducers.get(transactionalId);
    if (idle !== undefined && !idle.fenced && idle.current === undefined) return idle.begin(this.onTransactionEnd);
    // A new instance: InitProducerId bumps the epoch, fencing any older one (here or elsewhere).
    const identity = await initTransactionalProducer(this.client, transactionalId, this.options.transactionTimeoutMs ?? 60_000);
    const producer = new TransactionalProducer(transactionalId, identity, this.txnContext);
    this.txnProducers.set(transactionalId, producer);
    return producer.begin(this.onTransactionEnd);
  }

  private readonly onTransactionEnd = (producer: TransactionalProducer): void => {
    if (producer.fenced && this.txnProducers.get(producer.transactionalId) === producer) {
      this.txnProducers.delete(producer.transactionalId);
      producer.close();
    }
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closeSignal();
    await Promise.all([...this.consumers].map((c) => c.close().catch(() => undefined)));
    this.sender.close();
    for (const p of this.txnProducers.values()) p.close();
    await this.client.disconnect();
  }

  // --- helpers -------------------------------------------------------------

  private ensureOpen(): void {
    if (this.closed) throw new ClientClosedError('Broker');
  }

  private async controller(): Promise<KafkaNode> {
    try {
      return await this.client.cluster.findControllerBroker();
    } catch {
      await this.client.cluster.refreshMetadata();
      return this.client.cluster.findControllerBroker();
    }
  }

  /**
   * Validate a produce call whole (topic, partitions, timestamps, keys of a
   * compacted topic) and choose each record's partition.
   */
  private async partitionRecords(topic: string, records: readonly ProducerRecord[]): Promise<PartitionedRecords> {
    let layout = await this.topics.require(topic);
    let needsCompactionCheck = false;
    for (const r of records) {
      if (!Number.isSafeInteger(r.timestamp) || r.timestamp < 0) {
        throw new InvalidRecordError(topic, `timestamp must be an integer >= 0, got ${r.timestamp}`);
      }
      if (r.partition !== undefined) {
        if (!Number.isInteger(r.partition) || r.partition < 0) throw new UnknownPartitionError(topic, r.partition);
        if (r.partition >= layout.partitions) {
          layout = await this.topics.require(topic, true);
          if (r.partition >= layout.partitions) throw new UnknownPartitionError(topic, r.partition);
        }
      }
      if (r.key === null) needsCompactionCheck = true;
    }
    if (needsCompactionCheck && (await this.topics.compacted(topic))) {
      throw new InvalidRecordError(topic, 'a record without key cannot go to a compacted topic');
    }
    const partitions = new Array<number>(records.length);
    const groups = new Map<number, ProducerRecord[]>();
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const partition = r.partition ?? this.partitioner(topic, r.key, layout.partitions);
      partitions[i] = partition;
      let list = groups.get(partition);
      if (list === undefined) groups.set(partition, (list = []));
      list.push(r);
    }
    return { partitions, groups };
  }

  /** Offsets to commit: existing topics and partitions, offsets >= 0. */
  private async checkOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    for (const { topic, partition, offset } of offsets) {
      const layout = await this.topics.require(topic);
      if (!Number.isInteger(partition) || partition < 0 || partition >= layout.partitions) {
        const fresh = await this.topics.require(topic, true);
        if (!Number.isInteger(partition) || partition < 0 || partition >= fresh.partitions)
          throw new UnknownPartitionError(topic, partition);
      }
      if (!Number.isSafeInteger(offset) || offset < 0)
        throw new BrokerError(`committed offset must be an integer >= 0, got ${offset}`);
    }
  }
}

/** kafkajs's DeleteGroups request takes the ids array itself as its argument. */
function groupIdsArgs(groupIds: string[]): Record<string, unknown> {
  return groupIds as unknown as Record<string, unknown>;
}

function groupState(state: string): GroupState | undefined {
  switch (state) {
    case 'Stable':
      return 'Stable';
    case 'PreparingRebalance':
      return 'PreparingRebalance';
    case 'CompletingRebalance':
    case 'AwaitingSync':
      return 'CompletingRebalance';
    case 'Empty':
      return 'Empty';
    case 'Assigning':
    case 'Reconciling':
      return 'PreparingRebalance';
    default:
      return undefined;
  }
}
