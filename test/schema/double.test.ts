import fc from 'fast-check';
import { exactDecimalOfDouble, formatDouble, javaTrim, parseDouble } from '../../src/schema/double.js';
import { SqlValueError } from '../../src/schema/errors.js';

describe('formatDouble (Java Double.toString)', () => {
  test.each([
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [10.3, '10.3'],
    [13.21, '13.21'],
    [-3.21, '-3.21'],
    [100, '100.0'],
    [9999999, '9999999.0'],
    [1e7, '1.0E7'],
    [123456789, '1.23456789E8'],
    [0.001, '0.001'],
    [0.002, '0.002'],
    [0.0001, '1.0E-4'],
    [1.234e-5, '1.234E-5'],
    [2e-5, '2.0E-5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [5e-324, '4.9E-324'],
    [-5e-324, '-4.9E-324'],
    [2.2250738585072014e-308, '2.2250738585072014E-308'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    [-Number.MAX_VALUE, '-1.7976931348623157E308'],
    [1e23, '1.0E23'],
    [1e21, '1.0E21'],
    [8682.459061368269, '8682.459061368269'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('%p -> %s', (value, text) => {
    expect(formatDouble(value)).toBe(text);
  });

  test('round-trips every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(Number(formatDouble(x)), x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseDouble (ksqlDB SqlDoubles)', () => {
  test.each([
    [' 1.5 ', 1.5],
    ['1e3', 1000],
    ['-2.5E-1', -0.25],
    ['.5', 0.5],
    ['5.', 5],
    ['+7', 7],
    ['NaN', NaN],
    ['-Infinity', -Infinity],
    ['1e400', Infinity],
  ])('%j -> %p', (text, value) => {
    expect(parseDouble(text)).toBe(value);
  });

  test.each(['1d', '2.5f', '0x1p3', 'abc', '', '  ', '1e', '1.2.3', 'inf'])('rejects %j', (text) => {
    expect(() => parseDouble(text)).toThrow(SqlValueError);
  });

  test('javaTrim strips control characters and spaces only', () => {
    expect(javaTrim('\t\n 1 \u0000')).toBe('1');
    expect(javaTrim('\u00a01\u00a0')).toBe('\u00a01\u00a0');
  });
});

describe('exactDecimalOfDouble', () => {
  test('gives the exact binary value with the smallest scale', () => {
    expect(exactDecimalOfDouble(0.5)).toEqual({ unscaled: 5n, scale: 1 });
    expect(exactDecimalOfDouble(-3)).toEqual({ unscaled: -3n, scale: 0 });
    expect(exactDecimalOfDouble(2 ** 60)).toEqual({ unscaled: 2n ** 60n, scale: 0 });
    expect(exactDecimalOfDouble(5e-324).scale).toBe(1074);
    expect(() => exactDecimalOfDouble(NaN)).toThrow(SqlValueError);
  });
});
