/**
 * MATHEMATICAL functions (ksqlDB's udf/math and udf/geo), with Java's numeric semantics: int and
 * long overflow wraps, Math.round rounds half up towards positive infinity, DECIMAL results keep
 * the scale ksqlDB's schema providers give them.
 */
import {
  Decimal,
  decimal,
  doubleToLong,
  widenDecimal,
  wrapLong,
  type DecimalType,
  type RoundingMode,
  type SqlType,
} from '../schema/index.js';
import { javaLog } from './javamath.js';
import type { FunctionDefinition, ScalarFunctionDefinition, ScalarVariant } from './types.js';

function scalar(name: string, description: string, variants: ScalarVariant[]): ScalarFunctionDefinition {
  return { kind: 'SCALAR', name, category: 'MATHEMATICAL', description, variants };
}

const sameType = (argTypes: readonly SqlType[]): SqlType => argTypes[0];

/** DECIMAL(p - s, 0): the type of a DECIMAL rounded to an integer. */
const integralDecimal = (argTypes: readonly SqlType[]): SqlType => {
  const t = argTypes[0] as DecimalType;
  return decimal(t.precision - t.scale, 0);
};

/** One DOUBLE function offered for INT, BIGINT and DOUBLE arguments, as ksqlDB declares them. */
function doubleFunction(name: string, description: string, fn: (x: number) => number, paramName = 'value'): ScalarFunctionDefinition {
  return scalar(name, description, [
    { params: ['INTEGER'], paramNames: [paramName], returns: 'DOUBLE', impl: fn },
    { params: ['BIGINT'], paramNames: [paramName], returns: 'DOUBLE', impl: (x: bigint) => fn(Number(x)) },
    { params: ['DOUBLE'], paramNames: [paramName], returns: 'DOUBLE', impl: fn },
  ]);
}

/** The same for two-argument functions (pairs of the same type). */
function doubleFunction2(name: string, description: string, names: [string, string], fn: (a: number, b: number) => number): ScalarFunctionDefinition {
  return scalar(name, description, [
    { params: ['INTEGER', 'INTEGER'], paramNames: names, returns: 'DOUBLE', impl: fn },
    { params: ['BIGINT', 'BIGINT'], paramNames: names, returns: 'DOUBLE', impl: (a: bigint, b: bigint) => fn(Number(a), Number(b)) },
    { params: ['DOUBLE', 'DOUBLE'], paramNames: names, returns: 'DOUBLE', impl: fn },
  ]);
}

// Java's Math.toDegrees / Math.toRadians constants (JDK 9+).
const RADIANS_TO_DEGREES = 57.29577951308232;
const DEGREES_TO_RADIANS = 0.017453292519943295;

// ---------------------------------------------------------------------------------------------
// ABS, SIGN, CEIL, FLOOR

const ABS = scalar(
  'Abs',
  'Returns the absolute value of its argument. If the argument is not negative, the argument is returned. If the ' +
    'argument is negative, the negation of the argument is returned.',
  [
    { params: ['INTEGER'], paramNames: ['val'], returns: 'INTEGER', impl: (x: number) => Math.abs(x) | 0 },
    { params: ['BIGINT'], paramNames: ['val'], returns: 'BIGINT', impl: (x: bigint) => wrapLong(x < 0n ? -x : x) },
    { params: ['DOUBLE'], paramNames: ['val'], returns: 'DOUBLE', impl: (x: number) => Math.abs(x) },
    { params: ['DECIMAL'], paramNames: ['val'], returns: sameType, impl: (x: Decimal) => x.abs() },
  ],
);

const SIGN = scalar('sign', 'The sign of a value.', [
  { params: ['INTEGER'], paramNames: ['value'], returns: 'INTEGER', impl: (x: number) => Math.sign(x) },
  { params: ['BIGINT'], paramNames: ['value'], returns: 'INTEGER', impl: (x: bigint) => (x > 0n ? 1 : x < 0n ? -1 : 0) },
  // (int) Math.signum: NaN and -0.0 give 0.
  { params: ['DOUBLE'], paramNames: ['value'], returns: 'INTEGER', impl: (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0) },
]);

function integralDecimalOp(mode: RoundingMode) {
  return (x: Decimal): Decimal => x.setScale(0, mode).setScale(x.scale, 'UNNECESSARY');
}

const CEIL = scalar('Ceil', 'Returns the smallest integer greater than or equal to the specified numeric expression.', [
  { params: ['INTEGER'], paramNames: ['val'], returns: 'INTEGER', impl: (x: number) => x },
  { params: ['BIGINT'], paramNames: ['val'], returns: 'BIGINT', impl: (x: bigint) => x },
  { params: ['DOUBLE'], paramNames: ['val'], returns: 'DOUBLE', impl: (x: number) => Math.ceil(x) },
  { params: ['DECIMAL'], paramNames: ['val'], returns: sameType, impl: integralDecimalOp('CEILING') },
]);

