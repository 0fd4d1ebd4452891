/**
 * Join planning, end to end on the engine over the in-memory broker: the result's
 * key (viable key columns, the synthetic ROWKEY of FULL OUTER joins and of joins on
 * expressions), ksqlDB's checks and their messages, and what a table join's key
 * means downstream (aggregations and filters retract by it). Cases are written in
 * the QTT format of ../shared/qtt and run by the engine's own runner.
 */
import { runCase, type QttCase } from '../../src/engine/index.js';
import { toJson } from '../../src/engine/qtt/json.js';

/** A record written with plain numbers, as the QTT files' JSON reads. */
interface Rec {
  readonly topic: string;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly timestamp?: number;
}

type Case = Omit<Partial<QttCase>, 'inputs' | 'outputs'> & { readonly statements: readonly string[]; readonly inputs?: readonly Rec[]; readonly outputs?: readonly Rec[] };

const records = (rs: readonly Rec[] = []): QttCase['inputs'] =>
  rs.map(({ key, value, ...r }) => ({ ...r, ...(key !== undefined ? { key: toJson(key) } : {}), ...(value !== undefined ? { value: toJson(value) } : {}) }));

async function check(c: Case): Promise<void> {
  const result = await runCase({
    file: 'join.test.ts',
    name: 'case',
    format: null,
    properties: {},
    topics: [],
    ...c,
    inputs: records(c.inputs),
    outputs: records(c.outputs),
  });
  expect(result.message).toBe('');
  expect(result.status).toBe('pass');
}

/** The statements must fail with a message containing `message`. */
const fails = (statements: readonly string[], message: string) => check({ statements, expectedException: { message } });

const TABLES = [
  "CREATE TABLE L (ID BIGINT PRIMARY KEY, NAME STRING, V BIGINT) WITH (kafka_topic='l', value_format='JSON');",
  "CREATE TABLE R (ID BIGINT PRIMARY KEY, F1 STRING, F2 BIGINT) WITH (kafka_topic='r', value_format='JSON');",
];
const STREAMS = [
  "CREATE STREAM L (A INT KEY, B INT, C INT) WITH (kafka_topic='l', value_format='JSON');",
  "CREATE STREAM R (A INT KEY, B INT, C INT) WITH (kafka_topic='r', value_format='JSON');",
];

