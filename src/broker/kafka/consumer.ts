/**
 * A consumer group member over Kafka's classic group protocol, written on
 * kafkajs's protocol layer so that it behaves like the port's Consumer:
 *
 * - Membership runs in the background: heartbeats, and on a rebalance the
 *   JoinGroup/SyncGroup exchange (the leader assigns with cooperativeAssignment).
 *   Its outcome waits as `pending` until the application's next poll, which
 *   runs onRevoke for what was taken away, then onAssign for what was added.
 *   Partitions moving to another member are first only revoked; the owner
 *   rejoins after its onRevoke, and only then does the new owner get them.
 * - Records come from background fetch loops (one per leader node, long
 *   polling), buffered per partition; poll merges the buffers by head
 *   timestamp and waits for a partition that is known to have more before
 *   merging past it.
 *
 * Two clients per member: one for the group protocol (a JoinGroup blocks its
 * connection until the group settles) and one for fetches, offsets and
 * metadata, both under the member's client id (what describeGroup shows).
 */

import { ClientClosedError, ConcurrentUseError, NotAssignedError, BrokerError } from '../errors.js';
import type { ConsumedRecord, Consumer, SubscribeOptions, TopicPartition, TopicPartitionOffset } from '../port.js';
import { sleep, type KafkaClient } from './client.js';
import { cooperativeAssignment } from './cooperative.js';
import { Doorbell } from './doorbell.js';
import {
  errorOfCode,
  errorType,
  isConnectionError,
  isCoordinatorMoved,
  isStaleMetadata,
  toBrokerError,
  typeOfCode,
  isCoordinatorLoading,
} from './errors.js';
import { fetchFrom, type FetchedPartition } from './fetch.js';
import { EARLIEST, LATEST } from './internals.js';
import type { TopicCache } from './topics.js';
import {
  byTopicPartition,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  readRecordBatches,
} from './wire.js';

/** The assignment strategy name members agree on in JoinGroup. */
export const PROTOCOL_NAME = 'ksqlite-cooperative-range';

export interface ConsumerTuning {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  /** How long a fetch waits at the broker for data. */
  fetchMaxWaitMs: number;
  maxPartitionFetchBytes: number;
  /** Records buffered per partition before fetching it pauses. */
  maxBufferedRecords: number;
  /** How often subscribed topics are checked for creation, deletion and new partitions. */
  metadataRefreshMs: number;
}

interface Owned {
  readonly key: string;
  readonly tp: TopicPartition;
  fetchOffset: number;
  buffer: ConsumedRecord[];
  index: number;
  /** A fetch at fetchOffset was answered since the assignment or the last seek. */
  ready: boolean;
  /** The broker's last stable offset at that answer. */
  lastStable: number;
  /** Bumped by seek: fetch answers for an older position are dropped. */
  epoch: number;
  leader: number;
  /** The topic vanished: nothing to fetch until the rebalance takes it away. */
  gone: boolean;
}

interface PendingAssignment {
  generationId: number;
  assignment: TopicPartition[];
}

const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
const copy = (tp: TopicPartition): TopicPartition => ({ topic: tp.topic, partition: tp.partition });

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new BrokerError(`${what} must be an integer >= 1, got ${n}`);
}

function checkWait(ms: number, what: string): void {
  if (typeof ms !== 'number' || !(ms >= 0)) throw new BrokerError(`${what} must be a number >= 0, got ${ms}`);
}

function checkOffset(offset: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new BrokerError(`${what} must be an integer >= 0, got ${offset}`);
}