const FLOOR = scalar('Floor', 'Returns the largest integer less than or equal to the specified numeric expression.', [
  { params: ['INTEGER'], paramNames: ['val'], returns: 'INTEGER', impl: (x: number) => x },
  { params: ['BIGINT'], paramNames: ['val'], returns: 'BIGINT', impl: (x: bigint) => x },
  { params: ['DOUBLE'], paramNames: ['val'], returns: 'DOUBLE', impl: (x: number) => Math.floor(x) },
  { params: ['DECIMAL'], paramNames: ['val'], returns: sameType, impl: integralDecimalOp('FLOOR') },
]);

// ---------------------------------------------------------------------------------------------
// ROUND, TRUNC

/** ksqlDB's ROUND: half up for positive values, half down otherwise (Math.round's "towards +infinity"). */
function roundDecimal(x: Decimal, places: number): Decimal {
  return x.setScale(places, x.signum() > 0 ? 'HALF_UP' : 'HALF_DOWN');
}

function truncDecimal(x: Decimal, places: number): Decimal {
  return x.setScale(places, 'DOWN');
}

/** The DECIMAL result keeps the argument's scale (ksqlDB issue 6235). */
function keepScale(op: (x: Decimal, places: number) => Decimal) {
  return (x: Decimal, places: number): Decimal => op(x, places).setScale(x.scale, 'UNNECESSARY');
}

const ROUND = scalar(
  'Round',
  'Round a value to the number of decimal places as specified by scale to the right of the decimal point. If scale ' +
    'is negative then value is rounded to the right of the decimal point. Numbers equidistant to the nearest value ' +
    'are rounded up (in the positive direction). If the number of decimal places is not provided it defaults to zero.',
  [
    { params: ['BIGINT'], paramNames: ['val'], returns: 'BIGINT', impl: (x: bigint) => x },
    { params: ['INTEGER'], paramNames: ['val'], returns: 'BIGINT', impl: (x: number) => BigInt(x) },
    { params: ['DOUBLE'], paramNames: ['val'], returns: 'BIGINT', impl: (x: number) => doubleToLong(Math.round(x)) },
    {
      params: ['DOUBLE', 'INTEGER'],
      paramNames: ['val', 'decimalPlaces'],
      returns: 'DOUBLE',
      impl: (x: number, places: number) => roundDecimal(Decimal.fromNumber(x), places).toNumber(),
    },
    { params: ['DECIMAL'], paramNames: ['val'], returns: integralDecimal, impl: (x: Decimal) => roundDecimal(x, 0) },
    {
      params: ['DECIMAL', 'INTEGER'],
      paramNames: ['val', 'decimalPlaces'],
      returns: sameType,
      impl: keepScale(roundDecimal),
    },
  ],
);

const TRUNC = scalar(
  'trunc',
  'Truncates a value to the number of decimal places as specified by scale to the right of the decimal point. If ' +
    'scale is negative then value is truncated to the right of the decimal point.',
  [
    { params: ['BIGINT'], paramNames: ['val'], returns: 'BIGINT', impl: (x: bigint) => x },
    { params: ['INTEGER'], paramNames: ['val'], returns: 'BIGINT', impl: (x: number) => BigInt(x) },
    { params: ['DOUBLE'], paramNames: ['val'], returns: 'BIGINT', impl: (x: number) => doubleToLong(x) },
    {
      params: ['DOUBLE', 'INTEGER'],
      paramNames: ['val', 'decimalPlaces'],
      returns: 'DOUBLE',
      impl: (x: number, places: number) => truncDecimal(Decimal.fromNumber(x), places).toNumber(),
    },
    { params: ['DECIMAL'], paramNames: ['val'], returns: integralDecimal, impl: (x: Decimal) => truncDecimal(x, 0) },
    {
      params: ['DECIMAL', 'INTEGER'],
      paramNames: ['val', 'decimalPlaces'],
      returns: sameType,
      impl: keepScale(truncDecimal),
    },
  ],
);

// ---------------------------------------------------------------------------------------------
// Exponentials, logarithms, roots

const EXP = doubleFunction('exp', 'The exponential of a value.', Math.exp, 'exponent');
const LN = doubleFunction('ln', 'The natural logarithm of a value.', javaLog);
const SQRT = doubleFunction('sqrt', 'The square root of a value.', Math.sqrt);
const CBRT = doubleFunction('cbrt', 'The cube root of a value.', Math.cbrt);

function logBase(base: number, value: number): number {
  if (base <= 0 || base === 1) return NaN;
  return javaLog(value) / javaLog(base);
}

