/**
 * The in-memory broker: the port's reference adapter, for tests and for
 * sessions that need no durability. One partition is one array of records;
 * fetch is a slice; consumer groups, rebalancing and transactions are
 * coordinated here, in one process. Records are never copied: produced byte
 * arrays are kept as given and handed to every reader.
 */

import { assignRanges } from '../assignor.js';
import {
  BrokerError,
  ClientClosedError,
  ConcurrentUseError,
  GroupNotEmptyError,
  InvalidRecordError,
  InvalidTopicError,
  InvalidTxnStateError,
  NotAssignedError,
  OffsetOutOfRangeError,
  ProducerFencedError,
  TopicExistsError,
  UnknownGroupError,
  UnknownPartitionError,
  UnknownTopicError,
} from '../errors.js';
import { createDefaultPartitioner, type Partitioner } from '../partitioner.js';
import {
  CLEANUP_POLICY,
  isCompacted,
  type Broker,
  type ConsumedRecord,
  type Consumer,
  type GroupDescription,
  type GroupPartitionLag,
  type Header,
  type PartitionOffset,
  type ProducerRecord,
  type RecordMetadata,
  type SubscribeOptions,
  type TopicDescription,
  type TopicPartition,
  type TopicPartitionOffset,
  type TopicSpec,
  type Transaction,
} from '../port.js';

export interface MemoryBrokerOptions {
  /** Where records without a partition go; default Kafka's (murmur2, round-robin for null keys). */
  partitioner?: Partitioner;
}

/** The memory adapter: the port, transactions always, and compaction on demand. */
export interface MemoryBroker extends Broker {
  transaction(transactionalId: string): Promise<Transaction>;
  /**
   * Compact a compacted topic now, as Kafka's log cleaner would eventually:
   * per partition keep only each key's latest record, drop tombstones, keep
   * offsets (leaving gaps). Beginning and end offsets do not move.
   */
  compact(topic: string): Promise<void>;
}

/** Create an empty in-memory broker. */
export function createMemoryBroker(options: MemoryBrokerOptions = {}): MemoryBroker {
  return new InMemoryBroker(options.partitioner ?? createDefaultPartitioner());
}

const NO_HEADERS: readonly Header[] = Object.freeze([]);
const MAX_TIMER_MS = 0x7fffffff;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Wakes sleepers (a waiting poll or fetch) when something they may want happened. */
class Doorbell {
  private sleepers = new Set<() => void>();

  ring(): void {
    if (this.sleepers.size === 0) return;
    const woken = this.sleepers;
    this.sleepers = new Set();
    for (const wake of woken) wake();
  }

  /** Resolves on the next ring or after ms, whichever is first. */
  sleep(ms: number): Promise<void> {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(ms, MAX_TIMER_MS));
      this.sleepers.add(wake);
    });
  }
}

/** One partition: records in offset order, offsets possibly with gaps after compaction. */
class PartitionLog {
  records: ConsumedRecord[] = [];
  startOffset = 0;
  endOffset = 0;