describe('the synthetic key of a FULL OUTER join', () => {
  test('is the join value from whichever side has a row, selected as ROWKEY', async () => {
    await check({
      statements: [...TABLES, 'CREATE TABLE OUTPUT AS SELECT ROWKEY AS ID, NAME, F1 FROM L FULL OUTER JOIN R ON L.ID = R.ID;'],
      inputs: [
        { topic: 'l', key: 0, value: { NAME: 'zero', V: 0 }, timestamp: 0 },
        { topic: 'r', key: 15, value: { F1: 'c', F2: 20 }, timestamp: 10 },
        { topic: 'r', key: 0, value: { F1: 'a', F2: 10 }, timestamp: 20 },
      ],
      outputs: [
        { topic: 'OUTPUT', key: 0, value: { NAME: 'zero', F1: null }, timestamp: 0 },
        { topic: 'OUTPUT', key: 15, value: { NAME: null, F1: 'c' }, timestamp: 10 },
        { topic: 'OUTPUT', key: 0, value: { NAME: 'zero', F1: 'a' }, timestamp: 20 },
      ],
      post: { sources: [{ name: 'OUTPUT', type: 'table', schema: 'ID BIGINT KEY, NAME STRING, F1 STRING' }] },
    });
  });

  test('comes first in SELECT *, which names every source column by its source', async () => {
    await check({
      statements: [...STREAMS, 'CREATE STREAM OUTPUT AS SELECT * FROM L FULL OUTER JOIN R WITHIN 10 SECONDS ON L.A = R.A;'],
      post: { sources: [{ name: 'OUTPUT', type: 'stream', schema: 'ROWKEY INT KEY, L_A INT, L_B INT, L_C INT, R_A INT, R_B INT, R_C INT' }] },
    });
  });

  test('takes the first ROWKEY_n no source column uses', async () => {
    await check({
      statements: [
        "CREATE TABLE L (ROWKEY INT PRIMARY KEY, ROWKEY_1 INT) WITH (kafka_topic='l', value_format='JSON');",
        "CREATE TABLE R (ID INT PRIMARY KEY, ROWKEY_3 INT) WITH (kafka_topic='r', value_format='JSON');",
        'CREATE TABLE OUTPUT AS SELECT ROWKEY_2, L.ROWKEY_1, R.ROWKEY_3 FROM L FULL OUTER JOIN R ON L.ROWKEY = R.ID;',
      ],
      post: { sources: [{ name: 'OUTPUT', type: 'table', schema: 'ROWKEY_2 INT KEY, ROWKEY_1 INT, ROWKEY_3 INT' }] },
    });
  });

  test('must be selected', async () => {
    await fails(
      [...STREAMS, 'CREATE STREAM OUTPUT AS SELECT L.B, R.* FROM L FULL OUTER JOIN R WITHIN 10 SECONDS ON L.A = R.A;'],
      'The query used to build `OUTPUT` must include the join expression ROWKEY in its projection (eg, SELECT ROWKEY...).\nROWKEY was added as a synthetic key column because the join criteria did not match any source column.',
    );
  });

  test('keys a join on expressions, even a LEFT one', async () => {
    await check({
      statements: [...STREAMS, 'CREATE STREAM OUTPUT AS SELECT ROWKEY AS K, L.B, R.B FROM L LEFT JOIN R WITHIN 1 SECOND ON ABS(L.A) = ABS(R.A);'],
      inputs: [
        { topic: 'l', key: -1, value: { B: 2, C: 3 }, timestamp: 0 },
        { topic: 'r', key: 1, value: { B: 4, C: 5 }, timestamp: 100 },
      ],
      outputs: [
        { topic: 'OUTPUT', key: 1, value: { L_B: 2, R_B: null }, timestamp: 0 },
        { topic: 'OUTPUT', key: 1, value: { L_B: 2, R_B: 4 }, timestamp: 100 },
      ],
    });
  });

  test('of the last join of several is the only one a query sees', async () => {
    await check({
      statements: [
        ...TABLES,
        "CREATE TABLE T3 (ID BIGINT PRIMARY KEY, F3 STRING) WITH (kafka_topic='t3', value_format='JSON');",
        'CREATE TABLE OUTPUT AS SELECT ROWKEY AS ID, NAME, F1, F3 FROM L JOIN R ON L.ID = R.ID FULL JOIN T3 ON L.ID = T3.ID;',
      ],
      inputs: [
        { topic: 't3', key: 7, value: { F3: 'x' }, timestamp: 0 },
        { topic: 'l', key: 7, value: { NAME: 'n', V: 1 }, timestamp: 1 },
        { topic: 'r', key: 7, value: { F1: 'f', F2: 2 }, timestamp: 2 },
      ],
      outputs: [
        { topic: 'OUTPUT', key: 7, value: { NAME: null, F1: null, F3: 'x' }, timestamp: 0 },
        { topic: 'OUTPUT', key: 7, value: { NAME: 'n', F1: 'f', F3: 'x' }, timestamp: 2 },
      ],
    });
  });
});

