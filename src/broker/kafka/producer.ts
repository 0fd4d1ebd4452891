/**
 * The produce path: an idempotent (optionally transactional) producer that
 * writes its own record batches. Records queue per leader node; one request
 * per node is in flight, and while it is, later produce calls accumulate and
 * go out together, one batch per partition, as Java's producer does. Each
 * partition has at most one batch in flight, so sequence numbers stay in
 * order and a retry after a lost response is deduplicated by the broker.
 */

import { BrokerError, InvalidRecordError, ProducerFencedError, UnknownTopicError } from '../errors.js';
import type { ProducerRecord } from '../port.js';
import { sleep, type KafkaClient } from './client.js';
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
import { COORDINATOR_TRANSACTION, Encoder, type KafkaEncoder, type KafkaNode, type ProtocolRequest } from './internals.js';
import type { TopicCache } from './topics.js';
import { approximateRecordSize, BATCH_OVERHEAD, ByteWriter, writeRecordBatch } from './wire.js';

/** Largest batch we build for one partition (Kafka's message.max.bytes is 1 MiB by default). */
const MAX_BATCH_BYTES = 900 * 1024;
/** Largest produce request. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export interface ProducerIdentity {
  producerId: number;
  producerEpoch: number;
}

interface Pending {
  /** Admission order: queues stay sorted by it, so a retried batch goes back before later ones. */
  seq: number;
  topic: string;
  partition: number;
  key: string;
  records: ProducerRecord[];
  bytes: number;
  deadline: number;
  /**
   * Set when a batch is sent again (its response was lost or refused): the
   * retry carries exactly the same records under the same sequence number,
   * so the broker can tell a duplicate.
   */
  retryOf?: number;
  /** Sends and leader lookups tried so far (for the backoff). */
  attempts: number;
  resolve: (baseOffset: number) => void;
  reject: (error: Error) => void;
}

interface Channel {
  queue: Pending[];
  running: boolean;
}

export interface RecordSenderOptions {
  transactionalId: string | null;
  requestTimeoutMs: number;
  deliveryTimeoutMs: number;
  /** For a transactional producer: its current identity (set by init). */
  identity?: ProducerIdentity;
}

export class RecordSender {
  private readonly channels = new Map<number, Channel>();
  private readonly sequences = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private readonly admission: Pending[] = [];
  /** Entries waiting out a backoff before their leader is looked up again. */
  private readonly parked = new Set<Pending>();
  private admitting = false;
  private nextSeq = 0;
  private nextRetry = 0;
  private identity: ProducerIdentity | undefined;
  private identityPromise: Promise<ProducerIdentity> | undefined;
  private closed = false;
  /** Set when a transactional producer learns it was fenced: everything fails from then on. */
  private fatal: Error | undefined;

  constructor(
    private readonly client: KafkaClient,
    private readonly topics: TopicCache,
    private readonly options: RecordSenderOptions,
  ) {
    this.identity = options.identity;
  }

  /**
   * Append records to one partition; resolves with each record's offset.
   * What does not fit one batch goes in several, and other writers' batches
   * may land in between, so offsets are per batch, not one base for all.
   */
  send(topic: string, partition: number, records: readonly ProducerRecord[]): Promise<number[]> {
    if (this.fatal !== undefined) return Promise.reject(this.fatal);
    const deadline = Date.now() + this.options.deliveryTimeoutMs;
    const key = `${topic}\u0000${partition}`;
    // Split what would not fit one batch; every chunk's offset follows the previous one.
    const chunks: Array<{ records: ProducerRecord[]; bytes: number }> = [];
    let current: ProducerRecord[] = [];
    let bytes = BATCH_OVERHEAD;
    for (const r of records) {
      const size = approximateRecordSize(r);
      if (current.length > 0 && bytes + size > MAX_BATCH_BYTES) {
        chunks.push({ records: current, bytes });
        current = [];
        bytes = BATCH_OVERHEAD;
      }
      current.push(r);
      bytes += size;
    }
    if (current.length > 0) chunks.push({ records: current, bytes });
    const promises = chunks.map(
      (chunk) =>
        new Promise<number>((resolve, reject) => {
          this.admission.push({
            seq: this.nextSeq++,
            topic,
            partition,
            key,
            records: chunk.records,
            bytes: chunk.bytes,
            deadline,
            resolve,
            reject,
            attempts: 0,
          });
        }),
    );
    void this.admit();
    return Promise.all(promises).then((bases) => {
      const offsets = new Array<number>(records.length);
      let i = 0;
      chunks.forEach((chunk, c) => {
        for (let j = 0; j < chunk.records.length; j++) offsets[i++] = bases[c]! + j;
      });
      return offsets;
    });
  }