  /** Index of the first record with offset >= offset (records.length when none). */
  indexOf(offset: number): number {
    const records = this.records;
    const n = records.length;
    if (n === 0) return 0;
    const guess = offset - records[0]!.offset;
    if (guess <= 0) return 0;
    if (guess < n && records[guess]!.offset === offset) return guess;
    if (offset >= this.endOffset) return n;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (records[mid]!.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

interface TopicState {
  readonly name: string;
  readonly logs: PartitionLog[];
  readonly replicas: number;
  readonly config: Readonly<Record<string, string>>;
  readonly compacted: boolean;
}

interface GroupState {
  readonly groupId: string;
  /** topic -> partition -> committed offset */
  readonly offsets: Map<string, Map<number, number>>;
  /** Live members in join order (the assignor's member order). */
  readonly members: MemoryConsumer[];
  /** topic-partition key -> the member that owns it now. */
  readonly owners: Map<string, MemoryConsumer>;
  /** Bumped on every change of membership, topics or ownership. */
  version: number;
  targetVersion: number;
  target: Map<string, TopicPartition[]>;
}

/** Records planned for one topic: validated and partitioned, not yet appended. */
interface PlannedBatch {
  readonly topic: TopicState;
  readonly records: readonly ProducerRecord[];
  readonly partitions: Int32Array;
}

const tpKey = (topic: string, partition: number): string => `${topic}:${partition}`;

const byTopicPartition = (a: TopicPartition, b: TopicPartition): number =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new BrokerError(`${what} must be an integer >= 1, got ${n}`);
}

function checkWait(ms: number, what: string): void {
  if (typeof ms !== 'number' || !(ms >= 0)) throw new BrokerError(`${what} must be a number >= 0, got ${ms}`);
}

function checkOffset(offset: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new BrokerError(`${what} must be an integer >= 0, got ${offset}`);
  }
}

class InMemoryBroker implements MemoryBroker {
  private readonly topics = new Map<string, TopicState>();
  private readonly groups = new Map<string, GroupState>();
  /** topic name -> doorbells of those waiting for it (consumers, fetches). */
  private readonly listeners = new Map<string, Set<Doorbell>>();
  private readonly openTransactions = new Map<string, MemoryTransaction>();
  private memberSeq = 0;
  private closed = false;

  constructor(private readonly partitioner: Partitioner) {}

  // --- admin -------------------------------------------------------------

  async createTopic(spec: TopicSpec): Promise<void> {
    this.ensureOpen();
    const { name, partitions } = spec;
    const replicas = spec.replicas ?? 1;
    const config = { ...(spec.config ?? {}) };
    if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') {
      throw new InvalidTopicError(String(name), 'names are 1-249 of [a-zA-Z0-9._-], not . or ..');
    }
    if (!Number.isSafeInteger(partitions) || partitions < 1) {
      throw new InvalidTopicError(name, `partitions must be an integer >= 1, got ${partitions}`);
    }
    if (!Number.isSafeInteger(replicas) || replicas < 1) {
      throw new InvalidTopicError(name, `replicas must be an integer >= 1, got ${replicas}`);
    }
    for (const [key, value] of Object.entries(config)) {
      if (typeof value !== 'string') {
        throw new InvalidTopicError(name, `config '${key}' must be a string`);
      }
    }
    const policy = config[CLEANUP_POLICY];
    if (policy !== undefined && !policy.split(',').every((p) => ['compact', 'delete'].includes(p.trim()))) {
      throw new InvalidTopicError(name, `${CLEANUP_POLICY} must be compact and/or delete, got '${policy}'`);
    }
    if (this.topics.has(name)) {
      if (spec.ifNotExists) return;
      throw new TopicExistsError(name);
    }
    const logs = Array.from({ length: partitions }, () => new PartitionLog());
    this.topics.set(name, { name, logs, replicas, config, compacted: isCompacted(config) });
    this.topicChanged(name);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    this.ensureOpen();
    const t = this.topics.get(name);
    if (t === undefined) return undefined;
    return { name, partitions: t.logs.length, replicas: t.replicas, config: { ...t.config } };
  }

  async listTopics(): Promise<string[]> {
    this.ensureOpen();
    return [...this.topics.keys()].sort();
  }

  async topicExists(name: string): Promise<boolean> {
    this.ensureOpen();
    return this.topics.has(name);
  }

