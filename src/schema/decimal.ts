/**
 * Decimal: an immutable arbitrary-precision decimal, value = unscaled * 10^-scale, with the
 * semantics of java.math.BigDecimal as ksqlDB uses it (scale is significant: 1.50 is not
 * equal() to 1.5, though compareTo says they are the same number). All arithmetic is done on
 * bigints; no floating point is involved except in explicit double conversions.
 */
import { exactDecimalOfDouble, formatDouble } from './double.js';
import { SqlValueError } from './errors.js';

export type RoundingMode =
  | 'UP'
  | 'DOWN'
  | 'CEILING'
  | 'FLOOR'
  | 'HALF_UP'
  | 'HALF_DOWN'
  | 'HALF_EVEN'
  | 'UNNECESSARY';

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export class Decimal {
  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {
    if (!Number.isInteger(scale)) throw new RangeError(`Invalid scale: ${scale}`);
    Object.freeze(this);
  }

  /** Parse like `new BigDecimal(String)`: "1.50", "-0.5", "1E+3", ".5", "+2.". No whitespace. */
  static parse(text: string): Decimal {
    const m = DECIMAL_TEXT.exec(text);
    if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
      throw new SqlValueError(`Invalid decimal: "${text}"`);
    }
    const [, sign, intDigits, fracDigits = '', exponent] = m;
    const magnitude = BigInt((intDigits + fracDigits) || '0');
    const scale = fracDigits.length - (exponent === undefined ? 0 : Number(exponent));
    if (!Number.isSafeInteger(scale)) throw new SqlValueError(`Invalid decimal: "${text}"`);
    return new Decimal(sign === '-' ? -magnitude : magnitude, scale);
  }

  static fromBigInt(value: bigint): Decimal {
    return new Decimal(value, 0);
  }

  /** An integral JS number (e.g. an INTEGER value) with scale 0. */
  static fromInteger(value: number): Decimal {
    if (!Number.isSafeInteger(value)) throw new SqlValueError(`Not an exact integer: ${value}`);
    return new Decimal(BigInt(value), 0);
  }

  /** Like BigDecimal.valueOf(double): goes through Java's shortest text, so 0.1 -> 0.1 (scale 1). */
  static fromNumber(value: number): Decimal {
    if (!Number.isFinite(value)) throw new SqlValueError('Infinite or NaN');
    return Decimal.parse(formatDouble(value));
  }

  /** Like new BigDecimal(double): the exact binary value, 0.1 -> 0.1000000000000000055511151231257827... */
  static fromNumberExact(value: number): Decimal {
    const { unscaled, scale } = exactDecimalOfDouble(value);
    return new Decimal(unscaled, scale);
  }

  /** Number of significant digits of the unscaled value (1 for zero). */
  precision(): number {
    return digitCount(this.unscaled);
  }

  signum(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  negate(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  abs(): Decimal {
    return this.unscaled < 0n ? this.negate() : this;
  }

  /** Exact sum; scale is max(this.scale, other.scale). */
  add(other: Decimal): Decimal {
    const scale = Math.max(this.scale, other.scale);
    return new Decimal(this.rescaled(scale) + other.rescaled(scale), scale);
  }

  /** Exact difference; scale is max(this.scale, other.scale). */
  subtract(other: Decimal): Decimal {
    return this.add(other.negate());
  }

  /** Exact product; scale is this.scale + other.scale. */
  multiply(other: Decimal): Decimal {
    return new Decimal(this.unscaled * other.unscaled, this.scale + other.scale);
  }

  /** Quotient with the given scale, rounded (BigDecimal.divide(divisor, scale, roundingMode)). */
  divide(divisor: Decimal, scale: number, rounding: RoundingMode = 'HALF_UP'): Decimal {
    checkDivisor(this, divisor);
    const shift = scale - this.scale + divisor.scale;
    const numerator = shift >= 0 ? this.unscaled * pow10(shift) : this.unscaled;
    const denominator = shift >= 0 ? divisor.unscaled : divisor.unscaled * pow10(-shift);
    return new Decimal(divideRounded(numerator, denominator, rounding), scale);
  }

  /**
   * Quotient rounded to `precision` significant digits (BigDecimal.divide(divisor, MathContext)).
   * Trailing zeros are stripped towards the preferred scale this.scale - divisor.scale.
   * precision 0 means exact: throws when the expansion does not terminate.
   */
  divideToPrecision(divisor: Decimal, precision: number, rounding: RoundingMode = 'HALF_UP'): Decimal {
    checkDivisor(this, divisor);
    const preferredScale = this.scale - divisor.scale;
    if (this.isZero()) return new Decimal(0n, preferredScale);
    if (precision === 0) return this.divideExact(divisor);
    // Compute at least precision + 1 digits, then round once using a sticky digit for the rest.
    const extraDigits = precision + 1 + digitCount(divisor.unscaled) - digitCount(this.unscaled);
    const scale = preferredScale + Math.max(extraDigits, 0);
    const shift = scale - preferredScale;
    const numerator = this.unscaled * pow10(shift);
    const truncated = numerator / divisor.unscaled;
    const inexact = numerator % divisor.unscaled !== 0n;
    const negative = this.signum() * divisor.signum() < 0;
    const sticky = truncated * 10n + (inexact ? (negative ? -1n : 1n) : 0n);
    const rounded = new Decimal(sticky, scale + 1).round(precision, rounding);
    return stripZerosTo(rounded, preferredScale);
  }

  /** Exact quotient (BigDecimal.divide(divisor)); throws if the expansion does not terminate. */
  divideExact(divisor: Decimal): Decimal {
    checkDivisor(this, divisor);
    const preferredScale = this.scale - divisor.scale;
    const g = gcd(abs(this.unscaled), abs(divisor.unscaled));
    let numerator = this.unscaled / g;
    let denominator = divisor.unscaled / g;
    if (denominator < 0n) {
      numerator = -numerator;
      denominator = -denominator;
    }
    let twos = 0;
    let fives = 0;
    while (denominator % 2n === 0n) {
      denominator /= 2n;
      twos++;
    }
    while (denominator % 5n === 0n) {
      denominator /= 5n;
      fives++;
    }
    if (denominator !== 1n) {
      throw new SqlValueError('Non-terminating decimal expansion; no exact representable decimal result.');
    }
    const k = Math.max(twos, fives);
    const unscaled = numerator * 2n ** BigInt(k - twos) * 5n ** BigInt(k - fives);
    return new Decimal(unscaled, preferredScale + k);
  }

  /** The integer part of this / divisor (BigDecimal.divideToIntegralValue(divisor)). */
  divideToIntegralValue(divisor: Decimal): Decimal {
    checkDivisor(this, divisor);
    const preferredScale = this.scale - divisor.scale;
    const quotient = this.divide(divisor, 0, 'DOWN').unscaled;
    if (quotient === 0n) return new Decimal(0n, preferredScale);
    if (preferredScale >= 0) return new Decimal(quotient * pow10(preferredScale), preferredScale);
    return stripZerosTo(new Decimal(quotient, 0), preferredScale);
  }

  /**
   * this - divisor * trunc(this / divisor), sign of the dividend (BigDecimal.remainder).
   * With `precision`, throws like remainder(divisor, MathContext) when the integer quotient
   * needs more than that many digits.
   */
  remainder(divisor: Decimal, precision?: number): Decimal {
    const quotient = this.divideToIntegralValue(divisor);
    if (precision !== undefined && precision > 0) {
      const digits = stripZerosTo(quotient, -Infinity);
      if (!digits.isZero() && digits.precision() > precision) {
        throw new SqlValueError('Division impossible');
      }
    }
    return this.subtract(quotient.multiply(divisor));
  }

  /** Same value with a new scale, rounding when digits are dropped (BigDecimal.setScale). */
  setScale(scale: number, rounding: RoundingMode = 'HALF_UP'): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * pow10(scale - this.scale), scale);
    return new Decimal(divideRounded(this.unscaled, pow10(this.scale - scale), rounding), scale);
  }

  /** Round to `precision` significant digits (BigDecimal.round(MathContext)); 0 = unlimited. */
  round(precision: number, rounding: RoundingMode = 'HALF_UP'): Decimal {
    if (precision <= 0) return this;
    const excess = this.precision() - precision;
    if (excess <= 0) return this;
    let result = this.setScale(this.scale - excess, rounding);
    if (result.precision() > precision) {
      // Rounding carried into a new digit (9.99 -> 10.0): drop the (zero) last digit.
      result = result.setScale(result.scale - 1, rounding);
    }
    return result;
  }

  /** Remove trailing zeros from the unscaled value (BigDecimal.stripTrailingZeros); zero -> 0. */
  stripTrailingZeros(): Decimal {
    if (this.isZero()) return Decimal.ZERO;
    return stripZerosTo(this, -Infinity);
  }

  /** Numeric comparison ignoring scale: -1, 0 or 1. */
  compareTo(other: Decimal): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.rescaled(scale);
    const b = other.rescaled(scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Equal value and equal scale, as BigDecimal.equals. */
  equals(other: unknown): boolean {
    return other instanceof Decimal && other.scale === this.scale && other.unscaled === this.unscaled;
  }

  /** BigDecimal.toPlainString(): no exponent, scale kept ("1.50", "-0.05", "1000" for 1E+3). */
  toString(): string {
    return this.toPlainString();
  }

  toPlainString(): string {
    if (this.scale <= 0) {
      return this.isZero() ? '0' : this.unscaled.toString() + '0'.repeat(-this.scale);
    }
    const negative = this.unscaled < 0n;
    const digits = abs(this.unscaled).toString().padStart(this.scale + 1, '0');
    const point = digits.length - this.scale;
    return `${negative ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
  }

  /** BigDecimal.toString(): scientific notation when scale < 0 or the exponent is below -6. */
  toJavaString(): string {
    const coefficient = abs(this.unscaled).toString();
    const adjusted = -this.scale + (coefficient.length - 1);
    if (this.scale >= 0 && adjusted >= -6) return this.toPlainString();
    const sign = this.unscaled < 0n ? '-' : '';
    const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
    return `${sign}${mantissa}E${adjusted > 0 ? '+' : ''}${adjusted}`;
  }

  /** Nearest double (BigDecimal.doubleValue). */
  toNumber(): number {
    return Number(`${this.unscaled}e${-this.scale}`);
  }

  /** Integer part, truncated toward zero (BigDecimal.toBigInteger). */
  toBigInt(): bigint {
    if (this.scale <= 0) return this.unscaled * pow10(-this.scale);
    return this.unscaled / pow10(this.scale);
  }

  /** BigDecimal.intValue(): truncated, then the low 32 bits (wraps like Java). */
  intValue(): number {
    return Number(BigInt.asIntN(32, this.toBigInt()));
  }

  /** BigDecimal.longValue(): truncated, then the low 64 bits (wraps like Java). */
  longValue(): bigint {
    return BigInt.asIntN(64, this.toBigInt());
  }

  private rescaled(scale: number): bigint {
    return this.unscaled * pow10(scale - this.scale);
  }
}

const POW10: bigint[] = [];

export function pow10(n: number): bigint {
  if (n < 0) throw new RangeError(`Negative power of ten: ${n}`);
  if (n < 64) return (POW10[n] ??= 10n ** BigInt(n));
  return 10n ** BigInt(n);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function digitCount(v: bigint): number {
  return v === 0n ? 1 : abs(v).toString().length;
}

function checkDivisor(dividend: Decimal, divisor: Decimal): void {
  if (divisor.isZero()) {
    throw new SqlValueError(dividend.isZero() ? 'Division undefined' : 'Division by zero');
  }
}

/** Drop trailing zeros while the scale stays >= minScale. */
function stripZerosTo(value: Decimal, minScale: number): Decimal {
  let { unscaled, scale } = value;
  if (unscaled === 0n) return value;
  while (scale > minScale && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  return scale === value.scale ? value : new Decimal(unscaled, scale);
}

/** numerator / denominator as an integer, rounded per `mode`. */
function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const direction = (numerator < 0n) !== (denominator < 0n) ? -1n : 1n;
  const twice = abs(remainder) * 2n;
  const half = abs(denominator);
  let awayFromZero: boolean;
  switch (mode) {
    case 'UP':
      awayFromZero = true;
      break;
    case 'DOWN':
      awayFromZero = false;
      break;
    case 'CEILING':
      awayFromZero = direction > 0n;
      break;
    case 'FLOOR':
      awayFromZero = direction < 0n;
      break;
    case 'HALF_UP':
      awayFromZero = twice >= half;
      break;
    case 'HALF_DOWN':
      awayFromZero = twice > half;
      break;
    case 'HALF_EVEN':
      awayFromZero = twice > half || (twice === half && quotient % 2n !== 0n);
      break;
    case 'UNNECESSARY':
      throw new SqlValueError('Rounding necessary');
    default: {
      const unreachable: never = mode;
      throw new Error(`Unknown rounding mode ${String(unreachable)}`);
    }
  }
  return awayFromZero ? quotient + direction : quotient;
}
