/**
 * The file broker: the Broker port over an append-only log in a data
 * directory, shared safely by several processes (see README.md for the
 * layout and the protocols). This class is the registry of topics,
 * partitions and groups one process has opened, plus the admin and produce
 * paths; partitions, consumers and transactions live in their own files.
 */

import fs, { type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  BrokerError,
  ClientClosedError,
  CorruptRecordError,
  GroupNotEmptyError,
  InvalidRecordError,
  InvalidTopicError,
  OffsetOutOfRangeError,
  TopicExistsError,
  UnknownGroupError,
  UnknownPartitionError,
  UnknownTopicError,
} from '../../errors.js';
import { createDefaultPartitioner, type Partitioner } from '../../partitioner.js';
import {
  isCompacted,
  type Broker,
  type ConsumedRecord,
  type Consumer,
  type GroupDescription,
  type GroupPartitionLag,
  type PartitionOffset,
  type ProducerRecord,
  type RecordMetadata,
  type SubscribeOptions,
  type TopicDescription,
  type TopicPartition,
  type TopicPartitionOffset,
  type TopicSpec,
  type Transaction,
} from '../../port.js';
import { byTopicPartition, checkCount, checkOffset, checkWait, FileConsumer } from './consumer.js';
import { GroupView } from './coordinator.js';
import { Doorbell } from './doorbell.js';
import { GroupFiles, groupDirName, tpKey, type GroupSnapshot, type OffsetsDoc } from './groups.js';
import type { BrokerInternals, PlannedBatch, TopicState } from './internals.js';
import { errnoOf, fsyncDir, guarded, io, listDir, readIfExists, storageError, sweepTemporaries, writeFileAtomic } from './io.js';
import { acquire, OwnerFile, ownerGone, pidAlive, PROCESS, sleep, tryLock, unlock } from './lock.js';
import { META_FILE, PartitionLog, type PartitionConfig } from './partition.js';
import { encodedSize, MAX_RECORD_BYTES } from './record.js';
import { hasDeletePolicy, intConfig, parseTopicMeta, stageTopic, TOPIC_FILE, topicMetaOf } from './topics.js';
import { FileTransaction, readEpoch, recoverPending } from './transaction.js';

export interface FileBrokerOptions {
  /** The data directory (created when missing). Several processes may share it. */
  dataDir: string;
  /** 'always' (default): fsync every produce batch before acknowledging it; 'interval': at most every fsyncIntervalMs. */
  fsync?: 'always' | 'interval';
  /** Period of the fsync timer under the 'interval' policy; default 1000. */
  fsyncIntervalMs?: number;
  /** Size at which a partition rolls to a new segment; default 64 MiB (topic config segment.bytes wins). */
  segmentBytes?: number;
  /** Delete sealed segments older than this; default -1, keep (topic config retention.ms wins). */
  retentionMs?: number;
  /** Delete the oldest sealed segments while a partition is bigger; default -1, keep (retention.bytes wins). */
  retentionBytes?: number;
  /** How often shared state is re-checked when file watching is unavailable or off; default 50. */
  pollIntervalMs?: number;
  /** A group member silent this long is dropped (a dead process is dropped at once); default 10000. */
  sessionTimeoutMs?: number;
  /** How often members refresh their lease and look for dead peers; default 1000. */
  heartbeatIntervalMs?: number;
  /** How long an append waits for a partition lock held by a live process; default 30000. */
  lockTimeoutMs?: number;
  /** A lock from another host (shared mount) older than this is abandoned; default 30000. */
  staleLockMs?: number;
  /** Use fs.watch to wake readers at once (default true); false polls every pollIntervalMs. */
  watch?: boolean;
  /** Where records without a partition go; default Kafka's. */
  partitioner?: Partitioner;
  /** Errors of work nobody waits for (retention, compaction on roll, interval fsync); default process.emitWarning. */
  onBackgroundError?: (error: unknown) => void;
}

/** The file adapter: the port, transactions, and the log's maintenance on demand. */
export interface FileBroker extends Broker {
  readonly dataDir: string;
  transaction(transactionalId: string): Promise<Transaction>;
  /**
   * Compact a compacted topic now: roll each partition's active segment, keep
   * only each key's latest record, drop tombstones; offsets, beginning and
   * end do not move.
   */
  compact(topic: string): Promise<void>;
  /** Apply time and size retention now (it also runs whenever a segment rolls). */
  enforceRetention(topic?: string): Promise<void>;
  /** fsync everything appended so far (for the 'interval' policy). */
  flush(): Promise<void>;
}

const FORMAT_FILE = 'ksqlite-log.json';
const FORMAT = { format: 'ksqlite-log', version: 1 };
const SAFETY_WAKE_MS = 1000;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

type Resolved = Required<Omit<FileBrokerOptions, 'partitioner' | 'onBackgroundError'>> & {
  onBackgroundError: (error: unknown) => void;
};