  /** Move admitted records to their leaders' queues, strictly in the order send was called. */
  private async admit(): Promise<void> {
    if (this.admitting) return;
    this.admitting = true;
    try {
      while (this.admission.length > 0) {
        const batch = this.admission.splice(0);
        await this.route(batch);
      }
    } finally {
      this.admitting = false;
    }
  }

  /** Forget sequence numbers of a topic (it was deleted; a new one starts from 0). */
  forgetTopic(topic: string): void {
    for (const key of [...this.sequences.keys()]) if (key.startsWith(`${topic}\u0000`)) this.sequences.delete(key);
  }

  close(): void {
    this.closed = true;
    const error = new BrokerError('Producer is closed');
    for (const p of this.parked) p.reject(error);
    this.parked.clear();
    for (const channel of this.channels.values()) {
      for (const p of channel.queue.splice(0)) p.reject(error);
    }
  }

  failWith(error: Error): void {
    this.fatal = error;
    for (const channel of this.channels.values()) {
      for (const p of channel.queue.splice(0)) p.reject(error);
    }
  }

  /** Queue entries (in order) behind their partitions' current leaders. */
  private async route(entries: Pending[], front = false, fresh = false): Promise<void> {
    const byNode = new Map<number, Pending[]>();
    const leaders = new Map<string, number | Error>();
    const later: Pending[] = [];
    for (const p of entries) {
      let leader = leaders.get(p.key);
      if (leader === undefined) {
        try {
          leader = await this.topics.leader(p.topic, p.partition, fresh);
        } catch (error) {
          leader = isConnectionError(error) ? (error as Error) : toBrokerError(error, `Producing to ${p.topic}-${p.partition}`);
        }
        leaders.set(p.key, leader);
      }
      if (leader instanceof Error) {
        // The cluster is unreachable: try again until the delivery timeout, as Kafka's producers do.
        if (isConnectionError(leader) && Date.now() < p.deadline && !this.closed) later.push(p);
        else p.reject(toBrokerError(leader, `Producing to ${p.topic}-${p.partition}`));
        continue;
      }
      let list = byNode.get(leader);
      if (list === undefined) byNode.set(leader, (list = []));
      list.push(p);
    }
    for (const [nodeId, list] of byNode) {
      let channel = this.channels.get(nodeId);
      if (channel === undefined) this.channels.set(nodeId, (channel = { queue: [], running: false }));
      if (front) insertInOrder(channel.queue, list);
      else channel.queue.push(...list);
      void this.drain(nodeId, channel);
    }
    if (later.length > 0) this.park(later);
  }

  /** Route entries again after a backoff that grows with their attempts. */
  private park(entries: Pending[]): void {
    const attempts = Math.max(...entries.map((p) => ++p.attempts));
    for (const p of entries) this.parked.add(p);
    const timer = setTimeout(
      () => {
        for (const p of entries) this.parked.delete(p);
        if (!this.closed) void this.route(entries, true, true);
      },
      Math.min(1000, 25 * 2 ** attempts),
    );
    timer.unref();
  }