  async deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    this.topic(name);
    this.topics.delete(name);
    for (const group of this.groups.values()) group.offsets.delete(name);
    this.topicChanged(name);
  }

  async deleteRecords(topic: string, offsets: readonly PartitionOffset[]): Promise<void> {
    this.ensureOpen();
    const t = this.topic(topic);
    for (const { partition, offset } of offsets) {
      const log = this.log(t, partition);
      checkOffset(offset, 'deleteRecords offset');
      if (offset > log.endOffset) {
        throw new OffsetOutOfRangeError(topic, partition, offset, this.range(log));
      }
    }
    for (const { partition, offset } of offsets) {
      const log = t.logs[partition]!;
      if (offset <= log.startOffset) continue;
      log.records = log.records.slice(log.indexOf(offset));
      log.startOffset = offset;
    }
  }

  async compact(topic: string): Promise<void> {
    this.ensureOpen();
    const t = this.topic(topic);
    if (!t.compacted) throw new InvalidTopicError(topic, 'is not compacted');
    for (const log of t.logs) {
      const latest = new Map<string, number>();
      const records = log.records;
      for (let i = 0; i < records.length; i++) latest.set(keyString(records[i]!.key), i);
      log.records = records.filter((r, i) => r.value !== null && latest.get(keyString(r.key)) === i);
    }
  }

  // --- produce & fetch ---------------------------------------------------

  async produce(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    this.ensureOpen();
    return this.append([this.plan(this.topic(topic), records)])[0]!;
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
    const t = this.topic(topic);
    const log = this.log(t, partition);
    if (!Number.isSafeInteger(fromOffset) || fromOffset < log.startOffset || fromOffset > log.endOffset) {
      throw new OffsetOutOfRangeError(topic, partition, fromOffset, this.range(log));
    }
    const deadline = Date.now() + maxWaitMs;
    let index = log.indexOf(fromOffset);
    while (index >= log.records.length && maxWaitMs > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.closed) break;
      const bell = new Doorbell();
      const bells = this.listenersOf(topic);
      bells.add(bell);
      try {
        await bell.sleep(remaining);
      } finally {
        bells.delete(bell);
      }
      if (this.topics.get(topic) !== t) throw new UnknownTopicError(topic);
      // deleteRecords may have replaced the array while we slept.
      if (fromOffset < log.startOffset) {
        throw new OffsetOutOfRangeError(topic, partition, fromOffset, this.range(log));
      }
      index = log.indexOf(fromOffset);
    }
    return log.records.slice(index, index + maxRecords);
  }

  async endOffsets(topic: string): Promise<PartitionOffset[]> {
    this.ensureOpen();
    return this.topic(topic).logs.map((log, partition) => ({ partition, offset: log.endOffset }));
  }

  async beginningOffsets(topic: string): Promise<PartitionOffset[]> {
    this.ensureOpen();
    return this.topic(topic).logs.map((log, partition) => ({ partition, offset: log.startOffset }));
  }

  // --- consumer groups ---------------------------------------------------

  async commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    const group = this.groups.get(groupId);
    if (group !== undefined && group.members.length > 0) throw new GroupNotEmptyError(groupId);
    this.checkGroupOffsets(offsets);
    this.storeOffsets(this.group(groupId), offsets);
  }

  async committedOffsets(
    groupId: string,
    topic: string,
  ): Promise<Array<{ partition: number; offset: number | null }>> {
    this.ensureOpen();
    const t = this.topic(topic);
    const committed = this.groups.get(groupId)?.offsets.get(topic);
    return t.logs.map((_, partition) => ({ partition, offset: committed?.get(partition) ?? null }));
  }

  async listGroups(): Promise<string[]> {
    this.ensureOpen();
    return [...this.groups.values()]
      .filter((g) => this.groupIsKnown(g))
      .map((g) => g.groupId)
      .sort();
  }

  async describeGroup(groupId: string): Promise<GroupDescription | undefined> {
    this.ensureOpen();
    const group = this.groups.get(groupId);
    if (group === undefined || !this.groupIsKnown(group)) return undefined;
    const partitions = new Map<string, TopicPartition>();
    for (const [topic, committed] of group.offsets) {
      for (const partition of committed.keys()) partitions.set(tpKey(topic, partition), { topic, partition });
    }
    for (const member of group.members) {
      for (const tp of member.assignment()) partitions.set(tpKey(tp.topic, tp.partition), tp);
    }
    const offsets: GroupPartitionLag[] = [];
    for (const { topic, partition } of [...partitions.values()].sort(byTopicPartition)) {
      const log = this.topics.get(topic)?.logs[partition];
      if (log === undefined) continue;
      const committed = group.offsets.get(topic)?.get(partition) ?? null;
      const end = log.endOffset;
      offsets.push({ topic, partition, committed, end, lag: committed === null ? null : Math.max(0, end - committed) });
    }
    const settled = group.members.every((m) => m.settledAt === group.version);
    return {
      groupId,
      state: group.members.length === 0 ? 'Empty' : settled ? 'Stable' : 'PreparingRebalance',
      members: group.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, assignment: m.assignment() })),
      offsets,
    };
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.ensureOpen();
    const group = this.groups.get(groupId);
    if (group === undefined || !this.groupIsKnown(group)) throw new UnknownGroupError(groupId);
    if (group.members.length > 0) throw new GroupNotEmptyError(groupId);
    this.groups.delete(groupId);
  }

  async subscribe(options: SubscribeOptions): Promise<Consumer> {
    this.ensureOpen();
    if (typeof options.groupId !== 'string' || options.groupId === '') {
      throw new BrokerError('subscribe needs a non-empty groupId');
    }
    if (options.topics.length === 0) throw new BrokerError('subscribe needs at least one topic');
    const group = this.group(options.groupId);
    const clientId = options.clientId ?? 'consumer';
    const member = new MemoryConsumer(this, group, `${clientId}-${++this.memberSeq}`, clientId, options);
    group.members.push(member);
    for (const topic of member.topics) this.listenersOf(topic).add(member.bell);
    this.groupChanged(group);
    await member.rebalance();
    return member;
  }

  // --- transactions ------------------------------------------------------

  async transaction(transactionalId: string): Promise<Transaction> {
    this.ensureOpen();
    this.openTransactions.get(transactionalId)?.fence();
    const txn = new MemoryTransaction(this, transactionalId);
    this.openTransactions.set(transactionalId, txn);
    return txn;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const members = [...this.groups.values()].flatMap((g) => g.members);
    await Promise.all(members.map((m) => m.close()));
    this.openTransactions.clear();
    this.closed = true;
    for (const bells of this.listeners.values()) for (const bell of bells) bell.ring();
  }

  // --- internals shared with consumers and transactions ------------------

  ensureOpen(): void {
    if (this.closed) throw new ClientClosedError('Broker');
  }

  topic(name: string): TopicState {
    const t = this.topics.get(name);
    if (t === undefined) throw new UnknownTopicError(name);
    return t;
  }

  currentTopic(name: string): TopicState | undefined {
    return this.topics.get(name);
  }

  log(t: TopicState, partition: number): PartitionLog {
    const log = Number.isInteger(partition) ? t.logs[partition] : undefined;
    if (log === undefined) throw new UnknownPartitionError(t.name, partition);
    return log;
  }

  /** Validate records and choose their partitions, appending nothing. */
  plan(t: TopicState, records: readonly ProducerRecord[]): PlannedBatch {
    const count = t.logs.length;
    const partitions = new Int32Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const ts = r.timestamp;
      // Arithmetic, not Number.isSafeInteger: builtins are slow calls in jest's vm context.
      if (!(ts >= 0 && ts <= MAX_SAFE && ts % 1 === 0)) {
        throw new InvalidRecordError(t.name, `timestamp must be an integer >= 0, got ${ts}`);
      }
      if (r.key === null && t.compacted) {
        throw new InvalidRecordError(t.name, 'a compacted topic cannot take a record without key');
      }
      let p = r.partition;
      if (p === undefined) p = this.partitioner(t.name, r.key, count);
      else if (!(p >= 0 && p < count && p % 1 === 0)) throw new UnknownPartitionError(t.name, p);
      partitions[i] = p;
    }
    return { topic: t, records, partitions };
  }

  /** Append planned batches in one synchronous step (atomic to every reader). */
  append(batches: readonly PlannedBatch[]): RecordMetadata[][] {
    for (const b of batches) {
      if (this.topics.get(b.topic.name) !== b.topic) throw new UnknownTopicError(b.topic.name);
    }
    const result = batches.map(({ topic: t, records, partitions }) => {
      const name = t.name;
      const logs = t.logs;
      const metadata = new Array<RecordMetadata>(records.length);
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        const partition = partitions[i]!;
        const log = logs[partition]!;
        const offset = log.endOffset++;
        const headers = r.headers === undefined || r.headers.length === 0 ? NO_HEADERS : r.headers.slice();
        const { key, value, timestamp } = r;
        log.records.push({ topic: name, partition, offset, key, value, timestamp, headers });
        metadata[i] = { partition, offset };
      }
      return metadata;
    });
    for (const b of batches) {
      if (b.records.length > 0) this.listeners.get(b.topic.name)?.forEach((bell) => bell.ring());
    }
    return result;
  }

  /** Check group offsets name existing partitions and sane offsets. */
  checkGroupOffsets(offsets: readonly TopicPartitionOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      this.log(this.topic(topic), partition);
      checkOffset(offset, 'committed offset');
    }
  }

  storeOffsets(group: GroupState, offsets: readonly TopicPartitionOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      let committed = group.offsets.get(topic);
      if (committed === undefined) group.offsets.set(topic, (committed = new Map()));
      committed.set(partition, offset);
    }
  }

  group(groupId: string): GroupState {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = {
        groupId,
        offsets: new Map(),
        members: [],
        owners: new Map(),
        version: 0,
        targetVersion: -1,
        target: new Map(),
      };
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** What the range assignor gives this member at the group's current version. */
  targetOf(group: GroupState, member: MemoryConsumer): TopicPartition[] {
    if (group.targetVersion !== group.version) {
      const counts = new Map<string, number>();
      for (const m of group.members) {
        for (const topic of m.topics) {
          const t = this.topics.get(topic);
          if (t !== undefined) counts.set(topic, t.logs.length);
        }
      }
      group.target = assignRanges(group.members, counts);
      group.targetVersion = group.version;
    }
    return group.target.get(member.memberId) ?? [];
  }

  /** Where a newly owned partition starts: the committed offset, else the reset policy. */
  startPosition(group: GroupState, log: PartitionLog, tp: TopicPartition, fromBeginning: boolean): number {
    const committed = group.offsets.get(tp.topic)?.get(tp.partition);
    if (committed !== undefined && committed >= log.startOffset && committed <= log.endOffset) return committed;
    return fromBeginning ? log.startOffset : log.endOffset;
  }

  /** Membership or ownership changed: members must rebalance, so wake them. */
  groupChanged(group: GroupState): void {
    group.version++;
    for (const m of group.members) m.bell.ring();
  }

  leave(group: GroupState, member: MemoryConsumer): void {
    const i = group.members.indexOf(member);
    if (i >= 0) group.members.splice(i, 1);
    for (const topic of member.topics) this.listeners.get(topic)?.delete(member.bell);
    this.groupChanged(group);
  }

  transactionEnded(txn: MemoryTransaction): void {
    if (this.openTransactions.get(txn.transactionalId) === txn) this.openTransactions.delete(txn.transactionalId);
  }

  private range(log: PartitionLog): { beginning: number; end: number } {
    return { beginning: log.startOffset, end: log.endOffset };
  }

  private listenersOf(topic: string): Set<Doorbell> {
    let bells = this.listeners.get(topic);
    if (bells === undefined) this.listeners.set(topic, (bells = new Set()));
    return bells;
  }

  private groupIsKnown(group: GroupState): boolean {
    return group.members.length > 0 || [...group.offsets.values()].some((m) => m.size > 0);
  }

  /** A topic appeared or vanished: groups subscribed to it rebalance, waiters re-check. */
  private topicChanged(name: string): void {
    for (const group of this.groups.values()) {
      if (group.members.some((m) => m.topics.includes(name))) this.groupChanged(group);
    }
    this.listeners.get(name)?.forEach((bell) => bell.ring());
  }
}

