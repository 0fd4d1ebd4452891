/**
 * How `x IN (...)` types its list: one type for the operand and every item, the
 * widest of those whose type is fixed; string literals (also inside constructors)
 * read as that type afterwards; other literals compared as text with a STRING.
 * Cases in the QTT format, run by the engine's own runner.
 */
import { runCase, type QttCase } from '../../src/engine/index.js';
import { toJson } from '../../src/engine/qtt/json.js';

interface Rec {
  readonly topic: string;
  readonly value?: unknown;
}

async function check(statements: readonly string[], io: { inputs?: readonly Rec[]; outputs?: readonly Rec[]; error?: string }): Promise<void> {
  const records = (rs: readonly Rec[] = []): QttCase['inputs'] => rs.map(({ value, ...r }) => ({ ...r, ...(value !== undefined ? { value: toJson(value) } : {}) }));
  const result = await runCase({
    file: 'in-list.test.ts',
    name: 'case',
    format: null,
    properties: {},
    topics: [],
    statements,
    inputs: records(io.inputs),
    outputs: records(io.outputs),
    ...(io.error !== undefined ? { expectedException: { message: io.error } } : {}),
  });
  expect(result.message).toBe('');
  expect(result.status).toBe('pass');
}

const source = "CREATE STREAM S (N INT, B BIGINT, D DOUBLE, T STRING) WITH (kafka_topic='s', value_format='JSON');";

test('a string literal is read as the widened type, not as the operand type', async () => {
  // N is INT, D makes the list DOUBLE: '7.5' is 7.5, and N = 7 does not match it.
  await check([source, "CREATE STREAM O AS SELECT N FROM S WHERE N IN ('7.5', D, '8.0');"], {
    inputs: [
      { topic: 's', value: { N: 7, D: 0 } },
      { topic: 's', value: { N: 8, D: 0 } },
      { topic: 's', value: { N: 3, D: 3.0 } },
    ],
    outputs: [
      { topic: 'O', value: { N: 8 } },
      { topic: 'O', value: { N: 3 } },
    ],
  });
});

test('a STRING operand compares other literals as their text', async () => {
  await check([source, "CREATE STREAM O AS SELECT T FROM S WHERE T IN (false, 42, 1.50);"], {
    inputs: [
      { topic: 's', value: { T: 'false' } },
      { topic: 's', value: { T: '42' } },
      { topic: 's', value: { T: '1.5' } },
      { topic: 's', value: { T: '1.50' } },
    ],
    outputs: [
      { topic: 'O', value: { T: 'false' } },
      { topic: 'O', value: { T: '42' } },
      { topic: 'O', value: { T: '1.50' } },
    ],
  });
});

test('a STRING operand does not take a column of another type', async () => {
  await check([source, "CREATE STREAM O AS SELECT T FROM S WHERE T IN ('a', B);"], {
    error: 'Invalid Predicate: operator does not exist: STRING = BIGINT (B)',
  });
});

test('strings inside an array constructor are read as the element type, and one that is not a number fails', async () => {
  const arrays = "CREATE STREAM A (V ARRAY<BIGINT>) WITH (kafka_topic='a', value_format='JSON');";
  await check([arrays, "CREATE STREAM O AS SELECT V FROM A WHERE V IN (ARRAY['1', '2'], ARRAY['9007199254740993']);"], {
    inputs: [
      { topic: 'a', value: { V: [1, 2] } },
      { topic: 'a', value: { V: [2, 1] } },
    ],
    outputs: [{ topic: 'O', value: { V: [1, 2] } }],
  });
  await check([arrays, "CREATE STREAM O AS SELECT V FROM A WHERE V IN (ARRAY['1', 'two']);"], {
    error: 'Invalid Predicate: invalid input syntax for type BIGINT: "two"',
  });
});

test('the error names the type widened so far', async () => {
  await check([source, 'CREATE STREAM O AS SELECT N FROM S WHERE N IN (B, D, true);'], {
    error: 'Invalid Predicate: operator does not exist: DOUBLE = BOOLEAN (true)',
  });
});