  private async producerIdentity(): Promise<ProducerIdentity> {
    if (this.identity !== undefined) return this.identity;
    this.identityPromise ??= (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const node = await this.client.anyNode();
          const response = await node.initProducerId({ transactionalId: null, transactionTimeout: 60_000 });
          this.identity = { producerId: Number(response.producerId), producerEpoch: response.producerEpoch };
          this.sequences.clear();
          return this.identity;
        } catch (error) {
          const type = errorType(error);
          if (attempt >= 20 || !(isConnectionError(error) || isCoordinatorMoved(type) || isCoordinatorLoading(type))) {
            throw toBrokerError(error, 'Initializing the idempotent producer');
          }
          await sleep(Math.min(50 * (attempt + 1), 500));
        }
      }
    })().finally(() => {
      this.identityPromise = undefined;
    });
    return this.identityPromise;
  }

  /** Start over with a new producer id (the broker lost or refused our sequence state). */
  private resetIdentity(): void {
    if (this.options.transactionalId !== null) return;
    this.identity = undefined;
    this.sequences.clear();
  }

  private async drain(nodeId: number, channel: Channel): Promise<void> {
    if (channel.running) return;
    channel.running = true;
    try {
      while (channel.queue.length > 0 && !this.closed) {
        const batch = this.take(channel);
        if (batch.size === 0) {
          // Everything queued waits for a batch in flight elsewhere (a leader moved).
          await sleep(5);
          continue;
        }
        await this.sendBatch(nodeId, batch);
      }
    } finally {
      channel.running = false;
    }
  }

  /** Entries for one request, grouped by partition, in queue order; partitions in flight wait. */
  private take(channel: Channel): Map<string, Pending[]> {
    const picked = new Map<string, Pending[]>();
    const batchBytes = new Map<string, number>();
    const blocked = new Set<string>();
    const rest: Pending[] = [];
    let total = 0;
    const now = Date.now();
    for (const p of channel.queue) {
      if (p.deadline < now) {
        p.reject(new BrokerError(`Producing to ${p.topic}-${p.partition} timed out`, { retriable: true }));
        continue;
      }
      const inBatch = batchBytes.get(p.key) ?? 0;
      const fits =
        (inBatch === 0 || inBatch + p.bytes <= MAX_BATCH_BYTES) && (total === 0 || total + p.bytes <= MAX_REQUEST_BYTES);
      const head = picked.get(p.key)?.[0];
      // A retried batch goes out as it was: nothing joins it, and it joins nothing.
      const sameBatch = head === undefined || head.retryOf === p.retryOf;
      if (blocked.has(p.key) || (this.inFlight.has(p.key) && !picked.has(p.key)) || !fits || !sameBatch) {
        blocked.add(p.key);
        rest.push(p);
        continue;
      }
      let list = picked.get(p.key);
      if (list === undefined) picked.set(p.key, (list = []));
      list.push(p);
      batchBytes.set(p.key, inBatch + p.bytes);
      total += p.bytes;
    }
    channel.queue = rest;
    return picked;
  }

  private async sendBatch(nodeId: number, batch: Map<string, Pending[]>): Promise<void> {
    for (const key of batch.keys()) this.inFlight.add(key);
    const retry: Pending[] = [];
    let refresh = false;
    try {
      let identity: ProducerIdentity;
      try {
        identity = await this.producerIdentity();
      } catch (error) {
        for (const list of batch.values()) for (const p of list) p.reject(error as Error);
        return;
      }
      const entries = [...batch.values()];
      const sequenceAt = new Map<string, number>();
      for (const [key] of batch) sequenceAt.set(key, this.sequences.get(key) ?? 0);
      let response: {
        topics: Array<{ topicName: string; partitions: Array<{ partition: number; errorCode: number; baseOffset: string }> }>;
      };
      let node: KafkaNode;
      try {
        node = await this.client.node(nodeId);
        response = await this.client.sendBuilt(node, this.produceRequest(node, entries, identity, sequenceAt));
      } catch (error) {
        if (this.closed) {
          for (const p of entries.flat()) p.reject(new BrokerError('Producer is closed'));
          return;
        }
        if (isConnectionError(error) || isStaleMetadata(errorType(error))) {
          retry.push(...entries.flat());
          refresh = true;
          return;
        }
        const failure = toBrokerError(error, 'Producing');
        for (const p of entries.flat()) p.reject(failure);
        return;
      }
      const results = new Map<string, { errorCode: number; baseOffset: number }>();
      for (const t of response.topics) {
        for (const p of t.partitions)
          results.set(`${t.topicName}\u0000${p.partition}`, { errorCode: p.errorCode, baseOffset: Number(p.baseOffset) });
      }
      for (const [key, list] of batch) {
        const result = results.get(key);
        const first = list[0]!;
        const count = list.reduce((n, p) => n + p.records.length, 0);
        if (result === undefined) {
          retry.push(...list);
          refresh = true;
          continue;
        }
        if (result.errorCode === 0) {
          this.sequences.set(key, (sequenceAt.get(key)! + count) % 0x80000000);
          let offset = result.baseOffset;
          for (const p of list) {
            p.resolve(offset);
            offset += p.records.length;
          }
          continue;
        }
        const type = typeOfCode(result.errorCode);
        const error = await this.classify(first.topic, type, result.errorCode);
        if (error === 'retry') {
          retry.push(...list);
          refresh = true;
        } else if (error === 'reset') {
          this.resetIdentity();
          retry.push(...list);
        } else {
          for (const p of list) p.reject(error);
        }
      }
    } finally {
      for (const key of batch.keys()) this.inFlight.delete(key);
      if (retry.length > 0 && !this.closed) {
        const groups = new Map<string, number>();
        for (const p of retry) {
          let id = groups.get(p.key);
          if (id === undefined) groups.set(p.key, (id = this.nextRetry++));
          p.retryOf = id;
        }
        if (refresh) {
          for (const p of retry) this.topics.forget(p.topic);
          this.park(retry);
        } else {
          await this.route(retry, true);
        }
      } else if (retry.length > 0) {
        for (const p of retry) p.reject(new BrokerError('Producer is closed'));
      }
    }
  }

  /** What a partition's error code means here: retry, start over with a new producer id, or fail. */
  private async classify(topic: string, type: string, code: number): Promise<'retry' | 'reset' | Error> {
    switch (type) {
      case 'UNKNOWN_TOPIC_OR_PARTITION': {
        const layout = await this.topics.get(topic, true).catch(() => undefined);
        return layout === undefined ? new UnknownTopicError(topic) : 'retry';
      }
      case 'OUT_OF_ORDER_SEQUENCE_NUMBER':
      case 'UNKNOWN_PRODUCER_ID':
      case 'INVALID_PRODUCER_EPOCH':
      case 'PRODUCER_FENCED':
        if (this.options.transactionalId !== null) {
          const fenced = new ProducerFencedError(this.options.transactionalId);
          this.failWith(fenced);
          return fenced;
        }
        return 'reset';
      case 'CORRUPT_MESSAGE':
      case 'INVALID_RECORD':
      case 'INVALID_TIMESTAMP':
      case 'MESSAGE_TOO_LARGE':
      case 'RECORD_LIST_TOO_LARGE':
        return new InvalidRecordError(topic, errorOfCode(code).message);
      default:
        if (isStaleMetadata(type)) return 'retry';
        return toBrokerError(errorOfCode(code), `Producing to ${topic}`);
    }
  }

  private produceRequest(
    node: KafkaNode,
    entries: Pending[][],
    identity: ProducerIdentity,
    sequenceAt: Map<string, number>,
  ): ProtocolRequest {
    const built = this.client.build(node, 'Produce', { acks: -1, timeout: this.options.requestTimeoutMs, topicData: [] });
    if (built.request.apiVersion < 3) throw new BrokerError('Kafka 0.11 or newer is required (Produce v3)');
    const transactionalId = this.options.transactionalId;
    const byTopic = new Map<string, Pending[][]>();
    for (const list of entries) {
      let lists = byTopic.get(list[0]!.topic);
      if (lists === undefined) byTopic.set(list[0]!.topic, (lists = []));
      lists.push(list);
    }
    const encode = (): KafkaEncoder => {
      const w = new ByteWriter(entries.reduce((n, list) => n + list.reduce((m, p) => m + p.bytes, 0), 256));
      w.string(transactionalId);
      w.int16(-1); // acks=all
      w.int32(this.options.requestTimeoutMs);
      w.int32(byTopic.size);
      for (const [topic, lists] of byTopic) {
        w.string(topic);
        w.int32(lists.length);
        for (const list of lists) {
          const records = list.length === 1 ? list[0]!.records : list.flatMap((p) => p.records);
          w.int32(list[0]!.partition);
          const sizeAt = w.pos;
          w.int32(0);
          writeRecordBatch(w, records, {
            producerId: identity.producerId,
            producerEpoch: identity.producerEpoch,
            baseSequence: sequenceAt.get(list[0]!.key)!,
            transactional: transactionalId !== null,
          });
          const end = w.pos;
          w.pos = sizeAt;
          w.int32(end - sizeAt - 4);
          w.pos = end;
        }
      }
      const payload = w.result();
      return new Encoder(payload.length).writeBuffer(payload);
    };
    return {
      ...built,
      request: { ...built.request, encode: async () => encode(), expectResponse: () => true },
      requestTimeout: this.options.requestTimeoutMs + 5000,
      response: { ...built.response, parse: async (decoded) => decoded },
    };
  }
}

/** Transactional producers start with InitProducerId at their coordinator (fencing older instances). */
export async function initTransactionalProducer(
  client: KafkaClient,
  transactionalId: string,
  transactionTimeoutMs: number,
): Promise<ProducerIdentity> {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await client.toCoordinator(transactionalId, COORDINATOR_TRANSACTION, (node) =>
        node.initProducerId({ transactionalId, transactionTimeout: transactionTimeoutMs }),
      );
      return { producerId: Number(response.producerId), producerEpoch: response.producerEpoch };
    } catch (error) {
      // The coordinator is still aborting what an older instance left open.
      if (errorType(error) === 'CONCURRENT_TRANSACTIONS' && attempt < 200) {
        await sleep(Math.min(10 * (attempt + 1), 100));
        continue;
      }
      throw toBrokerError(error, `Initializing transactional producer '${transactionalId}'`);
    }
  }
}

/** Insert entries into a queue sorted by seq. */
function insertInOrder(queue: Pending[], entries: readonly Pending[]): void {
  for (const p of entries) {
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (queue[mid]!.seq < p.seq) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, p);
  }
}