// ksqlDB 0.29's one-argument LOG calls Math.log (the natural logarithm), whatever its description says.
const LOG = scalar('log', 'The logarithm of a value.', [
  { params: ['INTEGER'], paramNames: ['value'], returns: 'DOUBLE', impl: javaLog },
  { params: ['BIGINT'], paramNames: ['value'], returns: 'DOUBLE', impl: (x: bigint) => javaLog(Number(x)) },
  { params: ['DOUBLE'], paramNames: ['value'], returns: 'DOUBLE', impl: javaLog },
  { params: ['INTEGER', 'INTEGER'], paramNames: ['base', 'value'], returns: 'DOUBLE', impl: logBase },
  {
    params: ['BIGINT', 'BIGINT'],
    paramNames: ['base', 'value'],
    returns: 'DOUBLE',
    impl: (b: bigint, v: bigint) => logBase(Number(b), Number(v)),
  },
  { params: ['DOUBLE', 'DOUBLE'], paramNames: ['base', 'value'], returns: 'DOUBLE', impl: logBase },
]);

const POWER = doubleFunction2(
  'power',
  'Given a base and an exponent, returns the result of the base raised to the exponent.',
  ['base', 'exponent'],
  Math.pow,
);

// ---------------------------------------------------------------------------------------------
// Trigonometry

const SIN = doubleFunction('sin', 'The sine of a value.', Math.sin);
const COS = doubleFunction('cos', 'The cosine of a value.', Math.cos);
const TAN = doubleFunction('tan', 'The tangent of a value.', Math.tan);
const COT = doubleFunction('cot', 'The cotangent of a value.', (x) => Math.cos(x) / Math.sin(x));
const ASIN = doubleFunction('asin', 'The inverse (arc) sine of a value. The returned value is in radians.', Math.asin);
const ACOS = doubleFunction('acos', 'The inverse (arc) cosine of a value. The returned value is in radians.', Math.acos);
const ATAN = doubleFunction('atan', 'The inverse (arc) tangent of a value. The returned value is in radians.', Math.atan);
const ATAN2 = doubleFunction2(
  'atan2',
  'The inverse (arc) tangent of y / x. This is equivalent to the angle theta when Cartesian coordinates (x, y) are ' +
    'converted to polar coordinates (radius, theta). The returned value is in radians.',
  ['y', 'x'],
  Math.atan2,
);
const SINH = doubleFunction('sinh', 'The hyperbolic sine of a value.', Math.sinh);
const COSH = doubleFunction('cosh', 'The hyperbolic cosine of a value.', Math.cosh);
const TANH = doubleFunction('tanh', 'The hyperbolic tangent of a value.', Math.tanh);
const DEGREES = doubleFunction('degrees', 'Converts radians to degrees.', (x) => x * RADIANS_TO_DEGREES);
const RADIANS = doubleFunction('radians', 'Converts degrees to radians.', (x) => x * DEGREES_TO_RADIANS);

const PI = scalar('pi', 'Returns an approximate value of pi.', [{ params: [], returns: 'DOUBLE', impl: () => Math.PI }]);

const RANDOM = scalar('random', 'Returns a random number greater than or equal to 0.0 and less than 1.0.', [
  { params: [], returns: 'DOUBLE', impl: () => Math.random() },
]);

// ---------------------------------------------------------------------------------------------
// GREATEST, LEAST

type Compare = (a: any, b: any) => number;

const compareNumbers: Compare = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);
const compareBigints: Compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const compareStrings: Compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const compareDecimals: Compare = (a: Decimal, b: Decimal) => a.compareTo(b);

/** Double.compare: -0.0 below 0.0, NaN above everything. */
const compareDoubles: Compare = (a: number, b: number) => {
  if (a < b) return -1;
  if (a > b) return 1;
  const ai = Number.isNaN(a) ? 1 : Object.is(a, -0) ? -1 : 0;
  const bi = Number.isNaN(b) ? 1 : Object.is(b, -0) ? -1 : 0;
  return ai - bi;
};

/** ByteBuffer.compareTo: lexicographic over signed bytes, then the shorter first. */
const compareBytes: Compare = (a: Uint8Array, b: Uint8Array) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = ((a[i] << 24) >> 24) - ((b[i] << 24) >> 24);
    if (d !== 0) return d;
  }
  return a.length - b.length;
};

/** Stream.max / Stream.min over the non-null values; the first of equal values wins. */
function extremum(compare: Compare, sign: 1 | -1) {
  return (first: unknown, rest: readonly unknown[]): unknown => {
    let best: unknown = first;
    for (const v of rest) {
      if (v === null || v === undefined) continue;
      if (best === null || best === undefined || sign * compare(v, best) > 0) best = v;
    }
    return best ?? null;
  };
}

function widenAll(argTypes: readonly SqlType[]): SqlType {
  return argTypes.reduce((a, b) => widenDecimal(a, b));
}

