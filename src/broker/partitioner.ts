/**
 * Kafka's default partitioner, bit for bit: a keyed record goes to
 * toPositive(murmur2(keyBytes)) % numPartitions, so a topic written here is
 * laid out as Java clients (and Kafka Streams, and ksqlDB) would lay it out.
 */

const SEED = 0x9747b28c;
const M_LO = 0xe995; // the mixing constant 0x5bd1e995, in 16-bit halves
const M_HI = 0x5bd1;
const R = 24;

/**
 * a * 0x5bd1e995 mod 2^32, as a signed int. Plain arithmetic rather than
 * Math.imul: about as fast in Node, and Math.imul is a slow non-inlined call
 * inside vm contexts such as jest's (the tests run a million keys).
 */
function mulM(a: number): number {
  const lo = a & 0xffff;
  return (lo * M_LO + ((((a >>> 16) * M_LO + lo * M_HI) & 0xffff) << 16)) | 0;
}

/**
 * 32-bit murmur2 exactly as org.apache.kafka.common.utils.Utils.murmur2:
 * returns Java's signed int.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i << 2;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = mulM(k);
    k ^= k >>> R;
    k = mulM(k);
    h = mulM(h);
    h ^= k;
  }
  // The last 1..3 bytes, as Java's fall-through switch on length % 4.
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = mulM(h);
  }
  h ^= h >>> 13;
  h = mulM(h);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner gives a non-null serialized key. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

/** Picks a partition for a record that names none. */
export type Partitioner = (topic: string, key: Uint8Array | null, numPartitions: number) => number;

/**
 * The default partitioner: murmur2 for keyed records; null keys round-robin
 * per topic starting at partition 0 (as kafkajs does, but deterministic;
 * Java's sticky batching is not reproducible across clients anyway).
 */
export function createDefaultPartitioner(): Partitioner {
  const counters = new Map<string, number>();
  return (topic, key, numPartitions) => {
    if (key !== null) return partitionForKey(key, numPartitions);
    const next = counters.get(topic) ?? 0;
    counters.set(topic, (next + 1) & 0x7fffffff);
    return next % numPartitions;
  };
}
