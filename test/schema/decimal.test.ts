import fc from 'fast-check';
import { Decimal, type RoundingMode } from '../../src/schema/decimal.js';
import { SqlValueError } from '../../src/schema/errors.js';

const d = (text: string): Decimal => Decimal.parse(text);
const parts = (x: Decimal): [bigint, number] => [x.unscaled, x.scale];

describe('Decimal.parse', () => {
  test.each([
    ['1.50', 150n, 2],
    ['-0.5', -5n, 1],
    ['1E+3', 1n, -3],
    ['1e3', 1n, -3],
    ['1.23E-2', 123n, 4],
    ['.5', 5n, 1],
    ['+2.', 2n, 0],
    ['0.00', 0n, 2],
    ['007', 7n, 0],
    ['-0', 0n, 0],
  ])('%s', (text, unscaled, scale) => {
    expect(parts(d(text))).toEqual([unscaled, scale]);
  });

  test.each(['', '.', 'abc', '1.2.3', ' 1', '1 ', '1e', '--1', 'e5', '1,5', 'NaN'])('rejects %j', (text) => {
    expect(() => d(text)).toThrow(SqlValueError);
  });
});

describe('text', () => {
  test.each([
    ['1.50', '1.50'],
    ['-0.05', '-0.05'],
    ['1E+3', '1000'],
    ['0E+2', '0'],
    ['0.00', '0.00'],
    ['123', '123'],
    ['-1.5E+5', '-150000'],
    ['1.23E-8', '0.0000000123'],
  ])('toString/toPlainString of %s is %s', (text, plain) => {
    expect(d(text).toString()).toBe(plain);
    expect(d(text).toPlainString()).toBe(plain);
  });

  test.each([
    ['1E+3', '1E+3'],
    ['0.00000001', '1E-8'],
    ['0.000001', '0.000001'],
    ['0.0000000123', '1.23E-8'],
    ['-1.5E+5', '-1.5E+5'],
    ['0E+2', '0E+2'],
    ['1.50', '1.50'],
    ['-0.0000001', '-1E-7'],
  ])('toJavaString of %s is %s (BigDecimal.toString)', (text, java) => {
    expect(d(text).toJavaString()).toBe(java);
  });
});

describe('properties of a value', () => {
  test('precision counts unscaled digits; zero has precision 1', () => {
    expect(d('0').precision()).toBe(1);
    expect(d('0.000').precision()).toBe(1);
    expect(d('123.45').precision()).toBe(5);
    expect(d('0.001').precision()).toBe(1);
    expect(d('-99').precision()).toBe(2);
    expect(d('1E+5').precision()).toBe(1);
  });

  test('signum, negate, abs, isZero', () => {
    expect(d('-2.5').signum()).toBe(-1);
    expect(d('0.0').signum()).toBe(0);
    expect(d('3').signum()).toBe(1);
    expect(d('2.50').negate().toString()).toBe('-2.50');
    expect(d('-2.50').abs().toString()).toBe('2.50');
    expect(d('0.00').isZero()).toBe(true);
  });

  test('is immutable', () => {
    const x = d('1.5');
    expect(Object.isFrozen(x)).toBe(true);
    expect(() => {
      (x as unknown as { scale: number }).scale = 3;
    }).toThrow();
  });

  test('compareTo ignores scale, equals does not', () => {
    expect(d('1.5').compareTo(d('1.50'))).toBe(0);
    expect(d('1.5').equals(d('1.50'))).toBe(false);
    expect(d('1.50').equals(d('1.50'))).toBe(true);
    expect(d('-1').compareTo(d('0.5'))).toBe(-1);
    expect(d('1E+2').compareTo(d('99.99'))).toBe(1);
    expect(d('1').equals(1)).toBe(false);
  });
});

