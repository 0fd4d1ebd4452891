import fc from 'fast-check';
import { bigintToBytes, bytesToBigint, formatFloat } from '../../src/serde/numbers.js';
import { hex } from './helpers.js';

describe('BigInteger bytes', () => {
  test.each([
    [0n, '00'],
    [1n, '01'],
    [127n, '7f'],
    [128n, '0080'],
    [255n, '00ff'],
    [-1n, 'ff'],
    [-128n, '80'],
    [-129n, 'ff7f'],
    [1234n, '04d2'],
    [-9223372036854775808n, '8000000000000000'],
  ])('toByteArray(%s) = %s', (v, expected) => {
    expect(hex(bigintToBytes(v))).toBe(expected);
    expect(bytesToBigint(bigintToBytes(v))).toBe(v);
  });

  test('round trip', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), (v) => bytesToBigint(bigintToBytes(v)) === v));
  });
});

describe('Float.toString', () => {
  test.each([
    [Math.fround(1.1), '1.1'],
    [Math.fround(1.1234), '1.1234'],
    [4, '4.0'],
    [Math.fround(1e10), '1.0E10'],
    [Math.fround(3.4028235e38), '3.4028235E38'],
    [Math.fround(1.4e-45), '1.4E-45'],
    [NaN, 'NaN'],
  ])('%p -> %s', (f, expected) => {
    expect(formatFloat(f)).toBe(expected);
  });
});
