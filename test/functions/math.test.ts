import { FunctionValueError } from '../../src/functions/index.js';
import { Decimal } from '../../src/schema/index.js';
import { fn, resolve, t } from './calls.js';

const dec = (s: string) => Decimal.parse(s);
const text = (v: unknown) => (v instanceof Decimal ? v.toPlainString() : v);

function orNull(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof FunctionValueError) return null;
    throw e;
  }
}

/** Calls f for INT, BIGINT and DOUBLE arguments, as math.json does with its columns i, l, d. */
function ild(name: string, arity = 1): (i: (number | null)[], l: (number | null)[], d: (number | null)[]) => unknown[] {
  const fi = fn(name, ...Array<string>(arity).fill('INTEGER'));
  const fl = fn(name, ...Array<string>(arity).fill('BIGINT'));
  const fd = fn(name, ...Array<string>(arity).fill('DOUBLE'));
  return (i, l, d) => [fi(...i), fl(...l.map((x) => (x === null ? null : BigInt(x)))), fd(...d)];
}

describe('EXP, LN, SQRT, CBRT, SIGN (math.json)', () => {
  it('exp', () => {
    const exp = ild('exp');
    expect(exp([null], [null], [null])).toEqual([null, null, null]);
    expect(exp([-1], [-2], [-3.0])).toEqual([0.36787944117144233, 0.1353352832366127, 0.049787068367863944]);
    expect(exp([0], [0], [0])).toEqual([1, 1, 1]);
    expect(exp([1], [2], [3.0])).toEqual([2.718281828459045, 7.38905609893065, 20.085536923187668]);
  });

  it('ln', () => {
    const ln = ild('ln');
    expect(ln([-1], [-2], [-3])).toEqual([NaN, NaN, NaN]);
    expect(ln([0], [0], [0])).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(ln([1], [2], [3])).toEqual([0, 0.6931471805599453, 1.0986122886681098]);
  });

  it('sqrt and cbrt', () => {
    expect(ild('sqrt')([-1], [-2], [-3])).toEqual([NaN, NaN, NaN]);
    expect(ild('sqrt')([1], [2], [3])).toEqual([1, 1.4142135623730951, 1.7320508075688772]);
    expect(ild('cbrt')([-8], [-3], [-1])).toEqual([-2, -1.4422495703074083, -1]);
    expect(ild('cbrt')([8], [3], [1])).toEqual([2, 1.4422495703074083, 1]);
  });

  it('sign', () => {
    const sign = ild('sign');
    expect(sign([-1], [-2], [-3])).toEqual([-1, -1, -1]);
    expect(sign([0], [0], [0])).toEqual([0, 0, 0]);
    expect(sign([1], [2], [3])).toEqual([1, 1, 1]);
    expect(fn('sign', 'DOUBLE')(NaN)).toBe(0);
    expect(resolve('sign', 'BIGINT').returnType).toEqual(t('INTEGER'));
  });
});

describe('CEIL, FLOOR, ABS (math.json)', () => {
  const cases: [number, number, string, number, string][] = [
    // d, floor(d), floor(b), ceil(d), ceil(b) where b = DECIMAL(2,1) of d
    [0.0, 0, '0.0', 0, '0.0'],
    [1.1, 1, '1.0', 2, '2.0'],
    [1.5, 1, '1.0', 2, '2.0'],
    [1.7, 1, '1.0', 2, '2.0'],
    [-1.1, -2, '-2.0', -1, '-1.0'],
    [-1.5, -2, '-2.0', -1, '-1.0'],
    [-2.0, -2, '-2.0', -2, '-2.0'],
  ];
  it.each(cases)('%d', (d, floorD, floorB, ceilD, ceilB) => {
    expect(fn('floor', 'DOUBLE')(d)).toBe(floorD);
    expect(text(fn('floor', 'DECIMAL(2, 1)')(dec(d.toFixed(1))))).toBe(floorB);
    expect(fn('ceil', 'DOUBLE')(d)).toBe(ceilD);
    expect(text(fn('ceil', 'DECIMAL(2, 1)')(dec(d.toFixed(1))))).toBe(ceilB);
  });

  it('keeps integer and DECIMAL types', () => {
    expect(fn('floor', 'INTEGER')(1)).toBe(1);
    expect(fn('ceil', 'BIGINT')(-1n)).toBe(-1n);
    expect(resolve('floor', 'DECIMAL(2, 1)').returnType).toEqual(t('DECIMAL(2, 1)'));
    expect(resolve('ceil', 'INTEGER').returnType).toEqual(t('INTEGER'));
  });

  it('abs', () => {
    expect(fn('abs', 'INTEGER')(-1)).toBe(1);
    expect(fn('abs', 'BIGINT')(-2n)).toBe(2n);
    expect(fn('abs', 'DOUBLE')(-3.1)).toBe(3.1);
    expect(text(fn('abs', 'DECIMAL(2, 1)')(dec('-3.2')))).toBe('3.2');
    expect(fn('abs', 'INTEGER')(null)).toBeNull();
    expect(fn('abs', 'INTEGER')(-2147483648)).toBe(-2147483648);
    expect(resolve('abs', 'DECIMAL(2, 1)').returnType).toEqual(t('DECIMAL(2, 1)'));
  });
});

