/**
 * The Broker port: what Kafka offers and nothing more. The runtime talks only
 * to this; adapters implement it in memory, over an append-only file log, and
 * over kafkajs. Everything is async and batch-shaped because two of the three
 * backends do I/O. Nothing here knows about SQL, schemas or rows.
 *
 * Conventions, as in Kafka:
 * - offsets are per partition, start at 0, and only grow; they may have gaps
 *   (compaction, transaction markers), so never assume offset == index;
 * - a committed offset is the offset of the *next* record to consume;
 * - "end offset" is the high-water mark: one past the last readable record;
 * - byte arrays handed to produce belong to the broker afterwards, and byte
 *   arrays of consumed records are shared and read-only.
 */

/** One record header; Kafka allows repeated keys and null values. */
export interface Header {
  key: string;
  value: Uint8Array | null;
}

/** A record to append. `partition` absent: the default partitioner picks. */
export interface ProducerRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** Epoch milliseconds, an integer >= 0 (the record's event time, ROWTIME). */
  timestamp: number;
  headers?: readonly Header[];
  partition?: number;
}

/** A record as read back: where it lives plus what was produced. */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  /** Always present; empty when the record had none. */
  readonly headers: readonly Header[];
}

/** Where produce put a record. */
export interface RecordMetadata {
  partition: number;
  offset: number;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  offset: number;
}

/** An offset of one partition of a topic known from context. */
export interface PartitionOffset {
  partition: number;
  offset: number;
}

/** The Kafka topic config key whose value 'compact' makes a topic compacted. */
export const CLEANUP_POLICY = 'cleanup.policy';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Replication factor; default 1. Single-node backends record it only. */
  replicas?: number;
  /** Kafka topic configs as strings, e.g. { 'cleanup.policy': 'compact' }. */
  config?: Readonly<Record<string, string>>;
  /** Succeed without change when the topic exists (whatever its layout). */
  ifNotExists?: boolean;
}

export interface TopicDescription {
  name: string;
  partitions: number;
  replicas: number;
  /** The configs set on the topic (not the broker defaults). */
  config: Readonly<Record<string, string>>;
}

/** True when the topic keeps only the latest value per key (cleanup.policy has 'compact'). */
export function isCompacted(config: Readonly<Record<string, string>> | undefined): boolean {
  const policy = config?.[CLEANUP_POLICY];
  return policy !== undefined && policy.split(',').some((p) => p.trim() === 'compact');
}

/** Kafka's group states; 'Dead' groups are reported as absent. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface GroupMember {
  memberId: string;
  clientId: string;
  /** Partitions the member owns right now. */
  assignment: TopicPartition[];
}

export interface GroupPartitionLag extends TopicPartition {
  /** Committed offset, null when the group never committed this partition. */
  committed: number | null;
  /** The partition's end offset (high-water mark). */
  end: number;
  /** end - committed; null when nothing is committed. */
  lag: number | null;
}

export interface GroupDescription {
  groupId: string;
  state: GroupState;
  members: GroupMember[];
  /** Every partition the group has committed or owns, sorted by topic then partition. */
  offsets: GroupPartitionLag[];
}

export interface SubscribeOptions {
  groupId: string;
  topics: readonly string[];
  /** Where to start a partition with no committed offset: true earliest, false latest. */
  fromBeginning: boolean;
  /** Names the member in describeGroup; default 'consumer'. */
  clientId?: string;
  /**
   * Called with partitions newly given to this consumer, after their start
   * positions are set (so it may seek). Incremental, as in cooperative
   * rebalancing: only what was added, never the whole assignment.
   */
  onAssign?: (partitions: TopicPartition[]) => void | Promise<void>;
  /**
   * Called with partitions being taken away, before anyone else may read them:
   * the place to flush and commit. Also called for everything owned on close.
   */
  onRevoke?: (partitions: TopicPartition[]) => void | Promise<void>;
}

/**
 * A member of a consumer group. Single-threaded like KafkaConsumer: one poll
 * or waitForData at a time (ConcurrentUseError otherwise); commit, seek and
 * positions may be called between them or from the callbacks; close ends a
 * waiting poll. Rebalances happen inside subscribe, poll and close, where the
 * callbacks run.
 */
