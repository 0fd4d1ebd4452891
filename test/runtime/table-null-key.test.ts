/**
 * A table source record without a key is no row's change: it is skipped (and logged),
 * and the query goes on with the next records instead of failing at its sink.
 */
import { runCase } from '../../src/engine/index.js';
import { toJson } from '../../src/engine/qtt/json.js';

test('a table record with a null key is skipped; the ones after it still arrive', async () => {
  const result = await runCase({
    file: 'table-null-key.test.ts',
    name: 'null key',
    format: null,
    properties: {},
    topics: [],
    statements: [
      "CREATE TABLE INPUT (K INT PRIMARY KEY, V INT) WITH (kafka_topic='t', format='JSON');",
      'CREATE TABLE OUTPUT AS SELECT * FROM INPUT;',
    ],
    inputs: [
      { topic: 't', key: toJson(1), value: toJson({ V: 10 }) },
      { topic: 't', key: null, value: toJson({ V: 20 }) },
      { topic: 't', key: toJson(2), value: toJson({ V: 30 }) },
    ],
    outputs: [
      { topic: 'OUTPUT', key: toJson(1), value: toJson({ V: 10 }) },
      { topic: 'OUTPUT', key: toJson(2), value: toJson({ V: 30 }) },
    ],
  });
  expect(result.message).toBe('');
  expect(result.status).toBe('pass');
});
