import { FUNCTIONS } from '../../../src/functions/aggregates/index.js';
import { registry } from '../calls.js';
import { agg } from './run.js';

describe('built-in aggregates', () => {
  it('are registered as AGGREGATE functions', () => {
    const names = FUNCTIONS.map((f) => f.name.toUpperCase()).sort();
    expect(names).toEqual([
      'ATTR', 'AVG', 'COLLECT_LIST', 'COLLECT_SET', 'CORRELATION', 'COUNT', 'COUNT_DISTINCT', 'EARLIEST_BY_OFFSET', 'HISTOGRAM',
      'LATEST_BY_OFFSET', 'MAX', 'MIN', 'STDDEV_SAMP', 'STDDEV_SAMPLE', 'SUM', 'SUM_LIST', 'TOPK', 'TOPKDISTINCT',
    ]);
    for (const name of names) {
      expect(registry.kindOf(name)).toBe('AGGREGATE');
      expect(registry.describe(name)).toMatchObject({ kind: 'AGGREGATE', category: 'AGGREGATE' });
    }
  });

  // ksqlDB's TableUdafs: the functions that can aggregate a table source.
  const undoable: [string, string[], unknown[]][] = [
    ['COUNT', ['INTEGER'], []],
    ['SUM', ['INTEGER'], []],
    ['SUM_LIST', ['ARRAY<INT>'], []],
    ['AVG', ['INTEGER'], []],
    ['COLLECT_LIST', ['INTEGER'], []],
    ['HISTOGRAM', ['STRING'], []],
    ['STDDEV_SAMP', ['INTEGER'], []],
    ['STDDEV_SAMPLE', ['INTEGER'], []],
    ['CORRELATION', ['DOUBLE', 'DOUBLE'], []],
    ['ATTR', ['INTEGER'], []],
  ];
  const streamOnly: [string, string[], unknown[]][] = [
    ['COUNT_DISTINCT', ['INTEGER'], []],
    ['MIN', ['INTEGER'], []],
    ['MAX', ['INTEGER'], []],
    ['COLLECT_SET', ['INTEGER'], []],
    ['TOPK', ['INTEGER', 'INTEGER'], [2]],
    ['TOPKDISTINCT', ['INTEGER', 'INTEGER'], [2]],
    ['EARLIEST_BY_OFFSET', ['INTEGER'], []],
    ['LATEST_BY_OFFSET', ['INTEGER', 'INTEGER', 'BOOLEAN'], [2, false]],
  ];

  it.each(undoable)('%s can undo and merge', (name, types, literals) => {
    const a = agg(name, types, literals);
    expect(typeof a.undo).toBe('function');
    expect(typeof a.merge).toBe('function');
    expect(a.intermediateType).toBeDefined();
  });

  it.each(streamOnly)('%s merges but cannot undo', (name, types, literals) => {
    const a = agg(name, types, literals);
    expect(a.undo).toBeUndefined();
    expect(typeof a.merge).toBe('function');
    expect(a.intermediateType).toBeDefined();
  });
});