export interface Consumer {
  readonly groupId: string;
  readonly memberId: string;
  /** Partitions owned now, sorted by topic then partition. */
  assignment(): TopicPartition[];
  /**
   * Up to maxRecords from owned partitions, waiting up to timeoutMs for the
   * first; [] on timeout or close. Per partition in offset order; across
   * partitions merged by smallest head timestamp (ties: topic, partition),
   * as Kafka Streams chooses, as far as the records at hand allow.
   */
  poll(maxRecords: number, timeoutMs: number): Promise<ConsumedRecord[]>;
  /** Next offset to be returned for each owned partition: what commit() commits. */
  positions(): TopicPartitionOffset[];
  /** Move an owned partition's position; the next poll reads from there. */
  seek(topic: string, partition: number, offset: number): void;
  /** Commit the given offsets (default: positions()) for owned partitions. */
  commit(offsets?: readonly TopicPartitionOffset[]): Promise<void>;
  /**
   * Resolve true as soon as poll would return records or has a rebalance to
   * run, false after timeoutMs or on close: lets a tailing loop sleep.
   */
  waitForData(timeoutMs: number): Promise<boolean>;
  /** Revoke owned partitions (onRevoke runs), leave the group; does not commit. */
  close(): Promise<void>;
}

/**
 * A transaction: records and group offsets that become visible together or
 * not at all. Consumers of the port read committed data only.
 */
export interface Transaction {
  /** Add records; partitions are chosen (and errors raised) now, visibility waits for commit. */
  produce(topic: string, records: readonly ProducerRecord[]): Promise<void>;
  /** Commit these group offsets with the records (exactly-once consume-process-produce). */
  sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Make everything visible atomically; on failure nothing is, and the transaction is over. */
  commit(): Promise<void>;
  /** Drop everything; the transaction is over. */
  abort(): Promise<void>;
}

export interface Broker {
  // --- admin -------------------------------------------------------------

  /** Create a topic; TopicExistsError when taken unless ifNotExists. */
  createTopic(spec: TopicSpec): Promise<void>;
  /** Layout and configs of a topic, or undefined when there is none. */
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  /** Names of all topics, sorted. */
  listTopics(): Promise<string[]>;
  /** Whether a topic of this name exists now. */
  topicExists(name: string): Promise<boolean>;
  /** Delete a topic, its records and every group's offsets for it; UnknownTopicError when absent. */
  deleteTopic(name: string): Promise<void>;
  /** Drop records below the given offsets, moving the log start (Kafka deleteRecords). */
  deleteRecords(topic: string, offsets: readonly PartitionOffset[]): Promise<void>;

  // --- produce & fetch ---------------------------------------------------

  /**
   * Append records in order; one RecordMetadata per record, same order. A
   * batch is validated whole before anything is appended. Records without a
   * partition go where defaultPartitioner sends them.
   */
  produce(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]>;
  /**
   * Up to maxRecords with offset >= fromOffset, in offset order. Waits up to
   * maxWaitMs (default 0) when there is nothing yet. OffsetOutOfRangeError
   * when fromOffset is before the beginning or after the end offset.
   */
  fetch(
    topic: string,
    partition: number,
    fromOffset: number,
    maxRecords: number,
    maxWaitMs?: number,
  ): Promise<ConsumedRecord[]>;
  /** High-water mark of every partition, sorted by partition. */
  endOffsets(topic: string): Promise<PartitionOffset[]>;
  /** Log start offset of every partition, sorted by partition. */
  beginningOffsets(topic: string): Promise<PartitionOffset[]>;

  // --- consumer groups ---------------------------------------------------

  /**
   * Commit offsets for a group from outside it (an admin or a manually
   * assigned reader); GroupNotEmptyError while it has live members.
   */
  commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The group's committed offset of every partition of the topic, null where none. */
  committedOffsets(
    groupId: string,
    topic: string,
  ): Promise<Array<{ partition: number; offset: number | null }>>;
  /** Ids of groups that have members or committed offsets, sorted. */
  listGroups(): Promise<string[]>;
  /** Members, what they own, committed offsets and lag; undefined for an unknown group. */
  describeGroup(groupId: string): Promise<GroupDescription | undefined>;
  /** Forget a group's offsets; GroupNotEmptyError while it has members. */
  deleteGroup(groupId: string): Promise<void>;
  /** Join a group as a new member; resolves once its first assignment is taken. */
  subscribe(options: SubscribeOptions): Promise<Consumer>;

  // --- transactions ------------------------------------------------------

  /**
   * Begin a transaction, where the backend has them. A second transaction
   * with the same transactionalId fences any still open (ProducerFencedError).
   */
  transaction?(transactionalId: string): Promise<Transaction>;

  /** Close consumers (running their onRevoke) and release resources; then unusable. */
  close(): Promise<void>;
}
