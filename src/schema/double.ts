/**
 * DOUBLE <-> text exactly as the JVM does it, since ksqlDB's output (CAST to STRING,
 * DELIMITED values, BigDecimal.valueOf) is Java's Double.toString.
 */
import { SqlValueError } from './errors.js';

/** A finite double as an exact decimal: value = unscaled * 10^-scale, smallest scale >= 0. */
export function exactDecimalOfDouble(d: number): { unscaled: bigint; scale: number } {
  if (!Number.isFinite(d)) throw new SqlValueError('Infinite or NaN');
  if (d === 0) return { unscaled: 0n, scale: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  let mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  let exponent = biasedExponent === 0 ? -1074 : biasedExponent - 1075;
  // An odd mantissa times 5^k is never divisible by 10, so the scale below is minimal.
  while (exponent < 0 && (mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exponent++;
  }
  const signed = (v: bigint): bigint => (negative ? -v : v);
  if (exponent >= 0) return { unscaled: signed(mantissa << BigInt(exponent)), scale: 0 };
  return { unscaled: signed(mantissa * 5n ** BigInt(-exponent)), scale: -exponent };
}

/** Java's Double.toString (JDK 19+ shortest-digits algorithm). */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  let { digits, exponent } = shortestDigits(abs);
  if (digits.length === 1) ({ digits, exponent } = closestTwoDigits(abs, exponent));
  if (abs >= 1e-3 && abs < 1e7) return sign + plainNotation(digits, exponent);
  const rest = digits.slice(1).replace(/0+$/, '') || '0';
  return `${sign}${digits[0]}.${rest}E${exponent}`;
}

/** Shortest round-tripping digits (no trailing zeros) and exponent: x = d.ddd * 10^exponent. */
function shortestDigits(abs: number): { digits: string; exponent: number } {
  const [mantissa, exp] = String(abs).split('e');
  const [intPart, fracPart = ''] = mantissa.split('.');
  const all = intPart + fracPart;
  const leadingZeros = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(leadingZeros).replace(/0+$/, '');
  return { digits, exponent: intPart.length - 1 - leadingZeros + (exp ? Number(exp) : 0) };
}

// Java renders at least two significant digits, choosing the two-digit decimal closest to x
// (hence 4.9E-324 rather than 5.0E-324).
function closestTwoDigits(abs: number, exponent: number): { digits: string; exponent: number } {
  const { unscaled, scale } = exactDecimalOfDouble(abs);
  const shift = scale + exponent - 1;
  let c: bigint;
  if (shift <= 0) {
    c = unscaled * 10n ** BigInt(-shift);
  } else {
    const divisor = 10n ** BigInt(shift);
    c = unscaled / divisor;
    const twice = 2n * (unscaled % divisor);
    if (twice > divisor || (twice === divisor && c % 2n === 1n)) c += 1n;
  }
  if (c >= 100n) return { digits: String(c / 10n), exponent: exponent + 1 };
  return { digits: String(c), exponent };
}

function plainNotation(digits: string, exponent: number): string {
  let intPart: string;
  let fracPart: string;
  if (exponent >= 0) {
    intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    fracPart = digits.slice(exponent + 1);
  } else {
    intPart = '0';
    fracPart = '0'.repeat(-exponent - 1) + digits;
  }
  return `${intPart}.${fracPart.replace(/0+$/, '') || '0'}`;
}

const JAVA_DECIMAL_FLOAT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/;

/**
 * Parse text to a DOUBLE as ksqlDB does (Double.parseDouble on trimmed text), but without
 * Java's float-type suffixes ('1d', '2f') or hexadecimal forms, which are not SQL.
 */
export function parseDouble(text: string): number {
  const trimmed = javaTrim(text);
  if (!JAVA_DECIMAL_FLOAT.test(trimmed)) {
    throw new SqlValueError(`For input string: "${text}"`);
  }
  return Number(trimmed);
}

/** Java's String.trim(): strips every char <= U+0020 from both ends. */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}
