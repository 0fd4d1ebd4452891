/**
 * Transactions of the file broker: records and group offsets that become
 * visible together or not at all. produce and sendOffsets only plan; commit
 *
 *   1. takes the transactional id's lock and checks the epoch (fencing),
 *   2. takes the lock of every partition and group involved, in one global
 *      order, each noting the pending file below,
 *   3. writes `transactions/pending/<name>.txn` (every record with its
 *      offset, and the offsets): the commit point,
 *   4. appends the records to the partitions, writes the offsets (noting the
 *      transaction in the offsets file), deletes the pending file, unlocks.
 *
 * Readers never see a record before step 3. A process dying in step 4
 * leaves stale locks naming the pending file; whoever meets one first
 * finishes the transaction (recoverPending), which is idempotent: records
 * already at their offsets and offsets files that name it are left alone.
 */

import { join } from 'node:path';
import {
  CorruptRecordError,
  InvalidTxnStateError,
  ProducerFencedError,
  UnknownTopicError,
} from '../../errors.js';
import type { ConsumedRecord, ProducerRecord, Transaction, TopicPartitionOffset } from '../../port.js';
import { crc32c } from './crc32c.js';
import type { OffsetsDoc } from './groups.js';
import type { BrokerInternals, PlannedBatch, TopicState } from './internals.js';
import { errnoOf, fsyncDir, io, readIfExists, storageError, unlinkIfExists, writeFileAtomic } from './io.js';
import { ownerGone, PROCESS, type Owner } from './lock.js';
import type { Mark, PartitionLog } from './partition.js';
import { decode, encodeBatch, readU32, skipRecords, writeU32 } from './record.js';

/** Offsets files remember this many applied transactions (recovery's idempotence). */
const APPLIED_KEPT = 32;

interface PendingPartition {
  topic: string;
  topicId: string;
  partition: number;
  startOffset: number;
  count: number;
  bytes: number;
}

interface PendingGroup {
  groupId: string;
  offsets: Array<TopicPartitionOffset & { topicId: string }>;
}

interface Manifest {
  version: 1;
  transactionalId: string;
  epoch: number;
  owner: Owner;
  partitions: PendingPartition[];
  groups: PendingGroup[];
}

export function readEpoch(path: string): number {
  const raw = readIfExists(path);
  if (raw === undefined) return 0;
  const n = Number(raw.toString('utf8').trim());
  return Number.isSafeInteger(n) ? n : 0;
}

/** A pending file: u32 manifest length, u32 CRC-32C of the rest, the manifest (JSON), the records. */
function encodePending(manifest: Manifest, bodies: readonly Buffer[]): Buffer {
  const json = Buffer.from(JSON.stringify(manifest), 'utf8');
  const out = Buffer.concat([Buffer.alloc(8), json, ...bodies]);
  writeU32(out, 0, json.length);
  writeU32(out, 4, crc32c(out, 8, out.length));
  return out;
}

function parsePending(path: string, raw: Buffer): { manifest: Manifest; body: Buffer } {
  if (raw.length < 8 || crc32c(raw, 8, raw.length) !== readU32(raw, 4)) {
    throw new CorruptRecordError(path, 0, null, 'pending transaction fails its checksum');
  }
  const length = readU32(raw, 0);
  const manifest = JSON.parse(raw.toString('utf8', 8, 8 + length)) as Manifest;
  return { manifest, body: raw.subarray(8 + length) };
}

let pendingSeq = 0;

export class FileTransaction implements Transaction {
  private state: 'open' | 'failed' | 'fenced' | 'committed' | 'aborted' = 'open';
  private readonly batches: PlannedBatch[] = [];
  private readonly offsets: Array<{ groupId: string; offsets: readonly TopicPartitionOffset[] }> = [];

