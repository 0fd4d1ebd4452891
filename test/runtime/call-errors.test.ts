/**
 * A function that throws inside a projection gives null where it is called and
 * the rest of the expression is computed, as in ksqlDB: constructors keep their
 * other elements, IFNULL / COALESCE take their fallback. A WHERE or GROUP BY
 * that throws still drops the row. Cases in the QTT format, run by the engine's runner.
 */
import { runCase, type QttCase } from '../../src/engine/index.js';
import { toJson } from '../../src/engine/qtt/json.js';

interface Rec {
  readonly topic: string;
  readonly value?: unknown;
}

async function check(statements: readonly string[], inputs: readonly Rec[], outputs: readonly Rec[]): Promise<void> {
  const records = (rs: readonly Rec[]): QttCase['inputs'] => rs.map(({ value, ...r }) => ({ ...r, ...(value !== undefined ? { value: toJson(value) } : {}) }));
  const result = await runCase({ file: 'call-errors.test.ts', name: 'case', format: null, properties: {}, topics: [], statements, inputs: records(inputs), outputs: records(outputs) });
  expect(result.message).toBe('');
  expect(result.status).toBe('pass');
}

const source = "CREATE STREAM S (D STRING) WITH (kafka_topic='s', value_format='JSON');";

test('the failing call is null; the elements and fallbacks around it are computed', async () => {
  await check(
    [
      source,
      `CREATE STREAM O AS SELECT ARRAY[PARSE_DATE(D, 'yyyy-MM-dd'), PARSE_DATE('2020-01-02', 'yyyy-MM-dd')] AS A,
         STRUCT(OK := 1, BAD := PARSE_DATE(D, 'yyyy-MM-dd')) AS S,
         COALESCE(PARSE_DATE(D, 'yyyy-MM-dd'), PARSE_DATE(D, 'dd.MM.yyyy')) AS EITHER FROM S;`,
    ],
    [{ topic: 's', value: { D: '02.01.2020' } }],
    [{ topic: 'O', value: { A: [null, 18263], S: { OK: 1, BAD: null }, EITHER: 18263 } }],
  );
});

test('a WHERE whose function throws drops the row', async () => {
  await check(
    [source, "CREATE STREAM O AS SELECT D FROM S WHERE PARSE_DATE(D, 'yyyy-MM-dd') > PARSE_DATE('2000-01-01', 'yyyy-MM-dd');"],
    [{ topic: 's', value: { D: 'nope' } }, { topic: 's', value: { D: '2020-01-02' } }],
    [{ topic: 'O', value: { D: '2020-01-02' } }],
  );
});