export class KafkaGroupConsumer implements Consumer {
  readonly groupId: string;
  private readonly topics: string[];
  private memberIdValue = '';
  private generationId = -1;
  private readonly owned = new Map<string, Owned>();
  private pending: PendingAssignment | null = null;
  /** Membership was lost (session expired, fenced): what we own may be someone else's now. */
  private lostPending = false;
  private joining: Promise<void> | undefined;
  private rejoinRequested = false;
  private readonly joinedAt = performance.timeOrigin + performance.now();
  /** Partition counts of the subscribed topics (-1: missing) as of the last join. */
  private layoutAtJoin = new Map<string, number>();
  private fatal: Error | undefined;
  private readonly bell = new Doorbell();
  private readonly fetchLoops = new Map<number, Doorbell>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private metadataTimer: NodeJS.Timeout | undefined;
  private busy: Promise<unknown> | undefined;
  private closing = false;
  private closed = false;
  private closePromise: Promise<void> | undefined;

  constructor(
    private readonly groupClient: KafkaClient,
    private readonly dataClient: KafkaClient,
    private readonly dataTopics: TopicCache,
    private readonly options: SubscribeOptions,
    private readonly tuning: ConsumerTuning,
    private readonly onClosed: (consumer: KafkaGroupConsumer) => void,
  ) {
    this.groupId = options.groupId;
    this.topics = [...new Set(options.topics)];
  }

  get memberId(): string {
    return this.memberIdValue;
  }

  /** Join, take the first assignment (onAssign runs), start heartbeats. */
  async start(): Promise<void> {
    await Promise.all([this.groupClient.connect(), this.dataClient.connect()]);
    this.requestRejoin();
    await this.joining;
    if (this.fatal !== undefined) throw this.fatal;
    this.scheduleHeartbeat();
    this.scheduleMetadataCheck();
    await this.rebalance();
  }

  assignment(): TopicPartition[] {
    return this.live().map((o) => copy(o.tp));
  }

  positions(): TopicPartitionOffset[] {
    return this.live().map((o) => ({ ...copy(o.tp), offset: position(o) }));
  }