  constructor(
    private readonly broker: BrokerInternals,
    readonly transactionalId: string,
    readonly epoch: number,
    private readonly onEnd: (txn: FileTransaction) => void,
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
      await commit(this.broker, this, this.batches, this.offsets);
    } catch (e) {
      this.state = e instanceof ProducerFencedError ? 'fenced' : 'aborted';
      this.onEnd(this);
      throw e;
    }
    this.state = 'committed';
    this.onEnd(this);
  }

  async abort(): Promise<void> {
    if (this.state === 'committed') throw new InvalidTxnStateError('Cannot abort a committed transaction');
    if (this.state !== 'fenced') this.state = 'aborted';
    this.batches.length = 0;
    this.offsets.length = 0;
    this.onEnd(this);
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

interface PartitionWork {
  readonly t: TopicState;
  readonly partition: number;
  readonly records: ProducerRecord[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function commit(
  broker: BrokerInternals,
  txn: FileTransaction,
  batches: readonly PlannedBatch[],
  sent: ReadonlyArray<{ groupId: string; offsets: readonly TopicPartitionOffset[] }>,
): Promise<void> {
  const { lockPath, epochPath, name } = broker.transactionPaths(txn.transactionalId);
  await broker.lockAll([lockPath]);
  try {
    if (readEpoch(epochPath) !== txn.epoch) throw new ProducerFencedError(txn.transactionalId);
    for (const b of batches) {
      if (broker.currentTopic(b.topic.name) !== b.topic) throw new UnknownTopicError(b.topic.name);
    }
    for (const { offsets } of sent) broker.checkGroupOffsets(offsets);

    const work = new Map<string, PartitionWork>();
    for (const b of batches) {
      for (let i = 0; i < b.records.length; i++) {
        const partition = b.partitions[i]!;
        const key = `${b.topic.name}\u0000${String(partition).padStart(10, '0')}`;
        let w = work.get(key);
        if (w === undefined) work.set(key, (w = { t: b.topic, partition, records: [] }));
        w.records.push(b.records[i]!);
      }
    }
    const parts = [...work.entries()].sort(([a], [b]) => byName(a, b)).map(([, w]) => w);
    const groups = new Map<string, Map<string, TopicPartitionOffset>>();
    for (const { groupId, offsets } of sent) {
      let g = groups.get(groupId);
      if (g === undefined) groups.set(groupId, (g = new Map()));
      for (const o of offsets) g.set(`${o.topic}:${o.partition}`, o);
    }
    const groupIds = [...groups.keys()].sort(byName);
    if (parts.length === 0 && groupIds.length === 0) return;

    const pendingName = `${name}-${txn.epoch}-${PROCESS.token}-${++pendingSeq}.txn`;
    const locks = [
      ...parts.map((w) => broker.lockPathOf(w.t, w.partition)),
      ...groupIds.map((id) => {
        const files = broker.groupFiles(id);
        files.ensure();
        return files.lockPath;
      }),
    ];
    await broker.lockAll(locks, pendingName);
    try {
      const logs: PartitionLog[] = [];
      const encoded: Array<{ buf: Buffer; consumed: ConsumedRecord[] }> = [];
      const manifest: Manifest = {
        version: 1,
        transactionalId: txn.transactionalId,
        epoch: txn.epoch,
        owner: { pid: PROCESS.pid, host: PROCESS.host, token: PROCESS.token },
        partitions: [],
        groups: [],
      };
      for (const w of parts) {
        broker.checkIncarnation(w.t);
        const log = broker.log(w.t, w.partition);
        log.catchUp(true);
        const batch = encodeBatch(w.t.name, w.partition, w.records, log.end);
        logs.push(log);
        encoded.push(batch);
        manifest.partitions.push({
          topic: w.t.name,
          topicId: w.t.id,
          partition: w.partition,
          startOffset: log.end,
          count: w.records.length,
          bytes: batch.buf.length,
        });
      }
      for (const groupId of groupIds) {
        const offsets = [...groups.get(groupId)!.values()].map((o) => ({ ...o, topicId: broker.topic(o.topic).id }));
        manifest.groups.push({ groupId, offsets });
      }
      const pendingPath = join(broker.pendingDir, pendingName);
      writeFileAtomic(pendingPath, encodePending(manifest, encoded.map((e) => e.buf)), broker.durable, broker.pendingDir);

      const marks: Array<[PartitionLog, Mark]> = [];
      const written: Array<[string, OffsetsDoc]> = [];
      try {
        parts.forEach((w, i) => {
          const log = logs[i]!;
          marks.push([log, log.checkpoint()]);
          log.appendEncoded(encoded[i]!.buf, w.records.length, encoded[i]!.consumed);
        });
        for (const g of manifest.groups) {
          const files = broker.groupFiles(g.groupId);
          const before = files.readOffsets();
          files.writeOffsets(mergeOffsets(before, g, pendingName), broker.durable);
          written.push([g.groupId, before]);
        }
      } catch (e) {
        for (const [groupId, before] of written.reverse()) {
          try {
            broker.groupFiles(groupId).writeOffsets(before, broker.durable);
          } catch (undo) {
            broker.onBackgroundError(undo);
          }
        }
        for (const [log, mark] of marks.reverse()) {
          try {
            log.rollback(mark);
          } catch (undo) {
            broker.onBackgroundError(undo);
          }
        }
        unlinkIfExists(pendingPath);
        throw e;
      }
      removePending(broker, pendingPath);
    } finally {
      broker.unlockAll(locks);
    }
    for (const w of parts) broker.topicWritten(w.t.name);
  } finally {
    broker.unlockAll([lockPath]);
  }
}

function mergeOffsets(doc: OffsetsDoc, group: PendingGroup, pendingName: string): OffsetsDoc {
  const topics = { ...doc.topics };
  for (const o of group.offsets) {
    const current = topics[o.topic];
    const entry = current !== undefined && current.id === o.topicId ? { id: o.topicId, partitions: { ...current.partitions } } : { id: o.topicId, partitions: {} };
    entry.partitions[String(o.partition)] = o.offset;
    topics[o.topic] = entry;
  }
  const applied = [...(doc.appliedTxns ?? []), pendingName].slice(-APPLIED_KEPT);
  return { groupId: doc.groupId, topics, appliedTxns: applied };
}

function removePending(broker: BrokerInternals, path: string): void {
  try {
    io.unlink(path);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') throw storageError(e, 'completing transaction', path);
  }
  if (broker.durable) fsyncDir(broker.pendingDir);
}

/**
 * Finish a pending transaction whose committer died: take its locks
 * (breaking the stale ones that name it), append what is missing, write the
 * offsets unless they are there, delete the file. Nothing when it is gone
 * or its committer is alive (still working).
 */
export async function recoverPending(broker: BrokerInternals, name: string): Promise<void> {
  const path = join(broker.pendingDir, name);
  const raw = readIfExists(path);
  if (raw === undefined) return;
  let parsed = parsePending(path, raw);
  let age = 0;
  try {
    age = Date.now() - io.stat(path).mtimeMs;
  } catch {
    return;
  }
  if (!ownerGone(parsed.manifest.owner, age, broker.sessionTimeoutMs)) return;
  const locks: string[] = [];
  for (const p of parsed.manifest.partitions) {
    const t = broker.currentTopic(p.topic);
    if (t !== undefined && t.id === p.topicId && p.partition < t.partitions) locks.push(broker.lockPathOf(t, p.partition));
  }
  for (const g of parsed.manifest.groups) {
    const files = broker.groupFiles(g.groupId);
    files.ensure();
    locks.push(files.lockPath);
  }
  await broker.lockAll(locks, name, name);
  try {
    const again = readIfExists(path);
    if (again === undefined) return;
    parsed = parsePending(path, again);
    let at = 0;
    for (const p of parsed.manifest.partitions) {
      const body = parsed.body.subarray(at, at + p.bytes);
      at += p.bytes;
      const t = broker.currentTopic(p.topic);
      if (t === undefined || t.id !== p.topicId || p.partition >= t.partitions) continue;
      const log = broker.log(t, p.partition);
      log.catchUp(true);
      const done = log.end - p.startOffset;
      if (done >= p.count) continue;
      if (done < 0) {
        broker.onBackgroundError(
          new CorruptRecordError(path, 0, p.startOffset, `${p.topic}-${p.partition} ends at ${log.end}, before the transaction`),
        );
        continue;
      }
      const rest = Buffer.from(body.subarray(skipRecords(body, done)));
      const consumed: ConsumedRecord[] = [];
      decode(rest, 0, rest.length, p.topic, p.partition, consumed, null);
      log.appendEncoded(rest, consumed.length, consumed);
      broker.topicWritten(p.topic);
    }
    for (const g of parsed.manifest.groups) {
      const files = broker.groupFiles(g.groupId);
      const doc = files.readOffsets();
      if (doc.appliedTxns?.includes(name)) continue;
      files.writeOffsets(mergeOffsets(doc, g, name), broker.durable);
    }
    removePending(broker, path);
  } finally {
    broker.unlockAll(locks);
  }
}