describe('the key of a join on columns', () => {
  test('is the first viable key column in join order that the projection selects', async () => {
    await check({
      statements: [
        "CREATE STREAM TEST (ID BIGINT KEY, NAME STRING) WITH (kafka_topic='left', value_format='JSON');",
        "CREATE STREAM TEST_STREAM (ID BIGINT KEY, F1 STRING) WITH (kafka_topic='right', value_format='JSON');",
        'CREATE STREAM OUTPUT AS SELECT T.*, TT.NAME, TT.ID FROM TEST TT JOIN TEST_STREAM T WITHIN 1 SECOND ON T.ID = TT.ID;',
      ],
      post: { sources: [{ name: 'OUTPUT', type: 'stream', schema: 'TT_ID BIGINT KEY, T_ID BIGINT, T_F1 STRING, NAME STRING' }] },
    });
  });

  test('can be selected only once', async () => {
    await fails(
      [...STREAMS, 'CREATE STREAM OUTPUT AS SELECT L.A, L.A AS KEY2, L.C, R.C FROM L JOIN R WITHIN 10 SECONDS ON L.A = R.A;'],
      'The projection contains a key column (`L_A`) more than once, aliased as: KEY2 and L_A.',
    );
  });

  test('is named in the join order in the message for a projection without it', async () => {
    await fails(
      [
        "CREATE STREAM S1 (ID INT KEY, V0 BIGINT) WITH (kafka_topic='s1', value_format='JSON');",
        "CREATE TABLE T2 (ID INT PRIMARY KEY, V0 BIGINT) WITH (kafka_topic='t2', value_format='JSON');",
        "CREATE TABLE T3 (ID INT PRIMARY KEY, V0 BIGINT) WITH (kafka_topic='t3', value_format='JSON');",
        'CREATE STREAM OUTPUT AS SELECT S1.V0, T2.V0, T3.V0 FROM S1 JOIN T2 ON S1.ID = T2.ID JOIN T3 ON S1.ID = T3.ID;',
      ],
      'must include the join expressions S1.ID, T2.ID or T3.ID in its projection (eg, SELECT S1.ID...).',
    );
  });

  test('of a keyless stream repartitioned for a table takes the default key format', async () => {
    await check({
      statements: [
        "CREATE TABLE T (ID INT PRIMARY KEY, VAL STRING) WITH (kafka_topic='t', key_format='KAFKA', value_format='JSON');",
        "CREATE STREAM S (ID INT, FOO INT) WITH (kafka_topic='s', key_format='NONE', value_format='JSON');",
        'CREATE STREAM OUTPUT AS SELECT S.ID, VAL FROM S LEFT JOIN T ON S.ID = T.ID;',
      ],
      post: { sources: [{ name: 'OUTPUT', type: 'stream', keyFormat: { format: 'KAFKA' } }] },
    });
  });

  test('cannot be a map', async () => {
    await fails(
      [
        "CREATE STREAM L (ID STRING KEY, L0 MAP<STRING, INT>, L1 INT) WITH (kafka_topic='l', format='JSON');",
        "CREATE STREAM R (ID STRING KEY, R0 MAP<STRING, INT>, R1 INT) WITH (kafka_topic='r', format='JSON');",
        'CREATE STREAM OUTPUT AS SELECT L.L0, L.ID, L1, R1 FROM L JOIN R WITHIN 11 SECONDS ON L.L0 = R.R0;',
      ],
      'Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `L_L0`.',
    );
  });
});

describe('foreign-key joins', () => {
  const LEFT = "CREATE TABLE LT (L_ID BIGINT PRIMARY KEY, L_FK BIGINT PRIMARY KEY, NAME STRING) WITH (kafka_topic='l', format='JSON');";
  const RIGHT = "CREATE TABLE RT (R_ID BIGINT PRIMARY KEY, F1 STRING) WITH (kafka_topic='r', format='JSON');";

  test('on one column of a multi-column primary key are keyed by the whole key', async () => {
    await check({
      statements: [LEFT, RIGHT, 'CREATE TABLE OUTPUT AS SELECT L_ID, L_FK, R_ID, NAME, F1 FROM LT JOIN RT ON L_FK = R_ID;'],
      inputs: [
        { topic: 'r', key: 0, value: { F1: 'blah' }, timestamp: 0 },
        { topic: 'l', key: { L_ID: 1, L_FK: 0 }, value: { NAME: 'zero' }, timestamp: 10 },
      ],
      outputs: [{ topic: 'OUTPUT', key: { L_ID: 1, L_FK: 0 }, value: { R_ID: 0, NAME: 'zero', F1: 'blah' }, timestamp: 10 }],
      post: { sources: [{ name: 'OUTPUT', type: 'table', schema: 'L_ID BIGINT KEY, L_FK BIGINT KEY, R_ID BIGINT, NAME STRING, F1 STRING' }] },
    });
  });

  test('name the missing primary key columns of the left table', async () => {
    await fails(
      [LEFT, RIGHT, 'CREATE TABLE OUTPUT AS SELECT L_ID, NAME, F1 FROM LT JOIN RT ON NAME = F1;'],
      'Invalid join condition: table-table joins require to join on the primary key of the right input table. Got LT.NAME = RT.F1.',
    );
    await fails(
      [LEFT, RIGHT, 'CREATE TABLE OUTPUT AS SELECT NAME, F1 FROM LT LEFT JOIN RT ON L_FK = R_ID;'],
      'Primary key columns missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (`LT`). Missing columns: `L_ID`, `L_FK`.',
    );
  });
});

