/**
 * A consumer group member of the file broker. Same behaviour as the memory
 * adapter's consumer (positions, timestamp-merged polls, incremental
 * onAssign/onRevoke, a partition moving only after its old owner let go),
 * with group state in files so members may live in different processes.
 */

import {
  BrokerError,
  ClientClosedError,
  ConcurrentUseError,
  NotAssignedError,
} from '../../errors.js';
import type {
  ConsumedRecord,
  Consumer,
  SubscribeOptions,
  TopicPartition,
  TopicPartitionOffset,
} from '../../port.js';
import type { GroupView, LocalMember } from './coordinator.js';
import { Doorbell } from './doorbell.js';
import { tpKey, type GroupSnapshot, type MemberRecord } from './groups.js';
import type { BrokerInternals, TopicState } from './internals.js';
import type { PartitionLog } from './partition.js';

/** A partition this consumer owns, bound to the topic incarnation it was assigned from. */
interface OwnedPartition {
  readonly key: string;
  readonly tp: TopicPartition;
  readonly topic: TopicState;
  readonly log: PartitionLog;
  position: number;
}

/** One record source in the timestamp merge of poll: records at hand, refilled in chunks. */
interface Head {
  readonly owned: OwnedPartition;
  records: ConsumedRecord[];
  readonly rank: number;
  index: number;
  /** Offset after the last record taken, -1 when none was. */
  next: number;
}

/** Records read from one partition at a time while merging (more are read when they run out). */
const HEAD_CHUNK = 1000;

interface Plan {
  revoke: OwnedPartition[];
  claim: TopicPartition[];
  snap: GroupSnapshot;
}

export const byTopicPartition = (a: TopicPartition, b: TopicPartition): number =>
  a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;

export function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new BrokerError(`${what} must be an integer >= 1, got ${n}`);
}

export function checkWait(ms: number, what: string): void {
  if (typeof ms !== 'number' || !(ms >= 0)) throw new BrokerError(`${what} must be a number >= 0, got ${ms}`);
}

export function checkOffset(offset: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new BrokerError(`${what} must be an integer >= 0, got ${offset}`);
  }
}

export class FileConsumer implements Consumer, LocalMember {
  readonly bell = new Doorbell();
  readonly topics: readonly string[];
  private member: MemberRecord | undefined;
  private owned: OwnedPartition[] = [];
  /** Set when close starts: polls stop, but onRevoke may still commit. */
  private closing = false;
  private closed = false;
  private busy: Promise<unknown> | undefined;

  constructor(
    private readonly broker: BrokerInternals,
    private readonly view: GroupView,
    readonly memberId: string,
    readonly clientId: string,
    private readonly options: SubscribeOptions,
    private readonly onLeave: (consumer: FileConsumer) => void,
  ) {
    this.topics = [...new Set(options.topics)];
  }

  get groupId(): string {
    return this.view.files.groupId;
  }

  get token(): string {
    return this.member?.token ?? '';
  }

  /** Register in the group's files (again, after being removed as dead). */
  join(): void {
    this.member = this.view.files.join(this.memberId, this.clientId, this.topics);
  }

