import fs from 'node:fs';
import { qttDir } from '../support/paths.js';
import path from 'node:path';
import {
  formatStatement,
  parseScript,
  parseStatement,
  ParseError,
  splitStatements,
  type Statement,
} from '../../src/parser/index.js';

/** The tree without positions: what round trips must preserve. */
function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node as Record<string, unknown>)
        .filter(([k]) => k !== 'loc')
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return node;
}

function roundTrip(sql: string): Statement {
  const first = parseStatement(sql);
  const printed = formatStatement(first);
  let second: Statement;
  try {
    second = parseStatement(printed);
  } catch (err) {
    throw new Error(`printed SQL does not parse: ${printed}\n${(err as Error).message}`);
  }
  expect(strip(second)).toEqual(strip(first));
  return first;
}

// One or more statements of every form of the dialect.
const EVERY_FORM = [
  "CREATE STREAM S (ID BIGINT KEY, NAME STRING, `mixed` INT, H ARRAY<STRUCT<`k` STRING, V BYTES>> HEADERS) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2)",
  "CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS T (ID INT PRIMARY KEY, V DECIMAL(4, 2), K BYTES HEADER('key')) WITH (KAFKA_TOPIC='t', FORMAT='AVRO')",
  "CREATE TABLE CUSTOMERS WITH (KAFKA_TOPIC='CUSTOMERS_SRC_REKEY', VALUE_FORMAT='AVRO', KEY='ID')",
  'CREATE STREAM X',
  "CREATE STREAM OUT WITH (PARTITIONS=1) AS SELECT * FROM S PARTITION BY ID",
  "CREATE OR REPLACE TABLE IF NOT EXISTS AGG AS SELECT ID, COUNT(*) AS C, AVG(V) FROM S WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 2 DAYS, GRACE PERIOD 10 SECONDS) WHERE V > 0 GROUP BY ID HAVING COUNT(*) > 1 EMIT FINAL",
  'CREATE TABLE H AS SELECT ID, COUNT(DISTINCT V) FROM S WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY ID EMIT CHANGES',
  'CREATE TABLE SS AS SELECT ID, WINDOWSTART, WINDOWEND, COUNT(*) FROM S WINDOW SESSION (30 SECONDS) GROUP BY ID',
  'INSERT INTO OUT SELECT * FROM S2',
  "INSERT INTO OUT WITH (QUERY_ID='q1') SELECT * FROM S2",
  "INSERT INTO S (ID, NAME) VALUES (1, 'a')",
  "INSERT INTO S VALUES (1, 'it''s', NULL, TRUE, 1.5, 1.5E3, -7, ARRAY[1, 2], MAP('a' := 1), STRUCT(A := 1, B := 'x'))",
  'SELECT * FROM S EMIT CHANGES LIMIT 10',
  'SELECT S.*, T.* FROM S JOIN T ON S.ID = T.ID EMIT CHANGES',
  'SELECT * FROM A INNER JOIN B WITHIN 1 HOUR ON A.ID = B.ID LEFT OUTER JOIN C WITHIN (1 SECOND, 2 MINUTES) GRACE PERIOD 3 SECONDS ON A.ID = C.ID RIGHT JOIN D ON A.ID = D.ID FULL OUTER JOIN E ON A.ID = E.ID EMIT CHANGES',
  'SELECT a + b * c - d / e % f, -x, +y, a || b, NOT a AND b OR c FROM s',
  "SELECT * FROM s WHERE a BETWEEN 1 AND 2 AND b NOT BETWEEN 3 AND 4 AND c IN (1, 2) AND d NOT IN ('x') AND e LIKE 'a%' AND f NOT LIKE 'a!%' ESCAPE '!'",
  'SELECT * FROM s WHERE a IS NULL AND b IS NOT NULL AND c IS DISTINCT FROM d AND e IS NOT DISTINCT FROM f AND g <> h AND i != j AND k <= l AND m >= n',
  "SELECT CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END, CASE a WHEN 1 THEN 'one' END FROM s",
  'SELECT CAST(a AS DECIMAL(10, 2)), CAST(b AS ARRAY<INT>), CAST(c AS MAP<STRING, ARRAY<BIGINT>>), CAST(d AS STRUCT<X INT, `y` STRING>), CAST(e AS VARCHAR) FROM s',
  "SELECT s->f->g, arr[1], m['k'], arr[1]->f, v1->* FROM s",
  'SELECT TRANSFORM(arr, x => x + 1), REDUCE(arr, 0, (s, x) => s + x), FILTER(m, (k, v) => v > 0) FROM s',
  'SELECT COUNT(*), COUNT(), COUNT(DISTINCT a), `lower`(x) FROM s',
  'SELECT a AS x, b y, 1R FROM s',
  'SHOW STREAMS', 'LIST STREAMS EXTENDED', 'SHOW TABLES', 'SHOW TABLES EXTENDED', 'SHOW QUERIES', 'SHOW QUERIES EXTENDED',
  'SHOW TOPICS', 'SHOW ALL TOPICS', 'SHOW TOPICS EXTENDED', 'LIST ALL TOPICS EXTENDED', 'SHOW PROPERTIES', 'SHOW FUNCTIONS',
  'SHOW TYPES', 'SHOW VARIABLES', 'SHOW CONNECTORS', 'SHOW SOURCE CONNECTORS', 'LIST SINK CONNECTORS',
  'DESCRIBE S', 'DESCRIBE S EXTENDED', 'DESCRIBE EXTENDED S', 'DESCRIBE STREAMS', 'DESCRIBE TABLES EXTENDED', 'DESCRIBE FUNCTION SUBSTRING',
  'DESCRIBE CONNECTOR C', "EXPLAIN SELECT * FROM S EMIT CHANGES", 'EXPLAIN CSAS_OUT_0',
  "PRINT 'my-topic' FROM BEGINNING INTERVAL 2 LIMIT 5", 'PRINT TOPIC1', "PRINT 't' SAMPLE 3",
  'TERMINATE CSAS_OUT_0', 'TERMINATE ALL', 'PAUSE CSAS_OUT_0', 'PAUSE ALL', 'RESUME CSAS_OUT_0', 'RESUME ALL',
  'DROP STREAM S', 'DROP STREAM IF EXISTS S DELETE TOPIC', 'DROP TABLE T', 'ALTER TABLE T ADD COLUMN C INT, ADD D STRING',
  'CREATE TYPE ADDRESS AS STRUCT<NUMBER INT, STREET STRING>', 'CREATE TYPE IF NOT EXISTS A AS INT', 'DROP TYPE IF EXISTS ADDRESS',
  "SET 'auto.offset.reset' = 'earliest'", "UNSET 'auto.offset.reset'", "DEFINE fmt = 'JSON'", 'UNDEFINE fmt',
  "RUN SCRIPT '/tmp/x.sql'",
  "ASSERT TOPIC 'x' WITH (PARTITIONS=1) TIMEOUT 3 SECONDS", "ASSERT NOT EXISTS TOPIC 'x'",
  "ASSERT SCHEMA SUBJECT 'x-value' ID 3 TIMEOUT 1 SECOND", 'ASSERT NOT EXISTS SCHEMA ID 4',
  "ASSERT STREAM S (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='s')", "ASSERT VALUES S (ID, V) VALUES (1, 'a')",
  'ASSERT NULL VALUES T (ID) KEY (1)',
  "CREATE SOURCE CONNECTOR IF NOT EXISTS C WITH ('connector.class'='x', \"tasks.max\"='1')", "CREATE SINK CONNECTOR C WITH (A='1')",
  'DROP CONNECTOR IF EXISTS C',
];

