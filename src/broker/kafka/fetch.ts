/**
 * Fetch requests (v4..v11, read_committed, sessionless) with this adapter's
 * own response decoder: record batches are read into ConsumedRecords that
 * view the response buffer (no copies), keep headers in order (repeated keys
 * and null values included), and skip aborted transactions and markers.
 */

import type { KafkaClient } from './client.js';
import { READ_COMMITTED, type KafkaNode, type ProtocolRequest } from './internals.js';
import { ByteReader, type AbortedTransaction } from './wire.js';

export interface FetchPartitionRequest {
  topic: string;
  partition: number;
  offset: number;
  maxBytes: number;
}

export interface FetchedPartition {
  topic: string;
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  aborted: AbortedTransaction[] | null;
  /** The raw record batches (possibly ending in a partial one). */
  records: Buffer | null;
}

const MIN_VERSION = 4;
const MAX_VERSION = 11;

/** One Fetch request to a node; partitions answer one by one (errors per partition, never thrown). */
export async function fetchFrom(
  client: KafkaClient,
  node: KafkaNode,
  partitions: readonly FetchPartitionRequest[],
  maxWaitMs: number,
  minBytes = 1,
  maxBytes = 52_428_800,
): Promise<FetchedPartition[]> {
  const version = client.version(node, 'Fetch', MAX_VERSION);
  if (version < MIN_VERSION) throw new Error(`Fetch v${MIN_VERSION}+ is needed, the broker offers up to v${version}`);
  const topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }> = [];
  for (const p of partitions) {
    let last = topics[topics.length - 1];
    if (last === undefined || last.topic !== p.topic) topics.push((last = { topic: p.topic, partitions: [] }));
    last.partitions.push({ partition: p.partition, fetchOffset: String(p.offset), maxBytes: p.maxBytes });
  }
  const built = client.build(node, 'Fetch', {
    replicaId: -1,
    isolationLevel: READ_COMMITTED,
    maxWaitTime: Math.max(0, Math.floor(maxWaitMs)),
    minBytes,
    maxBytes,
    topics,
    rackId: '',
  });
  const request: ProtocolRequest = {
    ...built,
    // kafkajs allows maxWait + 100 ms; a busy broker or GC pause should not fail a long poll.
    requestTimeout: maxWaitMs + Math.max(5000, client.config.requestTimeoutMs),
    response: {
      decode: async (payload: Buffer) => decodeFetchResponse(payload, version),
      parse: async (decoded) => decoded,
    },
  };
  return client.sendBuilt<FetchedPartition[]>(node, request);
}

function decodeFetchResponse(payload: Buffer, version: number): FetchedPartition[] {
  const r = new ByteReader(payload);
  r.int32(); // throttle time
  if (version >= 7) {
    const errorCode = r.int16();
    r.int32(); // session id
    if (errorCode !== 0) throw Object.assign(new Error(`Fetch failed with error code ${errorCode}`), { errorCode });
  }
  const out: FetchedPartition[] = [];
  for (let topics = r.int32(), t = 0; t < topics; t++) {
    const topic = r.string() ?? '';
    for (let partitions = r.int32(), i = 0; i < partitions; i++) {
      const partition = r.int32();
      const errorCode = r.int16();
      const highWatermark = r.int64();
      const lastStableOffset = r.int64();
      const logStartOffset = version >= 5 ? r.int64() : -1;
      const abortedCount = r.int32();
      let aborted: AbortedTransaction[] | null = null;
      if (abortedCount >= 0) {
        aborted = [];
        for (let a = 0; a < abortedCount; a++) aborted.push({ producerId: r.int64(), firstOffset: r.int64() });
      }
      if (version >= 11) r.int32(); // preferred read replica
      const size = r.int32();
      let records: Buffer | null = null;
      if (size >= 0) {
        records = payload.subarray(r.pos, r.pos + size);
        r.pos += size;
      }
      out.push({ topic, partition, errorCode, highWatermark, lastStableOffset, logStartOffset, aborted, records });
    }
  }
  return out;
}