  /** Refresh the lease; false when this member was removed meanwhile. */
  heartbeat(): boolean {
    if (this.member === undefined || this.closed) return true;
    return this.view.files.heartbeat(this.member.token);
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
    const snap = this.view.snapshot();
    for (const { topic, partition, offset } of toCommit) {
      this.ownedOrThrow(topic, partition);
      checkOffset(offset, 'committed offset');
      // Another process may have taken it while this one was presumed dead.
      if (snap.claims.get(tpKey(topic, partition))?.member !== this.token) throw new NotAssignedError(topic, partition);
    }
    await this.broker.storeOffsets(this.groupId, toCommit);
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
        this.watchOwned();
        await this.bell.sleep(Math.min(remaining, this.broker.wakeMs()));
      }
    });
  }

  waitForData(timeoutMs: number): Promise<boolean> {
    return this.exclusive('waitForData', async () => {
      checkWait(timeoutMs, 'timeoutMs');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (this.closing) return false;
        if (this.hasRebalance() || this.heads(1).length > 0) return true;
        const remaining = deadline - Date.now();
        if (remaining <= 0) return false;
        this.watchOwned();
        await this.bell.sleep(Math.min(remaining, this.broker.wakeMs()));
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
      try {
        this.release(owned);
        if (this.member !== undefined) this.view.files.leave(this.member.token);
      } finally {
        this.onLeave(this);
      }
    }
  }

  /** Whether rebalance has something to do now: a partition to give up or one to take. */
  private hasRebalance(): boolean {
    if (this.closing) return false;
    const plan = this.plan();
    return plan.revoke.length > 0 || plan.claim.length > 0;
  }

  /**
   * What the live members' range assignment asks of this member: partitions
   * to give up (no longer targeted, topic gone, or the claim lost) and
   * targeted partitions whose claim is free.
   */
  private plan(): Plan {
    let snap = this.view.snapshot();
    if (!snap.members.some((m) => m.token === this.token)) {
      // Removed as dead (a long pause): join again, at the end of the join order.
      this.join();
      this.view.changed();
      snap = this.view.snapshot();
    }
    const target = this.view.targetOf(snap, this.token, (topic) => this.broker.currentTopic(topic)?.partitions);
    const wanted = new Set(target.map((tp) => tpKey(tp.topic, tp.partition)));
    const revoke = this.owned.filter(
      (o) =>
        !wanted.has(o.key) ||
        this.broker.currentTopic(o.tp.topic) !== o.topic ||
        snap.claims.get(o.key)?.member !== this.token,
    );
    const ownedKeys = new Set(this.owned.map((o) => o.key));
    const claim = target.filter((tp) => {
      const key = tpKey(tp.topic, tp.partition);
      return !ownedKeys.has(key) && !snap.claims.has(key);
    });
    return { revoke, claim, snap };
  }

  /**
   * Converge on the target assignment: give up what moved away (onRevoke
   * first, then the claim is deleted), then claim what is targeted here and
   * free (onAssign after). A partition moves only after its old owner let go.
   * Runs in subscribe, poll and close, where the callbacks may run.
   */
  async rebalance(): Promise<void> {
    for (let round = 0; round < 100 && !this.closing; round++) {
      const { revoke, claim, snap } = this.plan();
      if (revoke.length > 0) {
        await this.options.onRevoke?.(revoke.map((o) => ({ ...o.tp })));
        this.owned = this.owned.filter((o) => !revoke.includes(o));
        this.release(revoke);
        continue;
      }
      if (claim.length === 0) return;
      const files = this.view.files;
      const offsets = files.readOffsets();
      const claimed: OwnedPartition[] = [];
      for (const tp of claim) {
        const topic = this.broker.currentTopic(tp.topic);
        if (topic === undefined) continue;
        const key = tpKey(tp.topic, tp.partition);
        if (!files.claim(this.member!, tp, topic.id, snap.deadClaims.get(key))) continue;
        const log = this.broker.log(topic, tp.partition);
        log.catchUp(false);
        const entry = offsets.topics[tp.topic];
        const committed = entry?.id === topic.id ? entry.partitions[String(tp.partition)] : undefined;
        const position =
          committed !== undefined && committed >= log.start && committed <= log.end
            ? committed
            : this.options.fromBeginning
              ? log.start
              : log.end;
        claimed.push({ key, tp: { ...tp }, topic, log, position });
      }
      this.view.changed();
      if (claimed.length > 0) {
        this.owned = [...this.owned, ...claimed].sort((a, b) => byTopicPartition(a.tp, b.tp));
        await this.options.onAssign?.(claimed.map((o) => ({ ...o.tp })));
      }
    }
  }

  private release(partitions: readonly OwnedPartition[]): void {
    if (partitions.length === 0 || this.member === undefined) return;
    for (const o of partitions) this.view.files.release(this.member.token, o.tp);
    this.view.changed();
  }

  private watchOwned(): void {
    for (const o of this.owned) this.broker.watchPartition(o.topic, o.tp.partition);
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

  /** Live owned partitions with records at their position: up to max of each at hand. */
  private heads(max: number): Head[] {
    const heads: Head[] = [];
    this.owned.forEach((owned, rank) => {
      if (this.broker.currentTopic(owned.tp.topic) !== owned.topic) return;
      const log = owned.log;
      log.catchUp(false);
      if (owned.position < log.start || owned.position > log.end) {
        owned.position = this.options.fromBeginning ? log.start : log.end;
      }
      const records = log.read(owned.position, max);
      if (records.length > 0) heads.push({ owned, records, rank, index: 0, next: -1 });
    });
    return heads;
  }

  /**
   * Up to max records, merged across partitions by smallest head timestamp
   * (ties to the lower topic-partition), taking runs from one partition while
   * it stays the smallest.
   */
  private take(max: number): ConsumedRecord[] {
    const chunk = Math.min(max, HEAD_CHUNK);
    const heads = this.heads(chunk);
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
      if (h.index >= records.length) {
        h.next = records[records.length - 1]!.offset + 1;
        // read() gives fewer than asked only at the end of the log.
        const more = records.length === chunk ? h.owned.log.read(h.next, chunk) : [];
        if (more.length > 0) {
          h.records = more;
          h.index = 0;
        } else {
          live = live.filter((x) => x !== h);
        }
      }
    }
    for (const h of heads) {
      if (h.index > 0) h.owned.position = h.records[h.index - 1]!.offset + 1;
      else if (h.next >= 0) h.owned.position = h.next;
    }
    return out;
  }
}
