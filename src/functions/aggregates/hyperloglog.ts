/**
 * The HyperLogLog sketch behind COUNT_DISTINCT, bit for bit as ksqlDB uses stream-lib's
 * (com.clearspring.analytics): log2m = 14 (16384 five-bit registers packed six to an int, 2731
 * ints), MurmurHash 2 of the Java object offered, linear counting for small cardinalities. The
 * same hashes and registers give the same estimates, collisions included.
 */
import { valueToJavaString, type SqlType } from '../../schema/index.js';

const LOG2M = 14;
const REGISTERS = 1 << LOG2M;
const REGISTERS_PER_WORD = 6;
const REGISTER_BITS = 5;
/** RegisterSet.getSizeForCount(16384). */
export const HLL_WORDS = Math.floor(REGISTERS / REGISTERS_PER_WORD) + 1;
const ALPHA_MM = (0.7213 / (1 + 1.079 / REGISTERS)) * REGISTERS * REGISTERS;
const M = 0x5bd1e995;

/** MurmurHash.hashLong, given the long's low and high 32 bits. */
function hashLong(low: number, high: number): number {
  let k = Math.imul(low, M);
  k ^= k >>> 24;
  let h = Math.imul(k, M);
  k = Math.imul(high, M);
  k ^= k >>> 24;
  h = Math.imul(h, M);
  h ^= Math.imul(k, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** MurmurHash.hash(byte[]) with seed -1; Java bytes are signed, which the tail keeps. */
function hashBytes(data: Uint8Array): number {
  const length = data.length;
  const signed = (i: number): number => (data[i] << 24) >> 24;
  let h = -1 ^ length;
  const words = length >> 2;
  for (let i = 0; i < words; i++) {
    const at = i << 2;
    let k = (signed(at + 3) << 24) | (data[at + 2] << 16) | (data[at + 1] << 8) | data[at];
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const left = length - (words << 2);
  if (left !== 0) {
    if (left >= 3) h ^= signed(length - 3) << 16;
    if (left >= 2) h ^= signed(length - 2) << 8;
    h ^= signed(length - 1);
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

const DOUBLE_BITS = new DataView(new ArrayBuffer(8));

/**
 * MurmurHash.hash(Object) of the Java object ksqlDB holds for a value of `type`: Integer, Long
 * and Double by their bits, String by its UTF-8 bytes, anything else by its toString().
 */
export function javaObjectHash(type: SqlType): (value: unknown) => number {
  switch (type.kind) {
    case 'INTEGER':
      return (v) => hashLong(v as number, (v as number) < 0 ? -1 : 0);
    case 'BIGINT':
      return (v) => hashLong(Number(BigInt.asIntN(32, v as bigint)), Number(BigInt.asIntN(32, (v as bigint) >> 32n)));
    case 'DOUBLE':
      return (v) => {
        DOUBLE_BITS.setFloat64(0, v as number);
        return hashLong(DOUBLE_BITS.getInt32(4), DOUBLE_BITS.getInt32(0));
      };
    case 'STRING':
      return (v) => hashBytes(Buffer.from(v as string, 'utf8'));
    default:
      return (v) => hashBytes(Buffer.from(valueToJavaString(v, type), 'utf8'));
  }
}

function register(words: readonly number[], position: number): number {
  const word = Math.floor(position / REGISTERS_PER_WORD);
  const shift = REGISTER_BITS * (position - word * REGISTERS_PER_WORD);
  return (words[word] >>> shift) & 0x1f;
}

export function emptySketch(): number[] {
  return new Array<number>(HLL_WORDS).fill(0);
}

/** HyperLogLog.offerHashed: the sketch with the hash offered, or the same array when no register grew. */
export function offer(words: readonly number[], hash: number): readonly number[] {
  const position = hash >>> (32 - LOG2M);
  const rank = Math.clz32((hash << LOG2M) | ((1 << (LOG2M - 1)) + 1)) + 1;
  if (register(words, position) >= rank) return words;
  const word = Math.floor(position / REGISTERS_PER_WORD);
  const shift = REGISTER_BITS * (position - word * REGISTERS_PER_WORD);
  const out = words.slice();
  out[word] = (out[word] & ~(0x1f << shift)) | (rank << shift);
  return out;
}

/** RegisterSet.merge: the register-wise maximum. */
export function mergeSketches(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(HLL_WORDS);
  for (let i = 0; i < HLL_WORDS; i++) {
    let word = 0;
    for (let j = 0; j < REGISTERS_PER_WORD; j++) {
      const mask = 0x1f << (REGISTER_BITS * j);
      word |= Math.max((a[i] ?? 0) & mask, (b[i] ?? 0) & mask);
    }
    out[i] = word;
  }
  return out;
}

/** HyperLogLog.cardinality. */
export function cardinality(words: readonly number[]): bigint {
  let sum = 0;
  let zeros = 0;
  for (let j = 0; j < REGISTERS; j++) {
    const value = register(words, j);
    sum += 1 / (1 << value);
    if (value === 0) zeros++;
  }
  const estimate = ALPHA_MM * (1 / sum);
  if (estimate <= 2.5 * REGISTERS) return BigInt(Math.round(REGISTERS * Math.log(REGISTERS / zeros)));
  return BigInt(Math.round(estimate));
}