function keyString(key: Uint8Array | null): string {
  return key === null ? '' : Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}

/** A partition this consumer owns, bound to the topic incarnation it was assigned from. */
interface OwnedPartition {
  readonly key: string;
  readonly tp: TopicPartition;
  readonly topic: TopicState;
  readonly log: PartitionLog;
  position: number;
}

/** One record source in the timestamp merge of poll. */
interface Head {
  readonly owned: OwnedPartition;
  readonly records: ConsumedRecord[];
  readonly rank: number;
  readonly start: number;
  index: number;
}

class MemoryConsumer implements Consumer {
  readonly bell = new Doorbell();
  readonly topics: readonly string[];
  /** The group version this member last rebalanced at. */
  settledAt = -1;
  private owned: OwnedPartition[] = [];
  /** Set when close starts: polls stop, but onRevoke may still commit. */
  private closing = false;
  private closed = false;
  private busy: Promise<unknown> | undefined;

  constructor(
    private readonly broker: InMemoryBroker,
    private readonly group: GroupState,
    readonly memberId: string,
    readonly clientId: string,
    private readonly options: SubscribeOptions,
  ) {
    this.topics = [...new Set(options.topics)];
  }

  get groupId(): string {
    return this.group.groupId;
  }

  assignment(): TopicPartition[] {
    return this.live().map((o) => ({ ...o.tp }));
  }