describe('rounding modes (the java.math.RoundingMode table)', () => {
  const modes: RoundingMode[] = ['UP', 'DOWN', 'CEILING', 'FLOOR', 'HALF_UP', 'HALF_DOWN', 'HALF_EVEN'];
  const table: [string, string[]][] = [
    ['5.5', ['6', '5', '6', '5', '6', '5', '6']],
    ['2.5', ['3', '2', '3', '2', '3', '2', '2']],
    ['1.6', ['2', '1', '2', '1', '2', '2', '2']],
    ['1.1', ['2', '1', '2', '1', '1', '1', '1']],
    ['1.0', ['1', '1', '1', '1', '1', '1', '1']],
    ['-1.0', ['-1', '-1', '-1', '-1', '-1', '-1', '-1']],
    ['-1.1', ['-2', '-1', '-1', '-2', '-1', '-1', '-1']],
    ['-1.6', ['-2', '-1', '-1', '-2', '-2', '-2', '-2']],
    ['-2.5', ['-3', '-2', '-2', '-3', '-3', '-2', '-2']],
    ['-5.5', ['-6', '-5', '-5', '-6', '-6', '-5', '-6']],
  ];
  test.each(table)('%s', (input, expected) => {
    expect(modes.map((m) => d(input).setScale(0, m).toString())).toEqual(expected);
  });

  test('UNNECESSARY throws only when digits would be lost', () => {
    expect(() => d('1.25').setScale(1, 'UNNECESSARY')).toThrow('Rounding necessary');
    expect(d('1.20').setScale(1, 'UNNECESSARY').toString()).toBe('1.2');
  });

  test('setScale defaults to HALF_UP and pads when the scale grows', () => {
    expect(d('1.25').setScale(1).toString()).toBe('1.3');
    expect(d('-1.25').setScale(1).toString()).toBe('-1.3');
    expect(d('1.5').setScale(3).toString()).toBe('1.500');
    expect(d('1234').setScale(-2).toJavaString()).toBe('1.2E+3');
  });

  test('round keeps `precision` significant digits, handling a carry', () => {
    expect(d('123.456').round(4).toString()).toBe('123.5');
    expect(d('9.99').round(2).toString()).toBe('10');
    expect(parts(d('9.99').round(2))).toEqual([10n, 0]);
    expect(parts(d('999').round(2))).toEqual([10n, -2]);
    expect(d('999').round(2).toString()).toBe('1000');
    expect(d('0.012345').round(2, 'DOWN').toString()).toBe('0.012');
    expect(d('123.456').round(0)).toEqual(d('123.456'));
    expect(d('12').round(5)).toEqual(d('12'));
    expect(() => d('1.25').round(2, 'UNNECESSARY')).toThrow(SqlValueError);
  });

  test('stripTrailingZeros', () => {
    expect(parts(d('1.500').stripTrailingZeros())).toEqual([15n, 1]);
    expect(parts(d('100').stripTrailingZeros())).toEqual([1n, -2]);
    expect(parts(d('0.00').stripTrailingZeros())).toEqual([0n, 0]);
  });
});

