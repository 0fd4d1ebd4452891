/**
 * PARTITION BY of a stream record without a value: key expressions over key columns
 * (and constants) are computed; one that reads any other column gives a null key.
 */
import { runCase } from '../../src/engine/index.js';
import { toJson } from '../../src/engine/qtt/json.js';

/** Two records, keys 1 and 2: the first without a value, the second with a null NAME. */
async function partitionedKeys(partitionBy: string, keys: readonly unknown[]): Promise<void> {
  const result = await runCase({
    file: 'partition-by-null.test.ts',
    name: partitionBy,
    format: null,
    properties: {},
    topics: [],
    statements: [
      "CREATE STREAM INPUT (ID INT KEY, NAME STRING) WITH (kafka_topic='t', format='JSON');",
      `CREATE STREAM OUTPUT AS SELECT * FROM INPUT PARTITION BY ${partitionBy};`,
    ],
    inputs: [
      { topic: 't', key: toJson(1), value: null, timestamp: 5 },
      { topic: 't', key: toJson(2), value: toJson({ NAME: null }), timestamp: 6 },
    ],
    outputs: [
      { topic: 'OUTPUT', key: toJson(keys[0]), value: null, timestamp: 5 },
      { topic: 'OUTPUT', key: toJson(keys[1]), value: toJson({ NAME: null, ID: 2 }), timestamp: 6 },
    ],
  });
  expect(result.message).toBe('');
  expect(result.status).toBe('pass');
}

describe('PARTITION BY of a record without a value', () => {
  test('an expression over a value column is a null key, whatever it would give for nulls', async () => {
    await partitionedKeys('(NAME IS NULL)', [null, true]);
    await partitionedKeys("COALESCE(NAME, 'none')", [null, 'none']);
  });

  test('key columns and constants are still computed', async () => {
    await partitionedKeys('ID + 1', [2, 3]);
    await partitionedKeys("'k'", ['k', 'k']);
  });

  test('ROWTIME is not a key column', async () => {
    await partitionedKeys('ROWTIME', [null, 6]);
  });
});