function resolveOptions(options: FileBrokerOptions): Resolved {
  if (typeof options?.dataDir !== 'string' || options.dataDir === '') throw new BrokerError('createFileBroker needs a dataDir');
  const positive = (v: number | undefined, fallback: number, what: string, min = 1): number => {
    if (v === undefined) return fallback;
    if (!Number.isFinite(v) || v < min) throw new BrokerError(`${what} must be a number >= ${min}, got ${v}`);
    return v;
  };
  const fsyncPolicy = options.fsync ?? 'always';
  if (fsyncPolicy !== 'always' && fsyncPolicy !== 'interval') {
    throw new BrokerError(`fsync must be 'always' or 'interval', got '${String(fsyncPolicy)}'`);
  }
  return {
    dataDir: options.dataDir,
    fsync: fsyncPolicy,
    fsyncIntervalMs: positive(options.fsyncIntervalMs, 1000, 'fsyncIntervalMs'),
    segmentBytes: positive(options.segmentBytes, 64 * 1024 * 1024, 'segmentBytes', 256),
    retentionMs: options.retentionMs ?? -1,
    retentionBytes: options.retentionBytes ?? -1,
    pollIntervalMs: positive(options.pollIntervalMs, 50, 'pollIntervalMs'),
    sessionTimeoutMs: positive(options.sessionTimeoutMs, 10_000, 'sessionTimeoutMs'),
    heartbeatIntervalMs: positive(options.heartbeatIntervalMs, 1000, 'heartbeatIntervalMs'),
    lockTimeoutMs: positive(options.lockTimeoutMs, 30_000, 'lockTimeoutMs'),
    staleLockMs: positive(options.staleLockMs, 30_000, 'staleLockMs'),
    watch: options.watch ?? true,
    onBackgroundError: options.onBackgroundError ?? ((e) => process.emitWarning(e instanceof Error ? e : String(e))),
  };
}

/** Open (creating when needed) the file log in options.dataDir. */
export async function createFileBroker(options: FileBrokerOptions): Promise<FileBroker> {
  const broker = new FileLogBroker(resolveOptions(options), options.partitioner ?? createDefaultPartitioner());
  await broker.start();
  return broker;
}

let stageSeq = 0;

class FileLogBroker implements FileBroker, BrokerInternals {
  readonly dataDir: string;
  readonly durable: boolean;
  readonly sessionTimeoutMs: number;
  readonly pendingDir: string;
  private readonly topicsDir: string;
  private readonly groupsDir: string;
  private readonly txnDir: string;
  private readonly tmpDir: string;
  private readonly trashDir: string;
  private readonly topics = new Map<string, TopicState>();
  /** Bumped when the topics directory changed (watcher): cached topics are re-checked. */
  private topicEpoch = 0;
  private readonly groupFileCache = new Map<string, GroupFiles>();
  private readonly views = new Map<string, GroupView>();
  private readonly consumers = new Set<FileConsumer>();
  private readonly listeners = new Map<string, Set<Doorbell>>();
  private readonly openTransactions = new Map<string, FileTransaction>();
  private topicsWatcher: FSWatcher | undefined;
  private watchFailed = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private fsyncTimer: NodeJS.Timeout | undefined;
  /** What this broker's locks link to (made at start). */
  private owner!: OwnerFile;
  private closed = false;

  constructor(
    private readonly opts: Resolved,
    private readonly partitioner: Partitioner,
  ) {
    this.dataDir = opts.dataDir;
    this.durable = opts.fsync === 'always';
    this.sessionTimeoutMs = opts.sessionTimeoutMs;
    this.topicsDir = join(this.dataDir, 'topics');
    this.groupsDir = join(this.dataDir, 'groups');
    this.txnDir = join(this.dataDir, 'transactions');
    this.pendingDir = join(this.txnDir, 'pending');
    this.tmpDir = join(this.dataDir, 'tmp');
    this.trashDir = join(this.dataDir, 'trash');
  }

  async start(): Promise<void> {
    for (const dir of [this.topicsDir, this.groupsDir, this.pendingDir, this.tmpDir, this.trashDir]) {
      guarded('creating data directory', dir, () => io.mkdir(dir));
    }
    const formatPath = join(this.dataDir, FORMAT_FILE);
    const format = readIfExists(formatPath);
    if (format === undefined) {
      writeFileAtomic(formatPath, JSON.stringify(FORMAT), this.durable, this.dataDir);
    } else {
      let parsed: { format?: string; version?: number } = {};
      try {
        parsed = JSON.parse(format.toString('utf8')) as typeof parsed;
      } catch {
        // reported below
      }
      if (parsed.format !== FORMAT.format || parsed.version !== FORMAT.version) {
        throw new BrokerError(`${this.dataDir} holds an unknown log format (${format.toString('utf8').slice(0, 80)})`);
      }
    }
    this.sweep();
    this.owner = new OwnerFile(this.tmpDir);
    if (this.opts.watch) {
      this.topicsWatcher = this.watchDir(this.topicsDir, (_event, name) => {
        this.topicEpoch++;
        if (name) this.topicChanged(name);
      });
    }
    if (!this.durable) {
      this.fsyncTimer = setInterval(() => this.syncAll(false), this.opts.fsyncIntervalMs);
      this.fsyncTimer.unref();
    }
    for (const name of listDir(this.pendingDir)) {
      if (!name.endsWith('.txn')) continue;
      try {
        await this.recoverPending(name);
      } catch (e) {
        this.opts.onBackgroundError(e);
      }
    }
  }