describe('arithmetic', () => {
  test('add, subtract and multiply are exact with Java scales', () => {
    expect(d('1.5').add(d('2.25')).toString()).toBe('3.75');
    expect(d('1.50').subtract(d('0.5')).toString()).toBe('1.00');
    expect(d('10.01').add(d('-5.0')).toString()).toBe('5.01');
    expect(d('1.5').multiply(d('2.25')).toString()).toBe('3.375');
    expect(d('10.1').multiply(d('0.0')).toString()).toBe('0.00');
    expect(d('1E+2').add(d('1')).toString()).toBe('101');
  });

  test('divide to a scale, rounding', () => {
    expect(d('10').divide(d('3'), 2).toString()).toBe('3.33');
    expect(d('2').divide(d('3'), 2).toString()).toBe('0.67');
    expect(d('-2').divide(d('3'), 2).toString()).toBe('-0.67');
    expect(d('1').divide(d('8'), 2, 'HALF_EVEN').toString()).toBe('0.12');
    expect(d('1').divide(d('8'), 2, 'HALF_UP').toString()).toBe('0.13');
    expect(d('1').divide(d('-8'), 2, 'FLOOR').toString()).toBe('-0.13');
    expect(d('123.456').divide(d('0.1'), 0, 'DOWN').toString()).toBe('1234');
    expect(d('1E+3').divide(d('7'), 3).toString()).toBe('142.857');
  });

  test('division by zero throws', () => {
    expect(() => d('1').divide(d('0'), 2)).toThrow('Division by zero');
    expect(() => d('0').divide(d('0.0'), 2)).toThrow('Division undefined');
    expect(() => d('1').divideToPrecision(d('0'), 5)).toThrow(SqlValueError);
    expect(() => d('1').divideExact(d('0'))).toThrow(SqlValueError);
    expect(() => d('1').remainder(d('0'))).toThrow(SqlValueError);
  });

  test('divideToPrecision follows BigDecimal.divide(divisor, MathContext)', () => {
    expect(d('1').divideToPrecision(d('3'), 5).toString()).toBe('0.33333');
    expect(d('2').divideToPrecision(d('3'), 3, 'HALF_EVEN').toString()).toBe('0.667');
    expect(d('-2').divideToPrecision(d('3'), 3).toString()).toBe('-0.667');
    expect(d('10.1').divideToPrecision(d('2.0'), 11, 'UNNECESSARY').toString()).toBe('5.05');
    expect(d('100').divideToPrecision(d('4'), 5).toString()).toBe('25');
    expect(d('1.00').divideToPrecision(d('4'), 5).toString()).toBe('0.25');
    expect(d('6.0').divideToPrecision(d('2'), 5).toString()).toBe('3.0');
    expect(parts(d('9.99').divideToPrecision(d('1'), 2))).toEqual([10n, 0]);
    expect(d('0.00').divideToPrecision(d('7'), 3).toString()).toBe('0.00');
    expect(() => d('1').divideToPrecision(d('3'), 7, 'UNNECESSARY')).toThrow('Rounding necessary');
    expect(d('1').divideToPrecision(d('8'), 0).toString()).toBe('0.125');
  });

  test('divideExact returns the terminating quotient or throws', () => {
    expect(d('1').divideExact(d('8')).toString()).toBe('0.125');
    expect(d('1.0').divideExact(d('4')).toString()).toBe('0.25');
    expect(d('10').divideExact(d('4')).toString()).toBe('2.5');
    expect(d('1.00').divideExact(d('1')).toString()).toBe('1.00');
    expect(d('-6').divideExact(d('-2')).toString()).toBe('3');
    expect(() => d('1').divideExact(d('3'))).toThrow('Non-terminating decimal expansion');
  });

  test('remainder keeps the sign of the dividend and Java scales', () => {
    expect(d('10.1').remainder(d('2.0')).toString()).toBe('0.1');
    expect(d('-10.1').remainder(d('2.0')).toString()).toBe('-0.1');
    expect(d('10.1').remainder(d('-2.0')).toString()).toBe('0.1');
    expect(d('10.1').remainder(d('2.00')).toString()).toBe('0.10');
    expect(d('1.5').remainder(d('2.00')).toString()).toBe('1.5');
    expect(d('10').remainder(d('3')).toString()).toBe('1');
    expect(d('7.5').remainder(d('2')).toString()).toBe('1.5');
  });

  test('remainder with a precision rejects integer quotients that need more digits', () => {
    expect(() => d('100').remainder(d('3'), 1)).toThrow('Division impossible');
    expect(d('100').remainder(d('3'), 2).toString()).toBe('1');
    expect(d('1000').remainder(d('1'), 1).toString()).toBe('0');
  });

  test('divideToIntegralValue truncates with the preferred scale', () => {
    expect(d('10.1').divideToIntegralValue(d('2.0')).toString()).toBe('5');
    expect(d('10.10').divideToIntegralValue(d('2.0')).toString()).toBe('5.0');
    expect(parts(d('1000').divideToIntegralValue(d('0.1')))).toEqual([1000n, -1]);
    expect(d('-7').divideToIntegralValue(d('2')).toString()).toBe('-3');
  });
});

describe('conversions', () => {
  test('toNumber is BigDecimal.doubleValue', () => {
    expect(d('0.1').toNumber()).toBe(0.1);
    expect(d('1E+3').toNumber()).toBe(1000);
    expect(d('-10.12345').toNumber()).toBe(-10.12345);
    expect(d('123456789012345678901234567890').toNumber()).toBe(1.2345678901234568e29);
  });

  test('fromNumber goes through Double.toString like BigDecimal.valueOf(double)', () => {
    expect(parts(Decimal.fromNumber(0.1))).toEqual([1n, 1]);
    expect(parts(Decimal.fromNumber(1))).toEqual([10n, 1]);
    expect(Decimal.fromNumber(100).toString()).toBe('100.0');
    expect(parts(Decimal.fromNumber(1e7))).toEqual([10n, -6]);
    expect(Decimal.fromNumber(1e-5).toString()).toBe('0.000010');
    expect(Decimal.fromNumber(-3.21).toString()).toBe('-3.21');
    expect(() => Decimal.fromNumber(NaN)).toThrow(SqlValueError);
    expect(() => Decimal.fromNumber(Infinity)).toThrow(SqlValueError);
  });

  test('fromNumberExact is new BigDecimal(double)', () => {
    expect(Decimal.fromNumberExact(0.1).toString()).toBe('0.1000000000000000055511151231257827021181583404541015625');
    expect(Decimal.fromNumberExact(0.5).toString()).toBe('0.5');
    expect(Decimal.fromNumberExact(2).toString()).toBe('2');
    expect(Decimal.fromNumberExact(-0.25).toString()).toBe('-0.25');
    expect(Decimal.fromNumberExact(0).toString()).toBe('0');
  });

  test('fromBigInt and fromInteger have scale 0', () => {
    expect(parts(Decimal.fromBigInt(-12n))).toEqual([-12n, 0]);
    expect(parts(Decimal.fromInteger(42))).toEqual([42n, 0]);
    expect(() => Decimal.fromInteger(1.5)).toThrow(SqlValueError);
  });

  test('toBigInt, intValue and longValue truncate and wrap like Java', () => {
    expect(d('-1.9').toBigInt()).toBe(-1n);
    expect(d('1E+3').toBigInt()).toBe(1000n);
    expect(d('2147483648.9').intValue()).toBe(-2147483648);
    expect(d('-1.9').intValue()).toBe(-1);
    expect(d('10.01').intValue()).toBe(10);
    expect(d('9223372036854775808').longValue()).toBe(-9223372036854775808n);
    expect(d('12.99').longValue()).toBe(12n);
  });
});