  positions(): TopicPartitionOffset[] {
    return this.live().map((o) => ({ ...o.tp, offset: o.position }));
  }

  seek(topic: string, partition: number, offset: number): void {
    this.ensureOpen();
    checkOffset(offset, 'seek offset');
    this.ownedOrThrow(topic, partition).position = offset;
  }

  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    const toCommit = offsets ?? this.positions();
    for (const { topic, partition, offset } of toCommit) {
      this.ownedOrThrow(topic, partition);
      checkOffset(offset, 'committed offset');
    }
    this.broker.storeOffsets(this.group, toCommit);
  }

  poll(maxRecords: number, timeoutMs: number): Promise<ConsumedRecord[]> {
    return this.exclusive('poll', async () => {
      checkCount(maxRecords, 'maxRecords');
      checkWait(timeoutMs, 'timeoutMs');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await this.rebalance();
        if (this.closing) return [];
        const records = this.take(maxRecords);
        const remaining = deadline - Date.now();
        if (records.length > 0 || remaining <= 0) return records;
        await this.bell.sleep(remaining);
      }
    });
  }

  waitForData(timeoutMs: number): Promise<boolean> {
    return this.exclusive('waitForData', async () => {
      checkWait(timeoutMs, 'timeoutMs');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (this.closing) return false;
        if (this.settledAt !== this.group.version || this.hasData()) return true;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return false;
        await this.bell.sleep(remaining);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.bell.ring();
    await this.busy?.catch(() => undefined);
    const owned = this.owned;
    try {
      if (owned.length > 0) await this.options.onRevoke?.(owned.map((o) => ({ ...o.tp })));
    } finally {
      this.closed = true;
      this.owned = [];
      this.release(owned);
      this.broker.leave(this.group, this);
    }
  }

  /**
   * Converge on the group's target assignment: give up what moved away
   * (onRevoke first), then take what is targeted here and free (onAssign
   * after). A partition moves only after its old owner let go, so nobody
   * reads it before the old owner's onRevoke has committed.
   */
  async rebalance(): Promise<void> {
    while (!this.closing && this.settledAt !== this.group.version) {
      const version = this.group.version;
      const target = this.broker.targetOf(this.group, this);
      const wanted = new Set(target.map((tp) => tpKey(tp.topic, tp.partition)));
      const revoked = this.owned.filter((o) => !wanted.has(o.key) || this.broker.currentTopic(o.tp.topic) !== o.topic);
      if (revoked.length > 0) {
        await this.options.onRevoke?.(revoked.map((o) => ({ ...o.tp })));
        this.owned = this.owned.filter((o) => !revoked.includes(o));
        this.release(revoked);
        continue;
      }
      const ownedKeys = new Set(this.owned.map((o) => o.key));
      const claimed: OwnedPartition[] = [];
      for (const tp of target) {
        const key = tpKey(tp.topic, tp.partition);
        if (ownedKeys.has(key) || this.group.owners.has(key)) continue;
        const topic = this.broker.currentTopic(tp.topic)!;
        const log = topic.logs[tp.partition]!;
        const position = this.broker.startPosition(this.group, log, tp, this.options.fromBeginning);
        claimed.push({ key, tp, topic, log, position });
        this.group.owners.set(key, this);
      }
      this.settledAt = version;
      if (claimed.length > 0) {
        this.owned = [...this.owned, ...claimed].sort((a, b) => byTopicPartition(a.tp, b.tp));
        await this.options.onAssign?.(claimed.map((o) => ({ ...o.tp })));
      }
    }
  }

  private release(partitions: readonly OwnedPartition[]): void {
    if (partitions.length === 0) return;
    for (const o of partitions) {
      if (this.group.owners.get(o.key) === this) this.group.owners.delete(o.key);
    }
    this.broker.groupChanged(this.group);
  }

  /** Runs one poll/waitForData at a time, like a single-threaded KafkaConsumer. */
  private async exclusive<T>(what: string, body: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    if (this.closing) throw new ClientClosedError(`Consumer ${this.memberId}`);
    if (this.busy !== undefined) throw new ConcurrentUseError(`${what} while another poll or waitForData runs`);
    const running = body();
    this.busy = running;
    try {
      return await running;
    } finally {
      this.busy = undefined;
    }
  }

  private ensureOpen(): void {
    this.broker.ensureOpen();
    if (this.closed) throw new ClientClosedError(`Consumer ${this.memberId}`);
  }

  /** Owned partitions whose topic still exists (a deleted one is revoked at the next poll). */
  private live(): OwnedPartition[] {
    return this.owned.filter((o) => this.broker.currentTopic(o.tp.topic) === o.topic);
  }

  private ownedOrThrow(topic: string, partition: number): OwnedPartition {
    const o = this.owned.find((x) => x.tp.topic === topic && x.tp.partition === partition);
    if (o === undefined || this.broker.currentTopic(topic) !== o.topic) throw new NotAssignedError(topic, partition);
    return o;
  }

  /** Live owned partitions with a readable record at their position. */
  private heads(): Head[] {
    const heads: Head[] = [];
    this.owned.forEach((owned, rank) => {
      if (this.broker.currentTopic(owned.tp.topic) !== owned.topic) return;
      const log = owned.log;
      if (owned.position < log.startOffset || owned.position > log.endOffset) {
        owned.position = this.options.fromBeginning ? log.startOffset : log.endOffset;
      }
      const index = log.indexOf(owned.position);
      if (index < log.records.length) heads.push({ owned, records: log.records, rank, start: index, index });
    });
    return heads;
  }

  private hasData(): boolean {
    return this.heads().length > 0;
  }

  /**
   * Up to max records, merged across partitions by smallest head timestamp
   * (ties to the lower topic-partition), taking runs from one partition while
   * it stays the smallest.
   */
  private take(max: number): ConsumedRecord[] {
    const heads = this.heads();
    const out: ConsumedRecord[] = [];
    if (heads.length === 0) return out;
    const before = (a: Head, b: Head): boolean => {
      const ta = a.records[a.index]!.timestamp;
      const tb = b.records[b.index]!.timestamp;
      return ta < tb || (ta === tb && a.rank < b.rank);
    };
    let live = heads;
    while (out.length < max && live.length > 0) {
      let best = 0;
      for (let i = 1; i < live.length; i++) if (before(live[i]!, live[best]!)) best = i;
      const h = live[best]!;
      let second: Head | undefined;
      for (let i = 0; i < live.length; i++) {
        if (i !== best && (second === undefined || before(live[i]!, second))) second = live[i];
      }
      const records = h.records;
      if (second === undefined) {
        const end = Math.min(records.length, h.index + (max - out.length));
        for (let i = h.index; i < end; i++) out.push(records[i]!);
        h.index = end;
      } else {
        const limit = second.records[second.index]!.timestamp;
        const tieWins = h.rank < second.rank;
        do {
          out.push(records[h.index++]!);
        } while (
          out.length < max &&
          h.index < records.length &&
          (records[h.index]!.timestamp < limit || (tieWins && records[h.index]!.timestamp === limit))
        );
      }
      if (h.index >= records.length) live = live.filter((x) => x !== h);
    }
    for (const h of heads) {
      if (h.index > h.start) h.owned.position = h.records[h.index - 1]!.offset + 1;
    }
    return out;
  }
}

class MemoryTransaction implements Transaction {
  private state: 'open' | 'failed' | 'fenced' | 'committed' | 'aborted' = 'open';
  private readonly batches: PlannedBatch[] = [];
  private readonly offsets: Array<{ groupId: string; offsets: readonly TopicPartitionOffset[] }> = [];

  constructor(
    private readonly broker: InMemoryBroker,
    readonly transactionalId: string,
  ) {}

  fence(): void {
    if (this.state === 'open' || this.state === 'failed') this.state = 'fenced';
  }

  async produce(topic: string, records: readonly ProducerRecord[]): Promise<void> {
    this.broker.ensureOpen();
    this.ensureOpen();
    this.failOnError(() => this.batches.push(this.broker.plan(this.broker.topic(topic), records.slice())));
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.broker.ensureOpen();
    this.ensureOpen();
    this.failOnError(() => {
      this.broker.checkGroupOffsets(offsets);
      this.offsets.push({ groupId, offsets: offsets.map((o) => ({ ...o })) });
    });
  }

  async commit(): Promise<void> {
    this.broker.ensureOpen();
    this.ensureOpen();
    try {
      for (const { offsets } of this.offsets) this.broker.checkGroupOffsets(offsets);
      this.broker.append(this.batches);
    } catch (e) {
      this.state = 'aborted';
      this.broker.transactionEnded(this);
      throw e;
    }
    for (const { groupId, offsets } of this.offsets) this.broker.storeOffsets(this.broker.group(groupId), offsets);
    this.state = 'committed';
    this.broker.transactionEnded(this);
  }

  async abort(): Promise<void> {
    if (this.state === 'committed') throw new InvalidTxnStateError('Cannot abort a committed transaction');
    if (this.state !== 'fenced') this.state = 'aborted';
    this.batches.length = 0;
    this.offsets.length = 0;
    this.broker.transactionEnded(this);
  }

  private ensureOpen(): void {
    switch (this.state) {
      case 'open':
        return;
      case 'fenced':
        throw new ProducerFencedError(this.transactionalId);
      case 'failed':
        throw new InvalidTxnStateError('The transaction had an error and must be aborted');
      case 'committed':
      case 'aborted':
        throw new InvalidTxnStateError(`The transaction is ${this.state}`);
      default: {
        const unreachable: never = this.state;
        throw new InvalidTxnStateError(`Unknown state ${String(unreachable)}`);
      }
    }
  }

  private failOnError(body: () => void): void {
    try {
      body();
    } catch (e) {
      this.state = 'failed';
      throw e;
    }
  }
}