describe("ksqlDB's checks", () => {
  test('quote the join condition as written', async () => {
    await fails(
      [...TABLES, 'CREATE TABLE OUTPUT AS SELECT L.ID, NAME, F1 FROM L JOIN R ON R.F2 = L.ID;'],
      'Invalid join condition: table-table joins require to join on the primary key of the right input table. Got R.F2 = L.ID.',
    );
  });

  test('take a table with a multi-column key as joined on its key only on all of it', async () => {
    await fails(
      [
        "CREATE STREAM S (K STRING KEY, ID STRING) WITH (kafka_topic='s', format='JSON');",
        "CREATE TABLE T (K STRING PRIMARY KEY, K2 STRING PRIMARY KEY, NAME STRING) WITH (kafka_topic='t', format='JSON');",
        'CREATE STREAM OUTPUT AS SELECT S.K, NAME FROM S JOIN T ON S.K = T.K;',
      ],
      "Invalid join condition: stream-table joins require to join on the table's primary key. Got S.K = T.K.",
    );
  });

  test('reject an unknown qualifier before resolving names', async () => {
    await fails([...TABLES, 'CREATE TABLE OUTPUT AS SELECT L.ID, NAME FROM L JOIN R ON ID = UNKNOWN.ID;'], "Failed to prepare statement: 'UNKNOWN' is not a valid stream/table name or alias.");
  });

  test('reject a condition on one source anywhere in the FROM clause first', async () => {
    await fails(
      [
        "CREATE STREAM S1 (ID INT KEY, V0 BIGINT) WITH (kafka_topic='s1', value_format='JSON');",
        "CREATE TABLE T2 (ID INT PRIMARY KEY, V0 BIGINT) WITH (kafka_topic='t2', value_format='JSON');",
        "CREATE TABLE T3 (ID INT PRIMARY KEY, V0 BIGINT) WITH (kafka_topic='t3', value_format='JSON');",
        'CREATE STREAM OUTPUT AS SELECT * FROM S1 JOIN T2 ON S1.V0 = T2.V0 JOIN T3 ON S1.V0 = S1.V0;',
      ],
      'Each side of the join must reference exactly one source and not the same source. Left side references `S1` and right references `S1`',
    );
  });

  test('reject repartitioning a windowed source, or changing its window', async () => {
    const windowed = (name: string, topic: string, window: string) =>
      `CREATE STREAM ${name} (ID INT KEY, V INT) WITH (kafka_topic='${topic}', value_format='JSON', ${window});`;
    const message = 'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.';
    await fails(
      [windowed('S1', 'l', "WINDOW_TYPE='SESSION'"), windowed('S2', 'r', "WINDOW_TYPE='SESSION'"), 'CREATE STREAM OUTPUT AS SELECT * FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.V = S2.V;'],
      message,
    );
    await fails(
      [
        windowed('S1', 'l', "WINDOW_TYPE='HOPPING', WINDOW_SIZE='5 SECONDS'"),
        windowed('S2', 'r', "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='2 SECONDS'"),
        'CREATE STREAM OUTPUT AS SELECT *, S1.ROWTIME, S2.ROWTIME FROM S1 JOIN S2 WITHIN 1 MINUTE ON S1.ID = S2.ID;',
      ],
      message,
    );
  });

  test('reject a reserved name selected under its own name', async () => {
    await fails(
      [...STREAMS, 'CREATE STREAM OUTPUT AS SELECT L.A, L.ROWTIME AS ROWTIME, L.B FROM L JOIN R WITHIN 1 SECOND ON L.A = R.A;'],
      'Reserved column name in select: `ROWTIME`. Please remove or alias the column.',
    );
  });

  test('name pseudo-columns by their source, as every source has them', async () => {
    await check({
      statements: [...STREAMS, 'CREATE STREAM OUTPUT AS SELECT L.A, L.B, L.ROWTIME, R.ROWTIME FROM L JOIN R WITHIN 1 SECOND ON L.A = R.A;'],
      post: { sources: [{ name: 'OUTPUT', type: 'stream', schema: 'L_A INT KEY, L_B INT, L_ROWTIME BIGINT, R_ROWTIME BIGINT' }] },
    });
  });
});