describe('properties', () => {
  const decimalArb = fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -5, max: 20 }))
    .map(([u, s]) => new Decimal(u, s));
  const nonZero = decimalArb.filter((x) => !x.isZero());

  test('parse(toJavaString(x)) and parse(toPlainString(x)) give the same number', () => {
    fc.assert(
      fc.property(decimalArb, (x) => {
        expect(Decimal.parse(x.toJavaString()).equals(x)).toBe(true);
        expect(Decimal.parse(x.toPlainString()).compareTo(x)).toBe(0);
      }),
    );
  });

  test('(a + b) - b == a and compareTo agrees with subtraction', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, (a, b) => {
        expect(a.add(b).subtract(b).compareTo(a)).toBe(0);
        expect(a.compareTo(b)).toBe(a.subtract(b).signum());
      }),
    );
  });

  test('divide(b, scale, DOWN) * b + remainder-like rest stays within one unit', () => {
    fc.assert(
      fc.property(decimalArb, nonZero, fc.integer({ min: 0, max: 12 }), (a, b, scale) => {
        const q = a.divide(b, scale, 'DOWN');
        const ulp = new Decimal(1n, scale);
        const rest = a.subtract(q.multiply(b));
        // |rest| < |b| * ulp, and rest has the sign of a (or is zero).
        expect(rest.abs().compareTo(b.abs().multiply(ulp))).toBe(-1);
        expect(rest.signum() === 0 || rest.signum() === a.signum()).toBe(true);
      }),
    );
  });

  test('HALF_UP division is within half a unit of the exact quotient', () => {
    fc.assert(
      fc.property(decimalArb, nonZero, fc.integer({ min: 0, max: 12 }), (a, b, scale) => {
        const q = a.divide(b, scale, 'HALF_UP');
        const error = q.multiply(b).subtract(a).abs();
        const half = b.abs().multiply(new Decimal(5n, scale + 1));
        expect(error.compareTo(half)).toBeLessThanOrEqual(0);
      }),
    );
  });

  test('divideToPrecision gives at most `precision` digits, within one unit in the last place', () => {
    fc.assert(
      fc.property(decimalArb, nonZero, fc.integer({ min: 1, max: 20 }), (a, b, precision) => {
        const q = a.divideToPrecision(b, precision, 'HALF_EVEN');
        expect(q.precision()).toBeLessThanOrEqual(precision);
        if (q.isZero()) return;
        const ulp = new Decimal(1n, q.scale);
        const error = q.multiply(b).subtract(a).abs();
        expect(error.compareTo(b.abs().multiply(ulp))).toBeLessThanOrEqual(0);
      }),
    );
  });

  test('a == b * divideToIntegralValue(a, b) + remainder(a, b)', () => {
    fc.assert(
      fc.property(decimalArb, nonZero, (a, b) => {
        const q = a.divideToIntegralValue(b);
        expect(q.multiply(b).add(a.remainder(b)).compareTo(a)).toBe(0);
        expect(a.remainder(b).abs().compareTo(b.abs())).toBe(-1);
      }),
    );
  });

  test('toNumber matches parsing the plain text', () => {
    fc.assert(
      fc.property(decimalArb, (x) => {
        expect(x.toNumber()).toBe(Number(x.toPlainString()));
      }),
    );
  });
});
