import { assignRanges } from '../../src/broker/assignor.js';

const tps = (topic: string, ...partitions: number[]) => partitions.map((partition) => ({ topic, partition }));

describe('assignRanges (Kafka RangeAssignor)', () => {
  test('a lone member gets every partition of its topics', () => {
    const result = assignRanges([{ memberId: 'a', topics: ['t'] }], new Map([['t', 3]]));
    expect(result.get('a')).toEqual(tps('t', 0, 1, 2));
  });

  test('contiguous ranges, the first n % m members taking one more', () => {
    const members = ['a', 'b', 'c'].map((memberId) => ({ memberId, topics: ['t'] }));
    const result = assignRanges(members, new Map([['t', 7]]));
    expect(result.get('a')).toEqual(tps('t', 0, 1, 2));
    expect(result.get('b')).toEqual(tps('t', 3, 4));
    expect(result.get('c')).toEqual(tps('t', 5, 6));
  });

  test('co-partitioned topics land together, member by member', () => {
    const members = ['a', 'b'].map((memberId) => ({ memberId, topics: ['left', 'right'] }));
    const result = assignRanges(members, new Map([['right', 4], ['left', 4]]));
    expect(result.get('a')).toEqual([...tps('left', 0, 1), ...tps('right', 0, 1)]);
    expect(result.get('b')).toEqual([...tps('left', 2, 3), ...tps('right', 2, 3)]);
  });

  test('more members than partitions leaves some idle', () => {
    const members = ['a', 'b', 'c'].map((memberId) => ({ memberId, topics: ['t'] }));
    const result = assignRanges(members, new Map([['t', 2]]));
    expect(result.get('a')).toEqual(tps('t', 0));
    expect(result.get('b')).toEqual(tps('t', 1));
    expect(result.get('c')).toEqual([]);
  });

  test('a topic goes only to the members subscribed to it', () => {
    const result = assignRanges(
      [
        { memberId: 'a', topics: ['x'] },
        { memberId: 'b', topics: ['x', 'y'] },
      ],
      new Map([['x', 2], ['y', 2]]),
    );
    expect(result.get('a')).toEqual(tps('x', 0));
    expect(result.get('b')).toEqual([...tps('x', 1), ...tps('y', 0, 1)]);
  });

  test('topics without a count (absent) are skipped', () => {
    const result = assignRanges([{ memberId: 'a', topics: ['gone', 't'] }], new Map([['t', 1]]));
    expect(result.get('a')).toEqual(tps('t', 0));
  });
});