describe('what follows a join', () => {
  test('an aggregation over a table join retracts the row a change replaces, by the join key', async () => {
    await check({
      statements: [
        "CREATE TABLE T1 (ID BIGINT PRIMARY KEY, TOTAL INT) WITH (kafka_topic='T1', value_format='JSON');",
        "CREATE TABLE T2 (ID BIGINT PRIMARY KEY, TOTAL INT) WITH (kafka_topic='T2', value_format='JSON');",
        'CREATE TABLE OUTPUT AS SELECT T1.ID, SUM(T1.TOTAL + COALESCE(T2.TOTAL, 0)) AS SUM FROM T1 LEFT JOIN T2 ON T1.ID = T2.ID GROUP BY T1.ID;',
      ],
      inputs: [
        { topic: 'T1', key: 0, value: { TOTAL: 100 } },
        { topic: 'T2', key: 0, value: { TOTAL: 5 } },
        { topic: 'T2', key: 0, value: null },
      ],
      outputs: [
        { topic: 'OUTPUT', key: 0, value: { SUM: 100 } },
        { topic: 'OUTPUT', key: 0, value: { SUM: 105 } },
        { topic: 'OUTPUT', key: 0, value: { SUM: 100 } },
      ],
    });
  });

  test('a windowed aggregation over a join cannot read the window bounds', async () => {
    await fails(
      [
        "CREATE STREAM A (ID STRING, COL1 STRING) WITH (kafka_topic='a', value_format='JSON');",
        "CREATE TABLE B (ID STRING PRIMARY KEY, COL1 STRING) WITH (kafka_topic='b', value_format='JSON');",
        'CREATE TABLE C AS SELECT A.ID, COUNT(*), WINDOWSTART AS WSTART FROM A JOIN B ON A.ID = B.ID WINDOW TUMBLING (SIZE 10 MILLISECONDS) GROUP BY A.ID;',
      ],
      "SELECT column 'WINDOWSTART' cannot be resolved.",
    );
  });

  test('PARTITION BY with SELECT * selects each source’s values, pseudo-columns and keys', async () => {
    await check({
      statements: [
        "CREATE STREAM L (A INT KEY, B INT, C INT) WITH (kafka_topic='l', value_format='JSON');",
        "CREATE STREAM R (X INT KEY, Y INT) WITH (kafka_topic='r', value_format='JSON');",
        'CREATE STREAM OUTPUT AS SELECT * FROM L JOIN R WITHIN 10 SECONDS ON L.A = R.X PARTITION BY L.B;',
      ],
      post: {
        sources: [
          {
            name: 'OUTPUT',
            type: 'stream',
            schema: 'L_B INT KEY, L_C INT, L_ROWTIME BIGINT, L_ROWPARTITION INT, L_ROWOFFSET BIGINT, L_A INT, R_Y INT, R_ROWTIME BIGINT, R_ROWPARTITION INT, R_ROWOFFSET BIGINT, R_X INT',
          },
        ],
      },
    });
  });
});