  seek(topic: string, partition: number, offset: number): void {
    this.ensureOpen();
    checkOffset(offset, 'seek offset');
    const o = this.ownedOrThrow(topic, partition);
    o.fetchOffset = offset;
    o.buffer = [];
    o.index = 0;
    o.ready = false;
    o.epoch++;
    this.fetchLoops.get(o.leader)?.ring();
  }

  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    this.ensureOpen();
    const toCommit = offsets ?? this.positions();
    for (const { topic, partition, offset } of toCommit) {
      this.ownedOrThrow(topic, partition);
      checkOffset(offset, 'committed offset');
    }
    if (toCommit.length === 0) return;
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const { topic, partition, offset } of toCommit) {
      let list = byTopic.get(topic);
      if (list === undefined) byTopic.set(topic, (list = []));
      list.push({ partition, offset: String(offset) });
    }
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.dataClient.toCoordinator(this.groupId, 0, (node) =>
          node.offsetCommit({
            groupId: this.groupId,
            groupGenerationId: this.generationId,
            memberId: this.memberIdValue,
            topics,
          }),
        );
        return;
      } catch (error) {
        const type = errorType(error);
        const rebalancing =
          type === 'REBALANCE_IN_PROGRESS' ||
          ((type === 'ILLEGAL_GENERATION' || type === 'UNKNOWN_MEMBER_ID') && this.joining !== undefined);
        if (rebalancing && attempt < 100) {
          // The group is between JoinGroup and SyncGroup: commit with the generation that comes next.
          await (this.joining ?? sleep(20));
          continue;
        }
        if (type === 'ILLEGAL_GENERATION' || type === 'UNKNOWN_MEMBER_ID' || type === 'FENCED_INSTANCE_ID') {
          throw new NotAssignedError(toCommit[0]!.topic, toCommit[0]!.partition);
        }
        if (type === 'UNKNOWN_TOPIC_OR_PARTITION') {
          throw new NotAssignedError(toCommit[0]!.topic, toCommit[0]!.partition);
        }
        throw toBrokerError(error, `Committing offsets of group '${this.groupId}'`);
      }
    }
  }

  poll(maxRecords: number, timeoutMs: number): Promise<ConsumedRecord[]> {
    return this.exclusive('poll', async () => {
      checkCount(maxRecords, 'maxRecords');
      checkWait(timeoutMs, 'timeoutMs');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (this.fatal !== undefined) throw this.fatal;
        await this.rebalance();
        if (this.closing) return [];
        const remaining = deadline - Date.now();
        const records = this.take(maxRecords, remaining <= 0);
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
        if (this.pending !== null || this.lostPending || this.fatal !== undefined || this.hasData()) return true;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return false;
        await this.bell.sleep(remaining);
      }
    });
  }

  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    this.bell.ring();
    for (const loop of this.fetchLoops.values()) loop.ring();
    await this.busy?.catch(() => undefined);
    // Heartbeats go on while onRevoke flushes and commits, or the session could expire under it.
    clearTimeout(this.metadataTimer);
    // A JoinGroup in flight holds the coordinator connection; leave after it.
    if (this.joining !== undefined)
      await Promise.race([this.joining.catch(() => undefined), sleep(this.tuning.rebalanceTimeoutMs)]);
    const owned = this.live().map((o) => copy(o.tp));
    try {
      if (owned.length > 0) await this.options.onRevoke?.(owned);
    } finally {
      this.closed = true;
      clearTimeout(this.heartbeatTimer);
      this.owned.clear();
      for (const loop of this.fetchLoops.values()) loop.ring();
      if (this.memberIdValue !== '') {
        await this.groupClient
          .toCoordinator(this.groupId, 0, (node) => node.leaveGroup({ groupId: this.groupId, memberId: this.memberIdValue }))
          .catch(() => undefined);
      }
      await Promise.all([this.groupClient.disconnect(), this.dataClient.disconnect()]);
      this.onClosed(this);
    }
  }

  // --- rebalancing ---------------------------------------------------------

  /** Apply what the last SyncGroup decided: onRevoke for what left, onAssign for what came. */
  private async rebalance(): Promise<void> {
    if (this.lostPending) {
      this.lostPending = false;
      const lost = this.live().map((o) => copy(o.tp));
      this.owned.clear();
      if (lost.length > 0) await this.options.onRevoke?.(lost);
    }
    while (this.pending !== null && !this.closing) {
      const { assignment } = this.pending;
      this.pending = null;
      const wanted = new Set(assignment.map((tp) => tpKey(tp.topic, tp.partition)));
      const revoked = this.live()
        .filter((o) => !wanted.has(o.key))
        .map((o) => copy(o.tp));
      const added = assignment.filter((tp) => !this.owned.has(tpKey(tp.topic, tp.partition))).sort(byTopicPartition);
      try {
        if (revoked.length > 0) await this.options.onRevoke?.(revoked.map(copy));
      } finally {
        for (const tp of revoked) this.owned.delete(tpKey(tp.topic, tp.partition));
        if (revoked.length > 0) this.requestRejoin();
      }
      if (added.length > 0) {
        let states: Owned[];
        try {
          states = await this.startPositions(added);
        } catch (error) {
          // Say so to the group (it assigns them again, or elsewhere), rather than sit on them unread.
          this.requestRejoin();
          const failure = toBrokerError(error, `Starting partitions of group '${this.groupId}'`);
          if (!failure.retriable) throw failure;
          continue;
        }
        for (const o of states) this.owned.set(o.key, o);
        this.startFetching();
        await this.options.onAssign?.(added.map(copy));
      }
    }
  }

  /** Where newly assigned partitions start: the committed offset, or by fromBeginning when there is none or it left the log. */
  private async startPositions(added: TopicPartition[]): Promise<Owned[]> {
    const byTopic = new Map<string, number[]>();
    for (const tp of added) {
      let list = byTopic.get(tp.topic);
      if (list === undefined) byTopic.set(tp.topic, (list = []));
      list.push(tp.partition);
    }
    const committed = await this.committed(
      [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.map((partition) => ({ partition })) })),
    );
    const out: Owned[] = [];
    for (const [topic, partitions] of byTopic) {
      const [earliest, latest, high] = await Promise.all([
        this.dataTopics.listOffsets(topic, EARLIEST, partitions),
        this.dataTopics.listOffsets(topic, LATEST, partitions),
        this.dataTopics.listOffsets(topic, LATEST, partitions, 0),
      ]);
      for (let i = 0; i < partitions.length; i++) {
        const partition = partitions[i]!;
        const key = tpKey(topic, partition);
        const start = committed.get(key);
        const first = earliest.find((p) => p.partition === partition)!.offset;
        const end = high.find((p) => p.partition === partition)!.offset;
        const offset =
          start !== undefined && start >= first && start <= end
            ? start
            : this.options.fromBeginning
              ? first
              : latest.find((p) => p.partition === partition)!.offset;
        out.push({
          key,
          tp: { topic, partition },
          fetchOffset: offset,
          buffer: [],
          index: 0,
          ready: false,
          lastStable: -1,
          epoch: 0,
          leader: await this.dataTopics.leader(topic, partition),
          gone: false,
        });
      }
    }
    return out;
  }

  private async committed(
    topics: Array<{ topic: string; partitions: Array<{ partition: number }> }>,
  ): Promise<Map<string, number>> {
    const response = await this.dataClient.toCoordinator(this.groupId, 0, (node) =>
      node.offsetFetch({ groupId: this.groupId, topics }),
    );
    const out = new Map<string, number>();
    for (const t of response.responses) {
      for (const p of t.partitions) {
        const offset = Number(p.offset);
        if (offset >= 0) out.set(tpKey(t.topic, p.partition), offset);
      }
    }
    return out;
  }

  /** Start a JoinGroup/SyncGroup round in the background (or another one after the current). */
  private requestRejoin(): void {
    if (this.closed) return;
    if (this.joining !== undefined) {
      this.rejoinRequested = true;
      return;
    }
    this.joining = this.join().finally(() => {
      this.joining = undefined;
      if (this.rejoinRequested && !this.closing) {
        this.rejoinRequested = false;
        this.requestRejoin();
      }
    });
  }

  private async join(): Promise<void> {
    for (let attempt = 0; !this.closed && !this.closing; attempt++) {
      try {
        // Taken before the leader reads metadata: a topic appearing in between shows as a change
        // at the next check (one rebalance too many), never as none (one too few).
        const layout = await this.subscribedLayout();
        const node = await this.groupClient.coordinator(this.groupId);
        const owned = this.lostPending ? [] : this.live().map((o) => o.tp);
        const joined = await node.joinGroup({
          groupId: this.groupId,
          sessionTimeout: this.tuning.sessionTimeoutMs,
          rebalanceTimeout: this.tuning.rebalanceTimeoutMs,
          memberId: this.memberIdValue,
          protocolType: 'consumer',
          groupProtocols: [
            { name: PROTOCOL_NAME, metadata: encodeSubscription({ topics: this.topics, owned, joinedAt: this.joinedAt }) },
          ],
        });
        this.memberIdValue = joined.memberId;
        this.generationId = joined.generationId;
        const groupAssignment = joined.leaderId === joined.memberId ? await this.assignAsLeader(joined.members) : [];
        const synced = await node.syncGroup({
          groupId: this.groupId,
          generationId: joined.generationId,
          memberId: joined.memberId,
          groupAssignment,
        });
        const assignment = decodeAssignment(synced.memberAssignment).filter((tp) => this.topics.includes(tp.topic));
        this.layoutAtJoin = layout;
        this.pending = { generationId: joined.generationId, assignment };
        this.bell.ring();
        return;
      } catch (error) {
        if (this.closed) return;
        const type = errorType(error);
        if (type === 'UNKNOWN_MEMBER_ID') {
          this.memberIdValue = '';
          if (this.owned.size > 0) this.lostPending = true;
        } else if (type === 'ILLEGAL_GENERATION' || type === 'REBALANCE_IN_PROGRESS') {
          // Join again with the same member id.
        } else if (isCoordinatorMoved(type) || isCoordinatorLoading(type) || isConnectionError(error)) {
          this.groupClient.forgetCoordinator(this.groupId);
        } else {
          this.fatal = toBrokerError(error, `Joining consumer group '${this.groupId}'`);
          this.bell.ring();
          return;
        }
        await sleep(Math.min(20 * (attempt + 1), 500));
      }
    }
  }

  private async assignAsLeader(
    members: Array<{ memberId: string; memberMetadata: Buffer }>,
  ): Promise<Array<{ memberId: string; memberAssignment: Buffer }>> {
    const subscriptions = members.map((m) => ({ memberId: m.memberId, ...decodeSubscription(m.memberMetadata) }));
    const topics = [...new Set(subscriptions.flatMap((s) => s.topics))].sort();
    const layouts = await this.dataTopics.load(topics);
    const counts = new Map<string, number>();
    topics.forEach((topic, i) => {
      const layout = layouts[i];
      if (layout !== undefined) counts.set(topic, layout.partitions);
    });
    const plan = cooperativeAssignment(subscriptions, counts);
    return subscriptions.map((s) => ({ memberId: s.memberId, memberAssignment: encodeAssignment(plan.get(s.memberId) ?? []) }));
  }

  private async subscribedLayout(): Promise<Map<string, number>> {
    const layouts = await this.dataTopics.load(this.topics);
    return new Map(this.topics.map((t, i) => [t, layouts[i]?.partitions ?? -1]));
  }

  private scheduleHeartbeat(): void {
    if (this.closed) return;
    this.heartbeatTimer = setTimeout(() => void this.heartbeat(), this.tuning.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  private async heartbeat(): Promise<void> {
    try {
      if (this.closed || this.joining !== undefined || this.generationId < 0) return;
      const generation = this.generationId;
      try {
        const node = await this.groupClient.coordinator(this.groupId);
        await node.heartbeat({ groupId: this.groupId, groupGenerationId: generation, memberId: this.memberIdValue });
      } catch (error) {
        if (this.closing || generation !== this.generationId || this.joining !== undefined) return;
        const type = errorType(error);
        if (type === 'REBALANCE_IN_PROGRESS') {
          this.requestRejoin();
        } else if (type === 'UNKNOWN_MEMBER_ID' || type === 'ILLEGAL_GENERATION' || type === 'FENCED_INSTANCE_ID') {
          if (type === 'UNKNOWN_MEMBER_ID') this.memberIdValue = '';
          if (this.owned.size > 0) this.lostPending = true;
          this.requestRejoin();
          this.bell.ring();
        } else if (isCoordinatorMoved(type) || isConnectionError(error)) {
          this.groupClient.forgetCoordinator(this.groupId);
        }
      }
    } finally {
      this.scheduleHeartbeat();
    }
  }

  private scheduleMetadataCheck(): void {
    if (this.closing) return;
    const missing = [...this.layoutAtJoin.values()].some((n) => n < 0);
    const delay = missing ? Math.min(500, this.tuning.metadataRefreshMs) : this.tuning.metadataRefreshMs;
    this.metadataTimer = setTimeout(() => void this.checkMetadata(), delay);
    this.metadataTimer.unref();
  }

  /** A subscribed topic appeared, vanished or grew: the group must rebalance. */
  private async checkMetadata(): Promise<void> {
    try {
      if (this.closing || this.joining !== undefined) return;
      const now = await this.subscribedLayout();
      if (this.closing || this.joining !== undefined) return;
      for (const [topic, count] of now) {
        if (this.layoutAtJoin.get(topic) !== count) {
          this.requestRejoin();
          return;
        }
      }
    } catch {
      // Try again at the next check.
    } finally {
      this.scheduleMetadataCheck();
    }
  }

  // --- fetching ------------------------------------------------------------

  private startFetching(): void {
    for (const o of this.owned.values()) {
      if (o.gone) continue;
      let loop = this.fetchLoops.get(o.leader);
      if (loop === undefined) {
        loop = new Doorbell();
        this.fetchLoops.set(o.leader, loop);
        void this.fetchLoop(o.leader, loop);
      } else {
        loop.ring();
      }
    }
  }

  private async fetchLoop(nodeId: number, loop: Doorbell): Promise<void> {
    let failures = 0;
    try {
      while (!this.closing && !this.closed) {
        const mine = [...this.owned.values()].filter((o) => o.leader === nodeId && !o.gone);
        if (mine.length === 0) return;
        const wanted = mine.filter((o) => o.buffer.length - o.index < this.tuning.maxBufferedRecords);
        if (wanted.length === 0) {
          await loop.sleep(1000);
          continue;
        }
        const asked = wanted.map((o) => ({ o, epoch: o.epoch, offset: o.fetchOffset }));
        let answer: FetchedPartition[];
        try {
          const node = await this.dataClient.node(nodeId);
          answer = await fetchFrom(
            this.dataClient,
            node,
            asked.map((a) => ({
              topic: a.o.tp.topic,
              partition: a.o.tp.partition,
              offset: a.offset,
              maxBytes: this.tuning.maxPartitionFetchBytes,
            })),
            this.tuning.fetchMaxWaitMs,
          );
        } catch (error) {
          if (this.closing || this.closed) return;
          if (isConnectionError(error)) await this.relocate(mine);
          // Back off while the node stays unreachable (a restart takes seconds).
          await loop.sleep(Math.min(2000, 100 * 2 ** failures++));
          continue;
        }
        failures = 0;
        let moved = false;
        for (const part of answer) {
          const a = asked.find((x) => x.o.tp.topic === part.topic && x.o.tp.partition === part.partition);
          if (a === undefined) continue;
          const o = a.o;
          if (this.owned.get(o.key) !== o || o.epoch !== a.epoch) continue;
          if (part.errorCode === 0) {
            await this.accept(o, a.offset, a.epoch, part);
          } else {
            const type = typeOfCode(part.errorCode);
            if (type === 'OFFSET_OUT_OF_RANGE') {
              await this.resetPosition(o, a.epoch);
            } else if (type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'UNKNOWN_TOPIC_ID') {
              if ((await this.dataTopics.get(o.tp.topic, true).catch(() => undefined)) === undefined) {
                o.gone = true;
                this.requestRejoin();
              } else {
                moved = (await this.relocate([o])) || moved;
              }
            } else if (isStaleMetadata(type)) {
              moved = (await this.relocate([o])) || moved;
            } else if (errorOfCode(part.errorCode).retriable) {
              moved = (await this.relocate([o])) || moved;
              await loop.sleep(100);
            } else {
              this.fatal = toBrokerError(errorOfCode(part.errorCode), `Fetching ${o.tp.topic}-${o.tp.partition}`);
              this.bell.ring();
              return;
            }
          }
        }
        if (moved) this.startFetching();
      }
    } finally {
      if (this.fetchLoops.get(nodeId) === loop) this.fetchLoops.delete(nodeId);
    }
  }

  /** Buffer what a fetch brought for a partition and move its fetch position past it. */
  private async accept(o: Owned, from: number, epoch: number, part: FetchedPartition): Promise<void> {
    let nextOffset = from;
    let records: ConsumedRecord[] = [];
    if (part.records !== null && part.records.length > 0) {
      const decoded = await readRecordBatches(part.records, o.tp.topic, o.tp.partition, from, part.aborted);
      records = decoded.records;
      nextOffset = decoded.nextOffset;
    }
    if (this.owned.get(o.key) !== o || o.epoch !== epoch) return;
    if (records.length > 0) {
      o.buffer = o.index >= o.buffer.length ? records : o.buffer.slice(o.index).concat(records);
      o.index = 0;
    }
    o.fetchOffset = Math.max(o.fetchOffset, nextOffset);
    o.lastStable = part.lastStableOffset >= 0 ? part.lastStableOffset : part.highWatermark;
    o.ready = true;
    this.bell.ring();
  }

  /** The position left the log (deleteRecords, retention): start again by fromBeginning. */
  private async resetPosition(o: Owned, epoch: number): Promise<void> {
    try {
      const [offset] = await this.dataTopics.listOffsets(o.tp.topic, this.options.fromBeginning ? EARLIEST : LATEST, [
        o.tp.partition,
      ]);
      if (this.owned.get(o.key) !== o || o.epoch !== epoch) return;
      o.fetchOffset = offset!.offset;
      o.buffer = [];
      o.index = 0;
      o.ready = false;
      o.epoch++;
    } catch {
      // The next fetch tries again.
    }
  }

  /** Look up leaders again; true when some partition moved to another node. */
  private async relocate(partitions: Owned[]): Promise<boolean> {
    let moved = false;
    for (const o of partitions) {
      try {
        const leader = await this.dataTopics.leader(o.tp.topic, o.tp.partition, true);
        if (leader !== o.leader) {
          o.leader = leader;
          moved = true;
        }
      } catch {
        // Still unknown; the next round tries again.
      }
    }
    return moved;
  }

  // --- polling -------------------------------------------------------------

  /**
   * Up to max buffered records, merged by head timestamp (ties: topic,
   * partition). A partition with nothing buffered but more on the broker
   * (not yet fetched, or fetched short of its last stable offset) stops the
   * merge, since its next record may be the earliest; at the deadline
   * (partial) the records at hand are merged anyway.
   */
  private take(max: number, partial: boolean): ConsumedRecord[] {
    const live = this.live();
    const waitsFor = (o: Owned): boolean => !o.gone && o.index >= o.buffer.length && (!o.ready || o.lastStable > o.fetchOffset);
    if (!partial && live.some(waitsFor)) return [];
    const heads = live.filter((o) => o.index < o.buffer.length);
    const out: ConsumedRecord[] = [];
    // Room in the buffers again: let paused fetch loops go on.
    for (const o of heads) this.fetchLoops.get(o.leader)?.ring();
    while (out.length < max && heads.length > 0) {
      let best = 0;
      for (let i = 1; i < heads.length; i++) {
        const a = heads[i]!.buffer[heads[i]!.index]!;
        const b = heads[best]!.buffer[heads[best]!.index]!;
        if (a.timestamp < b.timestamp) best = i;
      }
      const o = heads[best]!;
      out.push(o.buffer[o.index++]!);
      if (o.index >= o.buffer.length) {
        o.buffer = [];
        o.index = 0;
        heads.splice(best, 1);
        if (!partial && waitsFor(o)) break;
      }
    }
    return out;
  }

  private hasData(): boolean {
    for (const o of this.owned.values()) if (o.index < o.buffer.length) return true;
    return false;
  }

  /** Owned partitions sorted by topic then partition. */
  private live(): Owned[] {
    return [...this.owned.values()].sort((a, b) => byTopicPartition(a.tp, b.tp));
  }

  private ownedOrThrow(topic: string, partition: number): Owned {
    const o = this.owned.get(tpKey(topic, partition));
    if (o === undefined) throw new NotAssignedError(topic, partition);
    return o;
  }

  private ensureOpen(): void {
    if (this.closed) throw new ClientClosedError(`Consumer ${this.memberIdValue}`);
  }

  /** One poll or waitForData at a time, like a single-threaded KafkaConsumer. */
  private async exclusive<T>(what: string, body: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    if (this.closing) throw new ClientClosedError(`Consumer ${this.memberIdValue}`);
    if (this.busy !== undefined) throw new ConcurrentUseError(`${what} while another poll or waitForData runs`);
    const run = body();
    this.busy = run;
    try {
      return await run;
    } finally {
      this.busy = undefined;
    }
  }
}

function position(o: Owned): number {
  return o.index < o.buffer.length ? o.buffer[o.index]!.offset : o.fetchOffset;
}
