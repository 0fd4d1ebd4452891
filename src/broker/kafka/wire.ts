/**
 * Kafka's bytes that this adapter writes and reads itself: record batches
 * (magic v2) in produce requests and fetch responses, and the consumer
 * protocol's subscription and assignment, so that Kafka's own tools can
 * describe the groups ksqlite forms.
 */

import type { ConsumedRecord, Header, ProducerRecord, TopicPartition } from '../port.js';
import { compression } from './internals.js';

// --- CRC-32C -----------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32C of bytes[start, end), unsigned; what a record batch carries. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = ~0;
  for (let i = start; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

// --- writing -----------------------------------------------------------------

const TWO_32 = 0x1_0000_0000;

/** A growable big-endian writer with Kafka's varints. */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(size = 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  int16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
  }

  int32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
  }

  uint32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }

  /** A 64-bit integer from a safe JS integer (offsets, timestamps, ids). */
  int64(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / TWO_32);
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(v - hi * TWO_32, this.pos + 4);
    this.pos += 8;
  }

  /** Zigzag varint (Kafka's varint and varlong alike, for safe integers). */
  varint(v: number): void {
    this.ensure(10);
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    while (z >= 0x80) {
      this.buf[this.pos++] = z % 0x80 | 0x80;
      z = Math.floor(z / 0x80);
    }
    this.buf[this.pos++] = z;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** int16 length + UTF-8; null as length -1. */
  string(s: string | null): void {
    if (s === null) {
      this.int16(-1);
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.int16(n);
    this.ensure(n);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
  }

  /** Varint length + bytes; null as -1. */
  varBytes(b: Uint8Array | null): void {
    if (b === null) {
      this.varint(-1);
      return;
    }
    this.varint(b.length);
    this.bytes(b);
  }

  varString(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.buf.write(s, this.pos, 'utf8');
    this.pos += n;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function varintSize(v: number): number {
  let z = v >= 0 ? v * 2 : -v * 2 - 1;
  let n = 1;
  while (z >= 0x80) {
    z = Math.floor(z / 0x80);
    n++;
  }
  return n;
}

// --- record batches ----------------------------------------------------------

const MAGIC = 2;
const ATTR_TRANSACTIONAL = 0x10;
const ATTR_CONTROL = 0x20;
const ATTR_LOG_APPEND_TIME = 0x08;
const ATTR_COMPRESSION = 0x07;
/** baseOffset..recordCount: the bytes before the first record. */
export const BATCH_OVERHEAD = 61;

/** Bytes a record adds to a batch, roughly (for splitting requests; varints taken at their largest). */
export function approximateRecordSize(r: ProducerRecord): number {
  let n = 21 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  if (r.headers !== undefined) {
    for (const h of r.headers) n += 10 + h.key.length * 3 + (h.value?.length ?? 0);
  }
  return n;
}

export interface BatchProducer {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  transactional: boolean;
}

/** Encode records as one uncompressed v2 record batch, appended to w. */
export function writeRecordBatch(w: ByteWriter, records: readonly ProducerRecord[], producer: BatchProducer): void {
  const start = w.pos;
  const baseTimestamp = records[0]!.timestamp;
  let maxTimestamp = baseTimestamp;
  w.int64(0); // baseOffset: assigned by the broker
  w.int32(0); // batchLength, patched below
  w.int32(-1); // partitionLeaderEpoch
  w.int8(MAGIC);
  const crcAt = w.pos;
  w.uint32(0); // crc, patched below
  const crcFrom = w.pos;
  w.int16(producer.transactional ? ATTR_TRANSACTIONAL : 0);
  w.int32(records.length - 1); // lastOffsetDelta
  w.int64(baseTimestamp);
  const maxTimestampAt = w.pos;
  w.int64(0);
  w.int64(producer.producerId);
  w.int16(producer.producerEpoch);
  w.int32(producer.baseSequence);
  w.int32(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
    const delta = r.timestamp - baseTimestamp;
    const headers = r.headers;
    let size = 1 + varintSize(delta) + varintSize(i);
    size += r.key === null ? 1 : varintSize(r.key.length) + r.key.length;
    size += r.value === null ? 1 : varintSize(r.value.length) + r.value.length;
    const headerCount = headers?.length ?? 0;
    size += varintSize(headerCount);
    for (let h = 0; h < headerCount; h++) {
      const header = headers![h]!;
      const keyLength = Buffer.byteLength(header.key, 'utf8');
      size += varintSize(keyLength) + keyLength;
      size += header.value === null ? 1 : varintSize(header.value.length) + header.value.length;
    }
    w.varint(size);
    w.int8(0); // record attributes
    w.varint(delta);
    w.varint(i);
    w.varBytes(r.key);
    w.varBytes(r.value);
    w.varint(headerCount);
    for (let h = 0; h < headerCount; h++) {
      const header = headers![h]!;
      w.varString(header.key);
      w.varBytes(header.value);
    }
  }
  const end = w.pos;
  w.pos = maxTimestampAt;
  w.int64(maxTimestamp);
  w.pos = start + 8;
  w.int32(end - start - 12);
  w.pos = crcAt;
  w.uint32(crc32c(w.buf, crcFrom, end));
  w.pos = end;
}

// --- reading -----------------------------------------------------------------

const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** A big-endian reader over one buffer with Kafka's varints. */
export class ByteReader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  int8(): number {
    return this.buf.readInt8(this.pos++);
  }

  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(): number {
    const v = this.buf.readInt32BE(this.pos) * TWO_32 + this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return v;
  }

  varint(): number {
    let z = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.pos++]!;
      z += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
    }
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  string(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A zero-copy view of n bytes. */
  view(n: number): Uint8Array {
    const v = new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return v;
  }

  varView(): Uint8Array | null {
    const n = this.varint();
    return n < 0 ? null : this.view(n);
  }

  remaining(): number {
    return this.end - this.pos;
  }
}

/** An aborted transaction listed by a fetch response (read_committed). */
export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

export interface DecodedRecords {
  /** Data records, committed ones only when aborted transactions were given. */
  records: ConsumedRecord[];
  /** One past the last offset of the last whole batch read (control and aborted batches included). */
  nextOffset: number;
}

/**
 * Decode the record batches of one partition's fetch response, skipping
 * control batches (transaction markers), records of aborted transactions and
 * records below fromOffset (a batch starts where its producer started it). A
 * partial batch at the end (fetch size limits) is ignored, as Kafka intends.
 */
export async function readRecordBatches(
  data: Buffer,
  topic: string,
  partition: number,
  fromOffset: number,
  aborted: readonly AbortedTransaction[] | null,
): Promise<DecodedRecords> {
  const records: ConsumedRecord[] = [];
  let nextOffset = fromOffset;
  const pendingAborts = aborted === null ? [] : [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<number>();
  let pos = 0;
  while (data.length - pos >= BATCH_OVERHEAD) {
    const baseOffset = data.readInt32BE(pos) * TWO_32 + data.readUInt32BE(pos + 4);
    const batchLength = data.readInt32BE(pos + 8);
    const end = pos + 12 + batchLength;
    if (end > data.length) break;
    const magic = data.readInt8(pos + 16);
    if (magic !== MAGIC) {
      throw new Error(
        `Record batch at offset ${baseOffset} of ${topic}-${partition} has magic ${magic}; only v2 (Kafka 0.11+) is read`,
      );
    }
    const attributes = data.readInt16BE(pos + 21);
    const lastOffsetDelta = data.readInt32BE(pos + 23);
    const baseTimestamp = data.readInt32BE(pos + 27) * TWO_32 + data.readUInt32BE(pos + 31);
    const logAppendTime =
      (attributes & ATTR_LOG_APPEND_TIME) !== 0 ? data.readInt32BE(pos + 35) * TWO_32 + data.readUInt32BE(pos + 39) : -1;
    const producerId = data.readInt32BE(pos + 43) * TWO_32 + data.readUInt32BE(pos + 47);
    const count = data.readInt32BE(pos + 57);
    const batchNext = baseOffset + lastOffsetDelta + 1;
    while (pendingAborts.length > 0 && pendingAborts[0]!.firstOffset <= baseOffset + lastOffsetDelta) {
      abortedProducers.add(pendingAborts.shift()!.producerId);
    }
    const transactional = (attributes & ATTR_TRANSACTIONAL) !== 0;
    if ((attributes & ATTR_CONTROL) !== 0) {
      // A commit or abort marker ends that producer's transaction.
      abortedProducers.delete(producerId);
    } else if (!(transactional && abortedProducers.has(producerId)) && batchNext > fromOffset) {
      let body = data;
      let bodyPos = pos + BATCH_OVERHEAD;
      let bodyEnd = end;
      const codec = attributes & ATTR_COMPRESSION;
      if (codec !== 0) {
        const decompressor = compression.lookupCodecByAttributes(attributes);
        if (decompressor === undefined) throw new Error(`Compression codec ${codec} is not available`);
        body = await decompressor.decompress(data.subarray(bodyPos, end));
        bodyPos = 0;
        bodyEnd = body.length;
      }
      const r = new ByteReader(body, bodyPos, bodyEnd);
      for (let i = 0; i < count; i++) {
        r.varint(); // record length
        r.pos++; // attributes
        const delta = r.varint();
        const timestamp = logAppendTime >= 0 ? logAppendTime : baseTimestamp + delta;
        const offset = baseOffset + r.varint();
        const key = r.varView();
        const value = r.varView();
        const headerCount = r.varint();
        let headers: readonly Header[] = NO_HEADERS;
        if (headerCount > 0) {
          const list: Header[] = new Array(headerCount);
          for (let h = 0; h < headerCount; h++) {
            const keyLength = r.varint();
            const hk = body.toString('utf8', r.pos, r.pos + keyLength);
            r.pos += keyLength;
            list[h] = { key: hk, value: r.varView() };
          }
          headers = list;
        }
        if (offset >= fromOffset) records.push({ topic, partition, offset, key, value, timestamp, headers });
      }
    }
    nextOffset = Math.max(nextOffset, batchNext);
    pos = end;
  }
  return { records, nextOffset };
}

// --- consumer protocol -------------------------------------------------------

/**
 * ConsumerProtocolSubscription v1: topics, user data, owned partitions.
 * User data carries when the member subscribed (and a tie-breaker), so
 * the leader orders members by arrival: earlier members keep lower
 * partitions, as the embedded log's groups do.
 */
export interface Subscription {
  topics: string[];
  owned: TopicPartition[];
  joinedAt: number;
}

export function encodeSubscription(s: Subscription): Buffer {
  const w = new ByteWriter(256);
  w.int16(1);
  w.int32(s.topics.length);
  for (const t of s.topics) w.string(t);
  const userData = Buffer.alloc(8);
  userData.writeDoubleBE(s.joinedAt);
  w.int32(userData.length);
  w.bytes(userData);
  writeTopicPartitions(w, s.owned);
  return w.result();
}

export function decodeSubscription(buf: Buffer): Subscription {
  const r = new ByteReader(buf);
  const version = r.int16();
  const topics: string[] = [];
  for (let n = r.int32(), i = 0; i < n; i++) topics.push(r.string() ?? '');
  let joinedAt = Number.MAX_SAFE_INTEGER;
  const userLength = r.int32();
  if (userLength === 8) joinedAt = buf.readDoubleBE(r.pos);
  if (userLength > 0) r.pos += userLength;
  const owned = version >= 1 && r.remaining() >= 4 ? readTopicPartitions(r) : [];
  return { topics, owned, joinedAt };
}

/** ConsumerProtocolAssignment v1 (v0 layout plus nothing we use): partitions and empty user data. */
export function encodeAssignment(partitions: readonly TopicPartition[]): Buffer {
  const w = new ByteWriter(256);
  w.int16(1);
  writeTopicPartitions(w, partitions);
  w.int32(-1);
  return w.result();
}

export function decodeAssignment(buf: Buffer | null): TopicPartition[] {
  if (buf === null || buf.length < 6) return [];
  const r = new ByteReader(buf);
  r.int16();
  return readTopicPartitions(r);
}

function writeTopicPartitions(w: ByteWriter, partitions: readonly TopicPartition[]): void {
  const byTopic = new Map<string, number[]>();
  for (const tp of partitions) {
    let list = byTopic.get(tp.topic);
    if (list === undefined) byTopic.set(tp.topic, (list = []));
    list.push(tp.partition);
  }
  w.int32(byTopic.size);
  for (const [topic, list] of byTopic) {
    w.string(topic);
    w.int32(list.length);
    for (const p of list) w.int32(p);
  }
}

function readTopicPartitions(r: ByteReader): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (let n = r.int32(), i = 0; i < n; i++) {
    const topic = r.string() ?? '';
    for (let m = r.int32(), j = 0; j < m; j++) out.push({ topic, partition: r.int32() });
  }
  return out.sort(byTopicPartition);
}

export function byTopicPartition(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}