describe('grammar: every statement form', () => {
  test.each(EVERY_FORM)('%s', (sql) => {
    roundTrip(sql);
  });
});

test('DESCRIBE takes EXTENDED after the name, as ksqlDB does, or before it, as its early releases did', () => {
  for (const sql of ['DESCRIBE ORDERS EXTENDED', 'DESCRIBE EXTENDED ORDERS', 'describe orders extended']) {
    expect(parseStatement(sql)).toMatchObject({ type: 'describeSource', name: 'ORDERS', extended: true });
  }
  expect(parseStatement('DESCRIBE ORDERS')).toMatchObject({ type: 'describeSource', name: 'ORDERS', extended: false });
  expect(parseStatement('DESCRIBE `EXTENDED` EXTENDED')).toMatchObject({ type: 'describeSource', name: 'EXTENDED', extended: true });
});

describe('grammar: ksqlDB query-validation statements', () => {
  const dir = qttDir;
  const cases: { file: string; name: string; statements: string[]; parseFails: boolean }[] = [];
  if (fs.existsSync(dir)) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const tests = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).tests as {
        name: string;
        statements: string[];
        expectedException?: { type?: string };
      }[];
      for (const t of tests) {
        cases.push({
          file,
          name: t.name,
          statements: t.statements,
          parseFails: /ParseFailed/.test(t.expectedException?.type ?? ''),
        });
      }
    }
  }

  test('the corpus is there', () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  test('every statement of the cases not expecting a parse failure parses, exactly once, and round-trips', () => {
    const failures: string[] = [];
    for (const c of cases.filter((x) => !x.parseFails)) {
      for (const s of c.statements) {
        try {
          roundTrip(s.replace(/\{FORMAT\}/g, 'JSON'));
        } catch (err) {
          failures.push(`${c.file} / ${c.name}: ${(err as Error).message.split('\n')[0]}\n  ${s}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test('the cases expecting a parse failure fail to parse (but RUN SCRIPT and WITH-property checks, which are not grammar)', () => {
    const parsed: string[] = [];
    for (const c of cases.filter((x) => x.parseFails)) {
      try {
        parseScript(c.statements.join('\n'));
        parsed.push(`${c.file} / ${c.name}`);
      } catch (err) {
        expect(err).toBeInstanceOf(ParseError);
      }
    }
    expect(parsed).toEqual(['asserts.json / should not parse RUN SCRIPT', 'session-windows.json / import table with invalid window size']);
  });
});

describe('names', () => {
  test('unquoted identifiers are upper-cased; quoted ones keep their case', () => {
    const s = parseStatement('SELECT a, `b`, "c", T.d FROM src t');
    expect(strip(s)).toMatchObject({
      select: [
        { expr: { type: 'column', name: 'A' } },
        { expr: { type: 'column', name: 'b' } },
        { expr: { type: 'column', name: 'c' } },
        { expr: { type: 'column', source: 'T', name: 'D' } },
      ],
      from: { name: 'SRC', alias: 'T' },
    });
  });

  test('keywords ksqlDB does not reserve are names; reserved ones are not', () => {
    expect(() => parseStatement('CREATE STREAM S (KEY STRING KEY, VALUE INT, TIME TIME, DATE DATE, SIZE INT, SOURCE INT) WITH (KAFKA_TOPIC=\'t\')')).not.toThrow();
    expect(() => parseStatement('SELECT FROM FROM S')).toThrow(ParseError);
    expect(() => parseStatement('SELECT `FROM` FROM S')).not.toThrow();
  });

  test('REPLACE is both a keyword and a function', () => {
    expect(strip(parseStatement("SELECT REPLACE(a, 'x', 'y') FROM s"))).toMatchObject({
      select: [{ expr: { type: 'call', name: 'REPLACE' } }],
    });
  });
});

describe('literals', () => {
  const lit = (sql: string) => (strip(parseStatement(`SELECT ${sql} FROM s`)) as { select: { expr: unknown }[] }).select[0]!.expr;

  test('integers are INTEGER when they fit 32 bits, else BIGINT; a leading minus folds in', () => {
    expect(lit('2147483647')).toEqual({ type: 'number', kind: 'INTEGER', text: '2147483647' });
    expect(lit('2147483648')).toEqual({ type: 'number', kind: 'BIGINT', text: '2147483648' });
    expect(lit('-2147483648')).toEqual({ type: 'number', kind: 'INTEGER', text: '-2147483648' });
    expect(lit('-9223372036854775808')).toEqual({ type: 'number', kind: 'BIGINT', text: '-9223372036854775808' });
  });

  test('decimals and doubles', () => {
    expect(lit('1.50')).toEqual({ type: 'number', kind: 'DECIMAL', text: '1.50' });
    expect(lit('1.5E3')).toEqual({ type: 'number', kind: 'DOUBLE', text: '1.5E3' });
  });

  test('out-of-range numbers fail as ksqlDB fails them', () => {
    expect(() => parseStatement('SELECT -9223372036854775809 FROM s')).toThrow('Invalid numeric literal: -9223372036854775809');
    expect(() => parseStatement('SELECT 1.7976931348623159E308 FROM s')).toThrow('Number overflows DOUBLE: 1.7976931348623159E308');
  });

  test("strings unescape ''", () => {
    expect(lit("'it''s'")).toEqual({ type: 'string', value: "it's" });
  });
});

describe('precedence', () => {
  const where = (sql: string) => (strip(parseStatement(`SELECT * FROM s WHERE ${sql}`)) as { where: unknown }).where;

  test('AND binds tighter than OR, NOT tighter than AND', () => {
    expect(where('a OR b AND NOT c')).toEqual({
      type: 'binary',
      op: 'OR',
      left: { type: 'column', name: 'A' },
      right: {
        type: 'binary',
        op: 'AND',
        left: { type: 'column', name: 'B' },
        right: { type: 'unary', op: 'NOT', operand: { type: 'column', name: 'C' } },
      },
    });
  });

  test('* before +, + before ||, arithmetic before comparison', () => {
    expect(formatStatement(parseStatement("SELECT * FROM s WHERE a || b + c * d = 'x'"))).toBe(
      "SELECT * FROM S WHERE ((A || (B + (C * D))) = 'x')",
    );
  });

  test('GROUP BY and PARTITION BY take value expressions only', () => {
    expect(() => parseStatement('SELECT COUNT(*) FROM t GROUP BY data AND id')).toThrow('Syntax Error');
    expect(() => parseStatement('SELECT * FROM t PARTITION BY name AND age')).toThrow('Syntax Error');
    expect(strip(parseStatement('SELECT COUNT(*) FROM t GROUP BY (a, b)'))).toMatchObject({
      groupBy: [{ name: 'A' }, { name: 'B' }],
    });
  });
});

describe('statement-level checks', () => {
  test('a stream column may not be a PRIMARY KEY, nor a table column a KEY', () => {
    expect(() => parseStatement("CREATE STREAM INPUT (ID INT PRIMARY KEY) WITH (kafka_topic='i')")).toThrow(
      "Line: 1, Col: 22: Column `ID` is a 'PRIMARY KEY' column: please use 'KEY' for streams.",
    );
    expect(() => parseStatement("CREATE TABLE INPUT (ID INT KEY) WITH (kafka_topic='i')")).toThrow(
      "Column `ID` is a 'KEY' column: please use 'PRIMARY KEY' for tables.",
    );
  });
});

describe('errors', () => {
  test('name line, column, the token and what was expected', () => {
    const script = "SHOW STREAMS;\nCREATE STREAM OUTPUT AS SELECT ID, cast(f0 as NULL) FROM TEST;";
    let caught: ParseError | undefined;
    try {
      parseScript(script);
    } catch (err) {
      caught = err as ParseError;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect(caught!.line).toBe(2);
    expect(caught!.col).toBe(47);
    expect(caught!.token).toBe('NULL');
    expect(caught!.message).toContain("Syntax error at or near 'NULL' at line 2:47");
    expect(caught!.expected).toContain("'STRUCT'");
  });

  test('an unknown first word is an unknown statement', () => {
    expect(() => parseStatement('SELEC oops')).toThrow("line 1:1: Syntax Error\nUnknown statement 'SELEC'");
  });

  test('a type parameter that is not a number names where ksqlDB does', () => {
    expect(() => parseStatement("CREATE STREAM INPUT (K STRING (KEY)) WITH (kafka_topic='input')")).toThrow(
      'line 1:32: Syntax Error',
    );
  });

  test('an unfinished statement and an unterminated string', () => {
    expect(() => parseStatement('SELECT * FROM')).toThrow('Unexpected end of statement');
    expect(() => parseStatement("SELECT * FROM s WHERE a = 'x")).toThrow('Unterminated string literal at line 1:27');
  });
});

describe('splitting scripts', () => {
  test('splits on ; outside strings, quoted names and comments, and keeps positions', () => {
    const parts = splitStatements("SET 'a;b' = 'c';\n-- a comment; still\nSHOW `x;y`; /* ; */ SHOW TABLES");
    expect(parts.map((p) => p.text)).toEqual(["SET 'a;b' = 'c'", 'SHOW `x;y`', 'SHOW TABLES']);
    expect(parts.map((p) => [p.line, p.col, p.terminated])).toEqual([
      [1, 1, true],
      [3, 1, true],
      [3, 21, false],
    ]);
  });
});
