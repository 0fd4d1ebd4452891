/** Numbers as the Java side has them: BigInteger bytes and Float.toString. */
import { formatDouble } from '../schema/index.js';

/** BigInteger.toByteArray(): minimal big-endian two's complement. */
export function bigintToBytes(v: bigint): Uint8Array {
  let length = 1;
  while (v < -(1n << BigInt(8 * length - 1)) || v >= 1n << BigInt(8 * length - 1)) length++;
  let u = BigInt.asUintN(8 * length, v);
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

/** new BigInteger(bytes): big-endian two's complement. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let u = 0n;
  for (const b of bytes) u = (u << 8n) | BigInt(b);
  return BigInt.asIntN(bytes.length * 8, u);
}

/** Java's Float.toString: the shortest digits that read back as the same float (at least two). */
export function formatFloat(f: number): string {
  if (!Number.isFinite(f) || f === 0) return formatDouble(f);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) {
      // Java shows two significant digits at least: the two-digit decimal nearest the exact value.
      return formatDouble(digits === 1 ? Number(f.toPrecision(2)) : candidate);
    }
  }
  return formatDouble(f);
}