describe('trigonometry (math.json)', () => {
  const round13 = fn('round', 'DOUBLE', 'INTEGER');
  const r = (name: string, x: number) => round13(fn(name, 'DOUBLE')(x), 13);
  it('computes like java.lang.Math', () => {
    expect(r('acos', -0.43)).toBe(2.0152891037307);
    expect(r('acos', 0)).toBe(1.5707963267949);
    expect(fn('acos', 'INTEGER')(2)).toBeNaN();
    expect(fn('asin', 'DOUBLE')(-1.1)).toBeNaN();
    expect(r('atan', -1.1)).toBe(-0.8329812666744);
    expect(round13(fn('atan2', 'INTEGER', 'INTEGER')(-2, -3), 13)).toBe(-2.5535900500422);
    expect(round13(fn('atan2', 'DOUBLE', 'DOUBLE')(1.1, 0.24), 13)).toBe(1.3559809263932);
    expect(fn('atan2', 'INTEGER', 'INTEGER')(null, 1)).toBeNull();
    expect(r('cos', -9.1)).toBe(-0.9477216021311);
    expect(r('sin', 0.43)).toBe(0.4168708024292);
    expect(r('tan', 9.1)).toBe(-0.3367005264329);
    expect(fn('cot', 'INTEGER')(0)).toBe(Infinity);
    expect(r('cosh', 9.1)).toBe(4477.646407574158);
    expect(r('sinh', -0.43)).toBe(-0.4433742144125);
    expect(round13(fn('degrees', 'DOUBLE')(1.2345), 12)).toBe(70.7316398089);
    expect(round13(fn('degrees', 'INTEGER')(-2), 12)).toBe(-114.591559026165);
    expect(r('radians', 70.73163980890013)).toBe(1.2345);
    expect(fn('pi')()).toBe(3.141592653589793);
  });
});

describe('POWER and LOG (math.json)', () => {
  it('power', () => {
    const power = ild('power', 2);
    expect(power([null, 13], [null, 13], [null, 13])).toEqual([null, null, null]);
    expect(power([15, -1], [15, -1], [15, -1])).toEqual([0.06666666666666667, 0.06666666666666667, 0.06666666666666667]);
    expect(power([0, 0], [0, 0], [0, 0])).toEqual([1, 1, 1]);
    expect(power([15, 13], [15, 13], [15, 13])).toEqual([1946195068359375, 1946195068359375, 1946195068359375]);
    expect(power([-15, 2], [-15, 2], [-15, 2])).toEqual([225, 225, 225]);
  });

  it('log with a base', () => {
    const log = ild('log', 2);
    expect(log([15, 13], [15, 13], [15, 13])).toEqual([0.9471572411831843, 0.9471572411831843, 0.9471572411831843]);
    expect(log([15, 1], [15, 1], [15, 1])).toEqual([0, 0, 0]);
    expect(log([15, 0], [15, 0], [15, 0])).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(log([15, -13], [15, -13], [15, -13])).toEqual([NaN, NaN, NaN]);
    expect(log([-15, 13], [-15, 13], [-15, 13])).toEqual([NaN, NaN, NaN]);
    expect(log([0, 13], [0, 13], [0, 13])).toEqual([NaN, NaN, NaN]);
    expect(log([1, 13], [1, 13], [1, 13])).toEqual([NaN, NaN, NaN]);
  });

  it('one-argument log is the natural logarithm in ksqlDB 0.29', () => {
    expect(fn('log', 'DOUBLE')(Math.E)).toBe(1);
  });
});