  /** Remove what dead processes left in tmp/ and trash/. */
  private sweep(): void {
    for (const name of listDir(this.tmpDir)) {
      const [pid, token] = name.split('.');
      if (ownerGone({ pid: Number(pid), host: PROCESS.host, token: token ?? '' }, 0, Number.POSITIVE_INFINITY)) {
        this.removeQuietly(join(this.tmpDir, name));
      }
    }
    for (const name of listDir(this.trashDir)) this.removeQuietly(join(this.trashDir, name));
    for (const dir of [this.dataDir, this.txnDir, this.pendingDir]) sweepTemporaries(dir, pidAlive);
  }

  private removeQuietly(path: string): void {
    try {
      io.rm(path);
    } catch (e) {
      this.opts.onBackgroundError(storageError(e, 'removing', path));
    }
  }

  // --- admin -------------------------------------------------------------

  async createTopic(spec: TopicSpec): Promise<void> {
    this.ensureOpen();
    const meta = topicMetaOf(spec);
    if (this.currentTopic(meta.name) !== undefined) {
      if (spec.ifNotExists) return;
      throw new TopicExistsError(meta.name);
    }
    const stage = join(this.tmpDir, `${PROCESS.pid}.${PROCESS.token}.${++stageSeq}.${meta.name}`);
    try {
      stageTopic(stage, meta, this.durable);
      io.rename(stage, join(this.topicsDir, meta.name));
    } catch (e) {
      this.removeQuietly(stage);
      const code = errnoOf(e);
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        if (spec.ifNotExists) return;
        throw new TopicExistsError(meta.name);
      }
      throw storageError(e, 'creating topic', join(this.topicsDir, meta.name));
    }
    if (this.durable) fsyncDir(this.topicsDir);
    this.topicEpoch++;
    this.topicChanged(meta.name);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    this.ensureOpen();
    const t = this.currentTopic(name);
    if (t === undefined) return undefined;
    return { name, partitions: t.partitions, replicas: t.replicas, config: { ...t.config } };
  }

  async listTopics(): Promise<string[]> {
    this.ensureOpen();
    return listDir(this.topicsDir)
      .filter((n) => TOPIC_NAME.test(n) && readIfExists(join(this.topicsDir, n, TOPIC_FILE)) !== undefined)
      .sort();
  }

  async topicExists(name: string): Promise<boolean> {
    this.ensureOpen();
    return this.currentTopic(name) !== undefined;
  }

  async deleteTopic(name: string): Promise<void> {
    this.ensureOpen();
    const t = this.topic(name);
    const trash = join(this.trashDir, `${name}.${t.id}.${++stageSeq}`);
    try {
      io.rename(t.dir, trash);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') {
        this.forgetTopic(t);
        throw new UnknownTopicError(name);
      }
      throw storageError(e, 'deleting topic', t.dir);
    }
    this.forgetTopic(t);
    if (this.durable) fsyncDir(this.topicsDir);
    this.removeQuietly(trash);
  }

  async deleteRecords(topic: string, offsets: readonly PartitionOffset[]): Promise<void> {
    this.ensureOpen();
    const t = this.topic(topic);
    for (const { partition, offset } of offsets) {
      const log = this.log(t, partition);
      checkOffset(offset, 'deleteRecords offset');
      log.catchUp(false);
      if (offset > log.end) throw new OffsetOutOfRangeError(topic, partition, offset, { beginning: log.start, end: log.end });
    }
    for (const { partition, offset } of offsets) {
      const log = this.log(t, partition);
      if (offset <= log.start) continue;
      await this.withPartitionLock(t, partition, () => {
        log.catchUp(true);
        log.deleteRecords(Math.min(offset, log.end));
      });
    }
  }

  async compact(topic: string): Promise<void> {
    this.ensureOpen();
    const t = this.topic(topic);
    if (!t.compacted) throw new InvalidTopicError(topic, 'is not compacted');
    for (let p = 0; p < t.partitions; p++) {
      const log = this.log(t, p);
      await this.withPartitionLock(t, p, () => {
        log.catchUp(true);
        log.compact();
        log.sweep();
      });
    }
  }

  async enforceRetention(topic?: string): Promise<void> {
    this.ensureOpen();
    const names = topic === undefined ? await this.listTopics() : [topic];
    const now = Date.now();
    for (const name of names) {
      const t = topic === undefined ? this.currentTopic(name) : this.topic(name);
      if (t === undefined) continue;
      for (let p = 0; p < t.partitions; p++) {
        const log = this.log(t, p);
        await this.withPartitionLock(t, p, () => {
          log.catchUp(true);
          log.maintain(now);
        });
      }
    }
  }

  async flush(): Promise<void> {
    this.ensureOpen();
    this.syncAll(true);
  }

  // --- produce & fetch ---------------------------------------------------

  async produce(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    this.ensureOpen();
    const batch = this.plan(this.topic(topic), records);
    const { topic: t, partitions } = batch;
    const n = records.length;
    if (n === 0) return [];
    const counts = new Int32Array(t.partitions);
    for (let i = 0; i < n; i++) counts[partitions[i]!]!++;
    const metadata = new Array<RecordMetadata>(n);
    for (let p = 0; p < t.partitions; p++) {
      const count = counts[p]!;
      if (count === 0) continue;
      let picks: Int32Array | null = null;
      if (count !== n) {
        picks = new Int32Array(count);
        for (let i = 0, k = 0; i < n; i++) if (partitions[i] === p) picks[k++] = i;
      }
      const log = this.log(t, p);
      const first = await this.withPartitionLock(t, p, () => {
        log.catchUp(true);
        return log.append(t.name, records, picks, count);
      });
      for (let k = 0; k < count; k++) metadata[picks === null ? k : picks[k]!] = { partition: p, offset: first + k };
    }
    this.topicWritten(t.name);
    return metadata;
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
    log.catchUp(false);
    const outOfRange = (): OffsetOutOfRangeError =>
      new OffsetOutOfRangeError(topic, partition, fromOffset, { beginning: log.start, end: log.end });
    if (!Number.isSafeInteger(fromOffset) || fromOffset < log.start || fromOffset > log.end) throw outOfRange();
    let records = log.read(fromOffset, maxRecords);
    if (records.length > 0 || maxWaitMs === 0) return records;
    const deadline = Date.now() + maxWaitMs;
    const bell = new Doorbell();
    const bells = this.listenersOf(topic);
    bells.add(bell);
    try {
      this.watchPartition(t, partition);
      while (records.length === 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || this.closed) break;
        await bell.sleep(Math.min(remaining, this.wakeMs()));
        if (this.closed) break;
        if (this.currentTopic(topic) !== t) throw new UnknownTopicError(topic);
        log.catchUp(false);
        if (fromOffset < log.start) throw outOfRange();
        records = log.read(fromOffset, maxRecords);
      }
    } finally {
      bells.delete(bell);
    }
    return records;
  }

  async endOffsets(topic: string): Promise<PartitionOffset[]> {
    this.ensureOpen();
    const t = this.topic(topic);
    return Array.from({ length: t.partitions }, (_, partition) => {
      const log = this.log(t, partition);
      log.catchUp(false);
      return { partition, offset: log.end };
    });
  }

  async beginningOffsets(topic: string): Promise<PartitionOffset[]> {
    this.ensureOpen();
    const t = this.topic(topic);
    return Array.from({ length: t.partitions }, (_, partition) => {
      const log = this.log(t, partition);
      log.catchUp(false);
      return { partition, offset: log.start };
    });
  }

  // --- consumer groups ---------------------------------------------------

  async commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    const files = this.groupFiles(groupId);
    if (files.exists() && this.snapshotOf(groupId).members.length > 0) throw new GroupNotEmptyError(groupId);
    this.checkGroupOffsets(offsets);
    await this.storeOffsets(groupId, offsets);
  }

  async committedOffsets(groupId: string, topic: string): Promise<Array<{ partition: number; offset: number | null }>> {
    this.ensureOpen();
    const t = this.topic(topic);
    const entry = this.groupFiles(groupId).readOffsets().topics[topic];
    const committed = entry?.id === t.id ? entry.partitions : {};
    return Array.from({ length: t.partitions }, (_, partition) => ({ partition, offset: committed[String(partition)] ?? null }));
  }

  async listGroups(): Promise<string[]> {
    this.ensureOpen();
    const ids: string[] = [];
    for (const name of listDir(this.groupsDir)) {
      const raw = readIfExists(join(this.groupsDir, name, 'group.json'));
      if (raw === undefined) continue;
      let groupId: string;
      try {
        groupId = (JSON.parse(raw.toString('utf8')) as { groupId: string }).groupId;
      } catch {
        continue;
      }
      if (this.groupIsKnown(groupId)) ids.push(groupId);
    }
    return ids.sort();
  }

  async describeGroup(groupId: string): Promise<GroupDescription | undefined> {
    this.ensureOpen();
    const files = this.groupFiles(groupId);
    if (!files.exists() || !this.groupIsKnown(groupId)) return undefined;
    const snap = this.snapshotOf(groupId);
    const doc = files.readOffsets();
    const partitions = new Map<string, TopicPartition>();
    for (const [topic, entry] of Object.entries(doc.topics)) {
      if (this.currentTopic(topic)?.id !== entry.id) continue;
      for (const p of Object.keys(entry.partitions)) partitions.set(tpKey(topic, Number(p)), { topic, partition: Number(p) });
    }
    for (const claim of snap.claims.values()) {
      partitions.set(tpKey(claim.topic, claim.partition), { topic: claim.topic, partition: claim.partition });
    }
    const offsets: GroupPartitionLag[] = [];
    for (const { topic, partition } of [...partitions.values()].sort(byTopicPartition)) {
      const t = this.currentTopic(topic);
      if (t === undefined || partition >= t.partitions) continue;
      const log = this.log(t, partition);
      log.catchUp(false);
      const entry = doc.topics[topic];
      const committed = entry?.id === t.id ? (entry.partitions[String(partition)] ?? null) : null;
      const end = log.end;
      offsets.push({ topic, partition, committed, end, lag: committed === null ? null : Math.max(0, end - committed) });
    }
    const owned = (token: string): TopicPartition[] =>
      [...snap.claims.values()]
        .filter((c) => c.member === token)
        .map((c) => ({ topic: c.topic, partition: c.partition }))
        .sort(byTopicPartition);
    const view = this.views.get(groupId) ?? new GroupView(files, this.sessionTimeoutMs);
    const settled = snap.members.every((m) => {
      const target = view.targetOf(snap, m.token, (topic) => this.currentTopic(topic)?.partitions);
      const has = owned(m.token);
      return target.length === has.length && target.every((tp, i) => tp.topic === has[i]!.topic && tp.partition === has[i]!.partition);
    });
    return {
      groupId,
      state: snap.members.length === 0 ? 'Empty' : settled ? 'Stable' : 'PreparingRebalance',
      members: snap.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, assignment: owned(m.token) })),
      offsets,
    };
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.ensureOpen();
    const files = this.groupFiles(groupId);
    if (!files.exists() || !this.groupIsKnown(groupId)) throw new UnknownGroupError(groupId);
    if (this.snapshotOf(groupId).members.length > 0) throw new GroupNotEmptyError(groupId);
    const trash = join(this.trashDir, `group.${groupDirName(groupId)}.${++stageSeq}`);
    try {
      io.rename(files.dir, trash);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') throw new UnknownGroupError(groupId);
      throw storageError(e, 'deleting group', files.dir);
    }
    this.removeQuietly(trash);
  }

  async subscribe(options: SubscribeOptions): Promise<Consumer> {
    this.ensureOpen();
    if (typeof options.groupId !== 'string' || options.groupId === '') {
      throw new BrokerError('subscribe needs a non-empty groupId');
    }
    if (options.topics.length === 0) throw new BrokerError('subscribe needs at least one topic');
    const view = this.groupView(options.groupId);
    const clientId = options.clientId ?? 'consumer';
    const consumer = new FileConsumer(this, view, `${clientId}-${randomUUID()}`, clientId, options, (c) => this.leave(view, c));
    consumer.join();
    view.members.push(consumer);
    this.consumers.add(consumer);
    for (const topic of consumer.topics) this.listenersOf(topic).add(consumer.bell);
    view.changed();
    this.startHeartbeat();
    await consumer.rebalance();
    return consumer;
  }

  // --- transactions ------------------------------------------------------

  async transaction(transactionalId: string): Promise<Transaction> {
    this.ensureOpen();
    const { lockPath, epochPath } = this.transactionPaths(transactionalId);
    await this.lockAll([lockPath]);
    let epoch: number;
    try {
      epoch = readEpoch(epochPath) + 1;
      writeFileAtomic(epochPath, String(epoch), this.durable, this.txnDir);
    } finally {
      this.unlockAll([lockPath]);
    }
    this.openTransactions.get(transactionalId)?.fence();
    const txn = new FileTransaction(this, transactionalId, epoch, (ended) => {
      if (this.openTransactions.get(ended.transactionalId) === ended) this.openTransactions.delete(ended.transactionalId);
    });
    this.openTransactions.set(transactionalId, txn);
    return txn;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await Promise.all([...this.consumers].map((c) => c.close()));
    } finally {
      this.openTransactions.clear();
      this.closed = true;
      clearInterval(this.heartbeatTimer);
      clearInterval(this.fsyncTimer);
      this.topicsWatcher?.close();
      this.owner.remove();
      for (const view of this.views.values()) for (const w of view.watchers) w.close();
      this.views.clear();
      try {
        this.syncAll(false);
      } finally {
        for (const t of this.topics.values()) this.closeTopic(t);
        this.topics.clear();
        for (const bells of this.listeners.values()) for (const bell of bells) bell.ring();
      }
    }
  }

  // --- internals shared with consumers and transactions ------------------

  ensureOpen(): void {
    if (this.closed) throw new ClientClosedError('Broker');
  }

  topic(name: string): TopicState {
    const t = this.currentTopic(name);
    if (t === undefined) throw new UnknownTopicError(name);
    return t;
  }

  currentTopic(name: string): TopicState | undefined {
    const cached = this.topics.get(name);
    const now = Date.now();
    if (cached !== undefined && cached.checkedEpoch === this.topicEpoch && now - cached.checkedAt < this.opts.pollIntervalMs) {
      return cached;
    }
    if (typeof name !== 'string' || !TOPIC_NAME.test(name) || name === '.' || name === '..') return undefined;
    const metaPath = join(this.topicsDir, name, TOPIC_FILE);
    let ino: number | undefined;
    try {
      ino = io.stat(metaPath).ino;
    } catch (e) {
      const code = errnoOf(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw storageError(e, 'reading', metaPath);
    }
    if (cached !== undefined && ino === cached.metaIno) {
      cached.checkedAt = now;
      cached.checkedEpoch = this.topicEpoch;
      return cached;
    }
    if (cached !== undefined) this.forgetTopic(cached);
    if (ino === undefined) return undefined;
    const raw = readIfExists(metaPath);
    if (raw === undefined) return undefined;
    const meta = parseTopicMeta(raw);
    if (meta === undefined) throw new CorruptRecordError(metaPath, 0, null, 'unreadable topic metadata');
    const t: TopicState = {
      name,
      id: meta.id,
      dir: join(this.topicsDir, name),
      partitions: meta.partitions,
      replicas: meta.replicas ?? 1,
      config: Object.freeze({ ...meta.config }),
      compacted: isCompacted(meta.config),
      metaIno: ino,
      checkedAt: now,
      checkedEpoch: this.topicEpoch,
      deleted: false,
      logs: new Array(meta.partitions).fill(undefined),
      watchers: new Array(meta.partitions).fill(undefined),
    };
    this.topics.set(name, t);
    return t;
  }

  log(t: TopicState, partition: number): PartitionLog {
    if (!(partition >= 0 && partition < t.partitions && partition % 1 === 0)) throw new UnknownPartitionError(t.name, partition);
    const log = t.logs[partition];
    if (log !== undefined) return log;
    const opened = PartitionLog.open(this.partitionConfig(t, partition));
    t.logs[partition] = opened;
    return opened;
  }

  private partitionConfig(t: TopicState, partition: number): PartitionConfig {
    return {
      topic: t.name,
      partition,
      dir: join(t.dir, String(partition)),
      lockPath: this.lockPathOf(t, partition),
      owner: this.owner,
      durable: this.durable,
      segmentBytes: Math.max(256, intConfig(t.config, 'segment.bytes', this.opts.segmentBytes)),
      retentionMs: intConfig(t.config, 'retention.ms', this.opts.retentionMs),
      retentionBytes: intConfig(t.config, 'retention.bytes', this.opts.retentionBytes),
      deleteRetention: hasDeletePolicy(t.config),
      compacted: t.compacted,
      staleLockMs: this.opts.staleLockMs,
      metaCheckMs: this.opts.pollIntervalMs,
      onBackgroundError: this.opts.onBackgroundError,
    };
  }

  lockPathOf(t: TopicState, partition: number): string {
    return join(t.dir, `${partition}.lock`);
  }

  checkIncarnation(t: TopicState): void {
    let ino = -1;
    try {
      ino = io.stat(join(t.dir, TOPIC_FILE)).ino;
    } catch {
      // gone
    }
    if (ino !== t.metaIno) {
      this.forgetTopic(t);
      throw new UnknownTopicError(t.name);
    }
  }

  /** Run body holding the partition's lock (waiting for it when another process has it). */
  private async withPartitionLock<T>(t: TopicState, partition: number, body: () => T): Promise<T> {
    const path = this.lockPathOf(t, partition);
    try {
      if (tryLock(path, this.owner, this.opts.staleLockMs, { topic: t.name }) !== 'acquired') {
        await acquire(
          path,
          this.owner,
          { staleMs: this.opts.staleLockMs, timeoutMs: this.opts.lockTimeoutMs, topic: t.name },
          (name) => this.recoverPending(name),
        );
      }
    } catch (e) {
      if (e instanceof UnknownTopicError) this.forgetTopic(t);
      throw e;
    }
    try {
      this.checkIncarnation(t);
      return body();
    } finally {
      unlock(path);
    }
  }

  async lockAll(paths: readonly string[], note?: string, recovering?: string): Promise<void> {
    const held: string[] = [];
    const deadline = Date.now() + this.opts.lockTimeoutMs;
    // Locks naming a transaction link to an owner file with the note; the links keep its content.
    const owner = note === undefined ? this.owner : new OwnerFile(this.tmpDir, note);
    let wait = 1;
    try {
      while (held.length < paths.length) {
        const path = paths[held.length]!;
        const result = tryLock(path, owner, this.opts.staleLockMs, { recovering });
        if (result === 'acquired') {
          held.push(path);
          continue;
        }
        if (result === 'broken') continue;
        if (result !== 'held') {
          this.unlockAll(held);
          held.length = 0;
          await this.recoverPending(result.recover);
        } else if (Date.now() > deadline) {
          throw new BrokerError(`Timed out after ${this.opts.lockTimeoutMs} ms waiting for the lock ${path}`, { retriable: true });
        }
        await sleep(wait);
        wait = Math.min(wait * 2, 20);
      }
    } catch (e) {
      this.unlockAll(held);
      throw e;
    } finally {
      if (owner !== this.owner) owner.remove();
    }
  }

  unlockAll(paths: readonly string[]): void {
    for (const path of paths) {
      try {
        unlock(path);
      } catch (e) {
        this.opts.onBackgroundError(e);
      }
    }
  }

  recoverPending(name: string): Promise<void> {
    return recoverPending(this, name);
  }

  onBackgroundError(e: unknown): void {
    this.opts.onBackgroundError(e);
  }

  transactionPaths(transactionalId: string): { lockPath: string; epochPath: string; name: string } {
    const name = groupDirName(transactionalId);
    return { lockPath: join(this.txnDir, `${name}.lock`), epochPath: join(this.txnDir, `${name}.epoch`), name };
  }

  /** Validate records and choose their partitions, appending nothing. */
  plan(t: TopicState, records: readonly ProducerRecord[]): PlannedBatch {
    const count = t.partitions;
    const partitions = new Int32Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const ts = r.timestamp;
      if (!(ts >= 0 && ts <= MAX_SAFE && ts % 1 === 0)) {
        throw new InvalidRecordError(t.name, `timestamp must be an integer >= 0, got ${ts}`);
      }
      if (r.key === null && t.compacted) {
        throw new InvalidRecordError(t.name, 'a compacted topic cannot take a record without key');
      }
      const payload = (r.key?.length ?? 0) + (r.value?.length ?? 0);
      if ((payload > MAX_RECORD_BYTES / 2 || (r.headers !== undefined && r.headers.length > 0)) && encodedSize(r) > MAX_RECORD_BYTES) {
        throw new InvalidRecordError(t.name, `a record may take at most ${MAX_RECORD_BYTES} bytes`);
      }
      let p = r.partition;
      if (p === undefined) p = this.partitioner(t.name, r.key, count);
      else if (!(p >= 0 && p < count && p % 1 === 0)) throw new UnknownPartitionError(t.name, p);
      partitions[i] = p;
    }
    return { topic: t, records, partitions };
  }

  checkGroupOffsets(offsets: readonly TopicPartitionOffset[]): void {
    for (const { topic, partition, offset } of offsets) {
      const t = this.topic(topic);
      if (!(partition >= 0 && partition < t.partitions && partition % 1 === 0)) throw new UnknownPartitionError(topic, partition);
      checkOffset(offset, 'committed offset');
    }
  }

  async storeOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const files = this.groupFiles(groupId);
    files.ensure();
    const ids = offsets.map((o) => this.topic(o.topic).id);
    await this.lockAll([files.lockPath]);
    try {
      const doc = files.readOffsets();
      const topics: OffsetsDoc['topics'] = {};
      for (const [topic, entry] of Object.entries(doc.topics)) {
        // Offsets of topics deleted (or re-created) since are dropped here.
        if (this.currentTopic(topic)?.id === entry.id) topics[topic] = { id: entry.id, partitions: { ...entry.partitions } };
      }
      offsets.forEach(({ topic, partition, offset }, i) => {
        let entry = topics[topic];
        if (entry === undefined || entry.id !== ids[i]) topics[topic] = entry = { id: ids[i]!, partitions: {} };
        entry.partitions[String(partition)] = offset;
      });
      files.writeOffsets({ ...doc, topics }, this.durable);
    } finally {
      this.unlockAll([files.lockPath]);
    }
  }

  groupFiles(groupId: string): GroupFiles {
    let files = this.groupFileCache.get(groupId);
    if (files === undefined) this.groupFileCache.set(groupId, (files = new GroupFiles(this.groupsDir, groupId)));
    return files;
  }

  wakeMs(): number {
    return this.watchFailed || !this.opts.watch ? this.opts.pollIntervalMs : SAFETY_WAKE_MS;
  }

  watchPartition(t: TopicState, partition: number): void {
    if (!this.opts.watch || t.deleted || t.watchers[partition] !== undefined) return;
    t.watchers[partition] = this.watchDir(join(t.dir, String(partition)), (event, name) => {
      if (event === 'rename' || name === META_FILE) {
        const current = t.logs[partition];
        if (current !== undefined) current.metaDirty = true;
      }
      this.listeners.get(t.name)?.forEach((bell) => bell.ring());
    });
  }

  listenersOf(topic: string): Set<Doorbell> {
    let bells = this.listeners.get(topic);
    if (bells === undefined) this.listeners.set(topic, (bells = new Set()));
    return bells;
  }

  topicWritten(topic: string): void {
    this.listeners.get(topic)?.forEach((bell) => bell.ring());
  }

  // --- private -------------------------------------------------------------

  /** fs.watch that never keeps the process alive and degrades to polling on failure. */
  private watchDir(path: string, onChange: (event: string, name: string | null) => void): FSWatcher | undefined {
    try {
      const watcher = fs.watch(path, { persistent: false }, (event, name) => {
        if (!this.closed) onChange(event, typeof name === 'string' ? name : null);
      });
      watcher.on('error', () => {
        watcher.close();
        this.watchFailed = true;
      });
      return watcher;
    } catch {
      this.watchFailed = true;
      return undefined;
    }
  }

  private groupView(groupId: string): GroupView {
    let view = this.views.get(groupId);
    if (view !== undefined) return view;
    const files = this.groupFiles(groupId);
    files.ensure();
    sweepTemporaries(files.dir, pidAlive);
    view = new GroupView(files, this.sessionTimeoutMs);
    const v = view;
    if (this.opts.watch) {
      for (const dir of [files.membersDir, files.ownersDir]) {
        const w = this.watchDir(dir, () => v.changed());
        if (w !== undefined) v.watchers.push(w);
      }
    }
    this.views.set(groupId, view);
    return view;
  }

  /** Live members and claims: from this process's view when it has one (fresh when dirty). */
  private snapshotOf(groupId: string): GroupSnapshot {
    const view = this.views.get(groupId);
    if (view !== undefined) {
      view.dirty = true;
      return view.snapshot();
    }
    return this.groupFiles(groupId).snapshot(this.sessionTimeoutMs);
  }

  private groupIsKnown(groupId: string): boolean {
    const files = this.groupFiles(groupId);
    if (!files.exists()) return false;
    if (this.snapshotOf(groupId).members.length > 0) return true;
    const doc = files.readOffsets();
    return Object.entries(doc.topics).some(
      ([topic, entry]) => Object.keys(entry.partitions).length > 0 && this.currentTopic(topic)?.id === entry.id,
    );
  }

  private leave(view: GroupView, consumer: FileConsumer): void {
    const i = view.members.indexOf(consumer);
    if (i >= 0) view.members.splice(i, 1);
    this.consumers.delete(consumer);
    for (const topic of consumer.topics) this.listeners.get(topic)?.delete(consumer.bell);
    view.changed();
    if (view.members.length === 0) {
      for (const w of view.watchers) w.close();
      view.watchers.length = 0;
      this.views.delete(view.files.groupId);
    }
    if (this.consumers.size === 0) {
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = undefined;
    }
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer !== undefined) return;
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.opts.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  /** Refresh our members' leases; look for dead peers (their partitions are then free). */
  private heartbeat(): void {
    for (const consumer of this.consumers) {
      try {
        consumer.heartbeat();
      } catch (e) {
        this.opts.onBackgroundError(e);
      }
    }
    for (const view of this.views.values()) {
      try {
        view.refresh();
      } catch (e) {
        this.opts.onBackgroundError(e);
      }
    }
  }

  /** A topic appeared or vanished: groups subscribed to it rebalance, waiters re-check. */
  private topicChanged(name: string): void {
    for (const view of this.views.values()) {
      if (view.members.some((m) => m.topics.includes(name))) view.changed();
    }
    this.listeners.get(name)?.forEach((bell) => bell.ring());
  }

  private forgetTopic(t: TopicState): void {
    if (this.topics.get(t.name) === t) this.topics.delete(t.name);
    if (!t.deleted) {
      t.deleted = true;
      this.closeTopic(t);
    }
    this.topicChanged(t.name);
  }

  private closeTopic(t: TopicState): void {
    for (const w of t.watchers) w?.close();
    t.watchers.fill(undefined);
    for (const log of t.logs) log?.close();
  }

  private syncAll(throwErrors: boolean): void {
    for (const t of this.topics.values()) {
      for (const log of t.logs) {
        if (log === undefined) continue;
        try {
          log.sync();
        } catch (e) {
          if (throwErrors) throw e;
          this.opts.onBackgroundError(e);
        }
      }
    }
  }
}
