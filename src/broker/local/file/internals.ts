/**
 * What consumers and transactions use of the file broker: its topic
 * registry, partitions, locks and group files. An interface, so they need
 * not import the broker (which imports them).
 */

import type { FSWatcher } from 'node:fs';
import type { ProducerRecord, TopicPartitionOffset } from '../../port.js';
import type { Doorbell } from './doorbell.js';
import type { GroupFiles } from './groups.js';
import type { PartitionLog } from './partition.js';

/** One incarnation of a topic as this broker knows it. */
export interface TopicState {
  readonly name: string;
  readonly id: string;
  /** topics/<name> */
  readonly dir: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly config: Readonly<Record<string, string>>;
  readonly compacted: boolean;
  /** The inode of topic.json: a different one means another incarnation. */
  readonly metaIno: number;
  checkedAt: number;
  checkedEpoch: number;
  deleted: boolean;
  /** Partitions opened so far. */
  readonly logs: Array<PartitionLog | undefined>;
  readonly watchers: Array<FSWatcher | undefined>;
}

/** Records planned for one topic: validated and partitioned, not yet appended. */
export interface PlannedBatch {
  readonly topic: TopicState;
  readonly records: readonly ProducerRecord[];
  readonly partitions: Int32Array;
}

export interface BrokerInternals {
  readonly durable: boolean;
  readonly sessionTimeoutMs: number;
  readonly pendingDir: string;
  ensureOpen(): void;
  /** The topic's current incarnation (re-checked on disk now and then), or undefined. */
  currentTopic(name: string): TopicState | undefined;
  /** currentTopic or UnknownTopicError. */
  topic(name: string): TopicState;
  /** The partition, opened on first use; UnknownPartitionError outside the topic. */
  log(t: TopicState, partition: number): PartitionLog;
  lockPathOf(t: TopicState, partition: number): string;
  /** Fails with UnknownTopicError when the topic on disk is no longer this incarnation. */
  checkIncarnation(t: TopicState): void;
  plan(t: TopicState, records: readonly ProducerRecord[]): PlannedBatch;
  checkGroupOffsets(offsets: readonly TopicPartitionOffset[]): void;
  storeOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  groupFiles(groupId: string): GroupFiles;
  /**
   * Take every lock (in the order given: the caller sorts), waiting for live
   * holders and finishing transactions left by dead ones first.
   */
  lockAll(paths: readonly string[], note?: string, recovering?: string): Promise<void>;
  unlockAll(paths: readonly string[]): void;
  /** How long a sleeper may sleep before re-checking the files itself. */
  wakeMs(): number;
  /** Wake this topic's sleepers on changes made by other processes. */
  watchPartition(t: TopicState, partition: number): void;
  listenersOf(topic: string): Set<Doorbell>;
  /** Ring the topic's sleepers (after an append). */
  topicWritten(topic: string): void;
  /** The transactional id's lock and epoch files. */
  transactionPaths(transactionalId: string): { lockPath: string; epochPath: string; name: string };
  /** Finish a transaction a dead process left committed but not applied. */
  recoverPending(name: string): Promise<void>;
  onBackgroundError(e: unknown): void;
}