describe('ROUND', () => {
  it('rounds doubles half up, towards positive infinity (Math.round)', () => {
    const round = fn('round', 'DOUBLE');
    expect([1.1, 1.5, 1.9, -1.1, -1.5, -1.9].map((x) => round(x))).toEqual([1n, 2n, 2n, -1n, -1n, -2n]);
    expect(round(NaN)).toBe(0n);
    expect(round(1e300)).toBe(9223372036854775807n);
    expect(resolve('round', 'DOUBLE').returnType).toEqual(t('BIGINT'));
    expect(resolve('round', 'INTEGER').returnType).toEqual(t('BIGINT'));
  });

  it('rounds doubles to decimal places through their shortest decimal form', () => {
    const round = fn('round', 'DOUBLE', 'INTEGER');
    expect(round(1.235, 2)).toBe(1.24);
    expect(round(-1.235, 2)).toBe(-1.23);
    expect(round(12345.678, -2)).toBe(12300);
    expect(round(0.5, 0)).toBe(1);
    expect(round(-0.5, 0)).toBe(0);
    expect(round(1.5, null)).toBeNull();
  });

  it('rounds decimals, keeping the scale when places are given', () => {
    expect(resolve('round', 'DECIMAL(4, 2)').returnType).toEqual(t('DECIMAL(2, 0)'));
    expect(text(fn('round', 'DECIMAL(4, 2)')(dec('9.56')))).toBe('10');
    expect(text(fn('round', 'DECIMAL(4, 2)')(dec('-1.50')))).toBe('-1');
    expect(resolve('round', 'DECIMAL(5, 3)', 'INTEGER').returnType).toEqual(t('DECIMAL(5, 3)'));
    expect(text(fn('round', 'DECIMAL(5, 3)', 'INTEGER')(dec('1.235'), 2))).toBe('1.240');
    expect(text(fn('round', 'DECIMAL(5, 3)', 'INTEGER')(dec('-1.235'), 2))).toBe('-1.230');
  });

  it('is ambiguous for INTEGER with places (DOUBLE and DECIMAL both take it by cast)', () => {
    expect(() => resolve('round', 'INTEGER', 'INTEGER')).toThrow(/ambiguous method parameters \(INTEGER, INTEGER\)/);
  });
});