function comparableFunction(name: string, description: string, sign: 1 | -1): ScalarFunctionDefinition {
  const variant = (type: string, compare: Compare, returns: ScalarVariant['returns'] = type): ScalarVariant => ({
    params: [type, type],
    paramNames: ['val', 'vals'],
    variadic: true,
    returns,
    nulls: 'pass',
    impl: extremum(compare, sign),
  });
  return scalar(name, description, [
    variant('INTEGER', compareNumbers),
    variant('BIGINT', compareBigints),
    variant('DOUBLE', compareDoubles),
    variant('STRING', compareStrings),
    variant('BYTES', compareBytes),
    variant('DECIMAL', compareDecimals, widenAll),
    variant('DATE', compareNumbers),
    variant('TIME', compareNumbers),
    variant('TIMESTAMP', compareNumbers),
  ]);
}

const GREATEST = comparableFunction(
  'greatest',
  'Returns the highest non-null value among a variable number of comparable columns.',
  1,
);
const LEAST = comparableFunction('least', 'Returns the lowest non-null value among a variable number of comparable columns', -1);

// ---------------------------------------------------------------------------------------------
// GEO_DISTANCE

const EARTH_RADIUS_KM = 6371;
const EARTH_RADIUS_MILES = 3959;
const MILES = ['mi', 'mile', 'miles'];
const KILOMETERS = ['km', 'kilometer', 'kilometers', 'kilometre', 'kilometres'];

function earthRadius(units: string | null): number {
  const unit = units?.trim().toLowerCase() ?? '';
  if (unit === '') return EARTH_RADIUS_KM;
  if (MILES.includes(unit)) return EARTH_RADIUS_MILES;
  if (KILOMETERS.includes(unit)) return EARTH_RADIUS_KM;
  throw new Error(
    'GeoDistance function units parameter must be one of mi, mile, miles, km, kilometer, kilometers, kilometre or ' +
      'kilometres. Values are case-insensitive.',
  );
}

function haversin(x: number): number {
  return Math.pow(Math.sin(x / 2), 2);
}

function geoDistance(lat1: number, lon1: number, lat2: number, lon2: number, units: string | null): number {
  if (lat1 < -90 || lat2 < -90 || lat1 > 90 || lat2 > 90) {
    throw new Error('valid latitude values for GeoDistance function are in the range of -90 to 90 decimal degrees');
  }
  if (lon1 < -180 || lon2 < -180 || lon1 > 180 || lon2 > 180) {
    throw new Error('valid longitude values for GeoDistance function are in the range of -180 to +180 decimal degrees');
  }
  const radius = earthRadius(units);
  const deltaLat = (lat2 - lat1) * DEGREES_TO_RADIANS;
  const deltaLon = (lon2 - lon1) * DEGREES_TO_RADIANS;
  const a = haversin(deltaLat) + haversin(deltaLon) * Math.cos(lat1 * DEGREES_TO_RADIANS) * Math.cos(lat2 * DEGREES_TO_RADIANS);
  return 2 * Math.asin(Math.sqrt(a)) * radius;
}

const GEO_DISTANCE: ScalarFunctionDefinition = {
  kind: 'SCALAR',
  name: 'geo_distance',
  category: 'OTHER',
  description:
    'Compute the distance between two points on the surface of the earth, according to the Haversine formula for ' +
    '"great circle distance".',
  variants: [
    {
      params: ['DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'STRING'],
      paramNames: ['lat1', 'lon1', 'lat2', 'lon2', 'units'],
      returns: 'DOUBLE',
      nulls: 'pass',
      impl: (lat1: number | null, lon1: number | null, lat2: number | null, lon2: number | null, units: string | null) => {
        // The coordinates are Java primitives: NULL fails the call; the unit defaults to KM.
        if (lat1 === null || lon1 === null || lat2 === null || lon2 === null) {
          throw new TypeError('Cannot pass NULL for a primitive double parameter');
        }
        return geoDistance(lat1, lon1, lat2, lon2, units);
      },
    },
    {
      params: ['DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE'],
      paramNames: ['lat1', 'lon1', 'lat2', 'lon2'],
      returns: 'DOUBLE',
      impl: (lat1: number, lon1: number, lat2: number, lon2: number) => geoDistance(lat1, lon1, lat2, lon2, null),
    },
  ],
};

export const FUNCTIONS: FunctionDefinition[] = [
  ABS,
  SIGN,
  CEIL,
  FLOOR,
  ROUND,
  TRUNC,
  EXP,
  LN,
  LOG,
  SQRT,
  CBRT,
  POWER,
  SIN,
  COS,
  TAN,
  COT,
  ASIN,
  ACOS,
  ATAN,
  ATAN2,
  SINH,
  COSH,
  TANH,
  DEGREES,
  RADIANS,
  PI,
  RANDOM,
  GREATEST,
  LEAST,
  GEO_DISTANCE,
];
