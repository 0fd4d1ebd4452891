import { cardinality, emptySketch, javaObjectHash, offer } from '../../../src/functions/aggregates/hyperloglog.js';
import { BIGINT, DOUBLE, INTEGER, STRING } from '../../../src/schema/index.js';

// Expected values computed with stream-lib's MurmurHash, RegisterSet and HyperLogLog code.
describe('MurmurHash of the Java objects ksqlDB offers (checked against stream-lib)', () => {
  const cases: [string, unknown, number][] = [
    ['INTEGER', 1, 1527037976],
    ['INTEGER', -1, -2037786185],
    ['INTEGER', 0, 0],
    ['INTEGER', 2147483647, -1595886004],
    ['INTEGER', -2147483648, 1331745164],
    ['BIGINT', 2147483648n, -430375848],
    ['BIGINT', -5n, 615997438],
    ['BIGINT', -9223372036854775808n, 630388283],
    ['DOUBLE', 1.5, -1688758945],
    ['DOUBLE', -0, 630388283],
    ['DOUBLE', 0, 0],
    ['DOUBLE', NaN, -813195245],
    ['STRING', 'one', 1448687641],
    ['STRING', 'two', -1859166203],
    ['STRING', 'a', 713507990],
    ['STRING', 'ab', -1797532438],
    ['STRING', 'abc', -1465591341],
    ['STRING', 'abcd', 1555318719],
    ['STRING', 'abcde', -392878951],
    ['STRING', 'étéÿ', 474282411],
    ['STRING', '€€€', 539021987],
    ['STRING', '', -1285986640],
  ];
  it.each(cases)('%s %p', (kind, value, expected) => {
    const type = { INTEGER, BIGINT, DOUBLE, STRING }[kind as 'INTEGER'];
    expect(javaObjectHash(type)(value)).toBe(expected);
  });
});

describe('HyperLogLog', () => {
  it('gives stream-lib estimates, collisions and all', () => {
    const hash = javaObjectHash(STRING);
    let sketch: readonly number[] = emptySketch();
    const expected = new Map([[1, 1n], [10, 10n], [100, 100n], [1000, 1000n], [5000, 4975n], [20000, 20334n], [100000, 99640n]]);
    for (let i = 0; i < 100000; i++) {
      sketch = offer(sketch, hash(`v${i}`));
      const e = expected.get(i + 1);
      if (e !== undefined) expect(cardinality(sketch)).toBe(e);
    }
    const longs = javaObjectHash(BIGINT);
    let l: readonly number[] = emptySketch();
    for (let i = 0; i < 50000; i++) l = offer(l, longs(BigInt(i) * 7919n));
    expect(cardinality(l)).toBe(51064n);
  });

  it('does not copy the sketch when no register grows', () => {
    const s = offer(emptySketch(), 12345);
    expect(offer(s, 12345)).toBe(s);
  });
});