describe('TRUNC (math.json)', () => {
  const inputs = [1.2, 1.7, 1.5, 3, 1.234567, 0, 111, -1.1, -1.5, -1.7, 12345.678, -12345.678];
  const expected: [bigint, number, number, number, number, number, number][] = [
    [1n, 1.0, 1.2, 1.2, 1.2, 0.0, 0.0],
    [1n, 1.0, 1.7, 1.7, 1.7, 0.0, 0.0],
    [1n, 1.0, 1.5, 1.5, 1.5, 0.0, 0.0],
    [3n, 3.0, 3.0, 3.0, 3.0, 0.0, 0.0],
    [1n, 1.0, 1.2, 1.23, 1.234567, 0.0, 0.0],
    [0n, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [111n, 111.0, 111.0, 111.0, 111.0, 110.0, 100.0],
    [-1n, -1.0, -1.1, -1.1, -1.1, -0, -0],
    [-1n, -1.0, -1.5, -1.5, -1.5, -0, -0],
    [-1n, -1.0, -1.7, -1.7, -1.7, -0, -0],
    [12345n, 12345.0, 12345.6, 12345.67, 12345.678, 12340.0, 12300.0],
    [-12345n, -12345.0, -12345.6, -12345.67, -12345.678, -12340.0, -12300.0],
  ];
  it.each(inputs.map((v, i) => [v, expected[i]] as const))('double %d', (v, row) => {
    const places = fn('trunc', 'DOUBLE', 'INTEGER');
    expect([fn('trunc', 'DOUBLE')(v), ...[0, 1, 2, 10, -1, -2].map((p) => places(v, p))]).toEqual(row.map((x) => (x === -0 ? 0 : x)));
  });

  it.each(inputs.map((v, i) => [v, expected[i]] as const))('decimal %d', (v, row) => {
    const d = Decimal.fromNumber(v).setScale(7);
    expect(text(fn('trunc', 'DECIMAL(12, 7)')(d))).toBe(String(row[0]));
    const places = fn('trunc', 'DECIMAL(12, 7)', 'INTEGER');
    const got = [0, 1, 2, 10, -1, -2].map((p) => (places(d, p) as Decimal).toNumber());
    expect(got).toEqual(row.slice(1).map((x) => (Object.is(x, -0) ? 0 : x)));
    expect((places(d, 1) as Decimal).scale).toBe(7);
  });

  it('integers and types', () => {
    expect(fn('trunc', 'INTEGER')(-12345)).toBe(-12345n);
    expect(fn('trunc', 'BIGINT')(2147483648n)).toBe(2147483648n);
    expect(resolve('trunc', 'DECIMAL(12, 7)').returnType).toEqual(t('DECIMAL(5, 0)'));
  });
});

describe('GREATEST and LEAST (greatest.json, least.json)', () => {
  it('compare integers, ignoring NULLs', () => {
    expect(fn('greatest', 'INTEGER', 'INTEGER', 'INTEGER', null, 'INTEGER')(2147483647, 1, null, null, 5)).toBe(2147483647);
    expect(fn('least', 'INTEGER', 'INTEGER', 'INTEGER', null, 'INTEGER')(-2147483648, 1, 3, null, 5)).toBe(-2147483648);
    expect(fn('greatest', 'BIGINT', 'BIGINT')(null, null)).toBeNull();
    expect(fn('greatest', 'BIGINT', 'BIGINT', 'BIGINT', null)(9223372036854775807n, 1n, null, null)).toBe(9223372036854775807n);
  });

  it('compare strings, bytes, dates, decimals', () => {
    expect(fn('least', 'STRING', 'STRING', null, 'STRING')('aardvark', 'zebra', null, 'hello')).toBe('aardvark');
    expect(fn('least', 'STRING', 'STRING')('!', 'hello')).toBe('!');
    const b = (s: string) => Uint8Array.from(Buffer.from(s));
    expect(Buffer.from(fn('greatest', 'BYTES', 'BYTES')(b('zebra'), b('hello')) as Uint8Array).toString()).toBe('zebra');
    expect(fn('greatest', 'DATE', 'DATE')(19187, 19157)).toBe(19187);
    expect(text(fn('least', 'DECIMAL(9, 3)', 'DECIMAL(9, 3)')(dec('-987654.321'), dec('1.000')))).toBe('-987654.321');
    expect(text(fn('greatest', 'DECIMAL(9, 2)', 'DECIMAL(7, 6)')(dec('1234567.89'), dec('0.123456')))).toBe('1234567.89');
  });

  it('widen to DOUBLE for mixed numbers', () => {
    const greatest = fn('greatest', 'INTEGER', 'BIGINT', 'DECIMAL(30, 18)', 'DOUBLE', null);
    // The planner casts every argument to DOUBLE first.
    expect(greatest(1, 1000000000000, 55555.555555555555, 500000.0, null)).toBe(1000000000000);
    expect(fn('least', 'DOUBLE', 'DOUBLE', 'DOUBLE', null)(-99999.555, 1.5, 2.5, null)).toBe(-99999.555);
  });
});

describe('RANDOM', () => {
  it('is in [0, 1)', () => {
    const x = fn('random')() as number;
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThan(1);
  });
});

describe('GEO_DISTANCE (geodistance.json, udf-implicit-cast.json)', () => {
  const near = (x: unknown, expected: number) => expect(x as number).toBeCloseTo(expected, 9);
  it('computes great-circle distances in km or miles', () => {
    const km = fn('geo_distance', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE');
    const units = fn('geo_distance', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'STRING');
    near(km(37.4439, -122.1663, 51.5257, -0.1122), 8634.659796579544);
    near(units(37.4439, -122.1663, 51.5257, -0.1122, null), 8634.659796579544);
    near(units(37.4439, -122.1663, 51.5257, -0.1122, 'KM'), 8634.659796579544);
    near(units(37.4439, -122.1663, 51.5257, -0.1122, 'MI'), 5365.659729188262);
    near(units(51.5257, -0.1122, -33.9323, 18.4197, 'MI'), 6011.1453892944355);
    near(km(-33.9323, 18.4197, -33.8666, 151.1), 11005.23304055582);
    near(km(39.18660374, -76.73262144, 39.18660374, -76.73222145), 0.03447366811448324);
    near(km(37.4439, -122.1663, 51, 0), 8682.459061368269);
  });

  it('fails for coordinates out of range or unknown units', () => {
    expect(orNull(() => fn('geo_distance', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE')(91, 0, 0, 0))).toBeNull();
    expect(orNull(() => fn('geo_distance', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'DOUBLE', 'STRING')(0, 0, 0, 0, 'parsecs'))).toBeNull();
  });
});
