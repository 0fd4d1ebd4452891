import { Engine, StatementError, type ExecutedStatement } from '../../src/engine/index.js';

async function engine(): Promise<Engine> {
  return Engine.create();
}

async function failure(e: Engine, sql: string): Promise<StatementError> {
  try {
    await e.execute(sql);
  } catch (err) {
    expect(err).toBeInstanceOf(StatementError);
    return err as StatementError;
  }
  throw new Error(`expected failure: ${sql}`);
}

const results = (rs: ExecutedStatement[]) => rs.map((r) => r.result);

describe('DDL against the metastore', () => {
  test('CREATE STREAM with columns, then SHOW STREAMS and DESCRIBE', async () => {
    const e = await engine();
    const rs = await e.execute(`
      CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR, pageid VARCHAR KEY)
        WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON', PARTITIONS=1);
      SHOW STREAMS;
      DESCRIBE pageviews;`);
    expect(results(rs)[0]).toEqual({ type: 'message', message: 'Stream created' });
    expect(results(rs)[1]).toEqual({
      type: 'sources',
      kind: 'STREAM',
      extended: false,
      sources: [
        { name: 'PAGEVIEWS', kind: 'STREAM', topic: 'pageviews', keyFormat: 'KAFKA', valueFormat: 'JSON', windowed: false, isSource: false },
      ],
    });
    const described = results(rs)[2];
    expect(described).toMatchObject({ type: 'sourceDescription', extended: false });
    expect(described.type === 'sourceDescription' && described.description.fields).toEqual([
      { name: 'PAGEID', type: 'VARCHAR(STRING)', role: 'KEY' },
      { name: 'VIEWTIME', type: 'BIGINT' },
      { name: 'USERID', type: 'VARCHAR(STRING)' },
    ]);
    await e.close();
  });

  test('a table needs a PRIMARY KEY; the topic is created with PARTITIONS and must exist without', async () => {
    const e = await engine();
    expect((await failure(e, "CREATE TABLE t (id INT, v STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);")).message).toBe(
      'Tables require a PRIMARY KEY. Please define the PRIMARY KEY.',
    );
    expect((await failure(e, "CREATE STREAM s (v STRING) WITH (KAFKA_TOPIC='nope', VALUE_FORMAT='JSON');")).message).toContain(
      "Topic 'nope' does not exist. If you want to create a new topic for the stream please re-run the statement providing the required 'PARTITIONS' configuration",
    );
    expect((await failure(e, "CREATE STREAM s (v STRING) WITH (VALUE_FORMAT='JSON');")).message).toBe(
      'Missing required property "KAFKA_TOPIC" which has no default value.',
    );
    await e.execute("CREATE TABLE t (id INT PRIMARY KEY, v STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=2);");
    expect(await e.broker.describeTopic('t')).toMatchObject({ partitions: 2 });
    await e.close();
  });

  test('a duplicate name, OR REPLACE, IF NOT EXISTS and DROP', async () => {
    const e = await engine();
    const create = "CREATE STREAM s (v STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);";
    await e.execute(create);
    expect((await failure(e, create)).message).toBe("Cannot add stream 'S': A stream with the same name already exists");
    expect(results(await e.execute(create.replace('CREATE', 'CREATE OR REPLACE')))).toEqual([{ type: 'message', message: 'Stream replaced' }]);
    expect(results(await e.execute(create.replace('STREAM', 'STREAM IF NOT EXISTS')))).toHaveLength(1);
    expect(results(await e.execute('DROP STREAM s;'))).toEqual([{ type: 'message', message: 'Source `S` (topic: s) was dropped.' }]);
    expect((await failure(e, 'DROP STREAM s;')).message).toBe('Stream S does not exist.');
    expect(results(await e.execute('DROP STREAM IF EXISTS s;'))).toHaveLength(1);
    await e.close();
  });

  test('format and property errors read as ksqlDB writes them', async () => {
    const e = await engine();
    const bad = async (withs: string) => (await failure(e, `CREATE STREAM x (a INT) WITH (KAFKA_TOPIC='x', PARTITIONS=1, ${withs});`)).message;
    expect(await bad("VALUE_FORMAT='FOO'")).toBe('Unknown format: FOO');
    expect(await bad("FORMAT='JSON', VALUE_FORMAT='JSON'")).toContain("Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties");
    expect(await bad("VALUE_FORMAT='JSON', BOGUS=1")).toBe('Invalid config variable(s) in the WITH clause: BOGUS');
    expect((await failure(e, "CREATE STREAM x (a INT) WITH (KAFKA_TOPIC='x', PARTITIONS=1);")).message).toContain(
      "Statement is missing the 'VALUE_FORMAT' property from the WITH clause.",
    );
    await e.close();
  });

  test('CREATE TYPE resolves in later statements; SHOW TYPES lists it', async () => {
    const e = await engine();
    const rs = await e.execute(`
      CREATE TYPE ADDRESS AS STRUCT<number INTEGER, street VARCHAR>;
      CREATE STREAM people (name STRING, address ADDRESS) WITH (KAFKA_TOPIC='people', VALUE_FORMAT='JSON', PARTITIONS=1);
      SHOW TYPES;
      DESCRIBE people;`);
    expect(results(rs)[2]).toEqual({ type: 'types', types: [{ name: 'ADDRESS', schema: 'STRUCT<NUMBER INTEGER, STREET VARCHAR(STRING)>' }] });
    const d = results(rs)[3];
    expect(d.type === 'sourceDescription' && d.description.fields[1]).toEqual({
      name: 'ADDRESS',
      type: 'STRUCT<NUMBER INTEGER, STREET VARCHAR(STRING)>',
    });
    await e.close();
  });
});

describe('session state', () => {
  test('SET validates names and values; UNSET restores; SHOW PROPERTIES reflects both', async () => {
    const e = await engine();
    await e.execute("SET 'auto.offset.reset' = 'earliest';");
    expect(e.properties.get('auto.offset.reset')).toBe('earliest');
    expect((await failure(e, "SET 'foo' = 'bar';")).message).toBe("Not recognizable as ksql, streams, consumer, or producer property: 'foo'");
    expect((await failure(e, "SET 'auto.offset.reset' = 'sometime';")).message).toContain('String must be one of: latest, earliest, none');
    const [shown] = results(await e.execute('SHOW PROPERTIES;'));
    expect(shown?.type === 'properties' && shown.properties.find((p) => p.name === 'auto.offset.reset')).toMatchObject({
      level: 'SESSION',
      value: 'earliest',
    });
    await e.execute("UNSET 'auto.offset.reset';");
    expect(e.properties.get('auto.offset.reset')).toBe('latest');
    await e.close();
  });

  test('DEFINE feeds ${var}; UNDEFINE removes it; an unknown variable is an error', async () => {
    const e = await Engine.create({ variables: { topic: 'from_flag' } });
    await e.execute("DEFINE fmt = 'JSON'; CREATE STREAM s (v INT) WITH (KAFKA_TOPIC='${topic}', VALUE_FORMAT='${fmt}', PARTITIONS=1);");
    expect(e.metastore.getSource('S')).toMatchObject({ topic: 'from_flag', valueFormat: { format: 'JSON' } });
    await e.execute('UNDEFINE fmt;');
    expect((await failure(e, "SHOW ${fmt};")).message).toContain("Can't find variable: fmt");
    await e.close();
  });
});

describe('errors name the statement', () => {
  test('a parse error gives the statement index, line and column in the script', async () => {
    const e = await engine();
    const err = await failure(e, 'SHOW STREAMS;\nSHOW TABLES;\nSELEC oops;');
    expect(err.statementIndex).toBe(3);
    expect(err.line).toBe(3);
    expect(err.col).toBe(1);
    expect(err.statementText).toBe('SELEC oops');
    expect(err.message).toContain("Unknown statement 'SELEC'");
    await e.close();
  });

  test('statements before a failure ran; none after', async () => {
    const e = await engine();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const r of e.executeScript("SET 'auto.offset.reset'='earliest'; DROP STREAM nope; SET 'auto.offset.reset'='latest';")) seen.push(r.index);
      })(),
    ).rejects.toBeInstanceOf(StatementError);
    expect(seen).toEqual([1]);
    expect(e.properties.get('auto.offset.reset')).toBe('earliest');
    await e.close();
  });

  test('RUN SCRIPT is refused without a script loader, and runs the file with one', async () => {
    const e = await engine();
    expect((await failure(e, "RUN SCRIPT 'x.sql';")).message).toContain("Unknown statement 'RUN'");
    const withLoader = await Engine.create({ scriptLoader: () => "SET 'auto.offset.reset'='earliest'; SHOW STREAMS;" });
    expect(results(await withLoader.execute("RUN SCRIPT 'x.sql';")).map((r) => r.type)).toEqual(['propertyChanged', 'sources']);
    await e.close();
    await withLoader.close();
  });
});

test('CREATE with declared columns in AVRO registers its schema, so a CREATE that infers its columns finds them', async () => {
  const engine = await Engine.create();
  await engine.execute(`
    CREATE STREAM X (K STRING KEY, A INT, B STRING) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='AVRO', PARTITIONS=1);
    CREATE STREAM Y WITH (KAFKA_TOPIC='x', VALUE_FORMAT='AVRO');`);
  const y = engine.metastore.getSource('Y');
  expect(y?.schema.valueColumns.map((c) => c.name)).toEqual(['A', 'B']);
  expect(await engine.schemaRegistry.listSubjects()).toEqual(['x-value']);
  await engine.close();
});

test('EXPLAIN describes a running query and a statement that is only planned', async () => {
  const engine = await Engine.create();
  await engine.execute(`
    CREATE STREAM S (ID INT KEY, V STRING, N INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
    CREATE STREAM A AS SELECT ID, UCASE(V) AS U FROM S WHERE N > 1;`);
  const id = engine.queries.all()[0]?.id as string;
  const [running] = await engine.execute(`EXPLAIN ${id};`);
  expect(running?.result).toMatchObject({
    type: 'queryDescription',
    description: { id, queryType: 'PERSISTENT', state: 'RUNNING', sources: ['S'], sinks: ['A'], fields: [{ name: 'ID', role: 'KEY' }, { name: 'U' }] },
  });
  const plan = (running?.result as { description: { executionPlan: string } }).description.executionPlan.split('\n');
  expect(plan.map((l) => /\[ (\w+) \]/.exec(l)?.[1])).toEqual(['SINK', 'PROJECT', 'FILTER', 'SOURCE']);
  const [planned] = await engine.execute('EXPLAIN SELECT V FROM S WHERE ID = 1 EMIT CHANGES;');
  expect(planned?.result).toMatchObject({ type: 'queryDescription', description: { id: '', queryType: 'PUSH', sql: 'SELECT V FROM S WHERE ID = 1 EMIT CHANGES', sinks: [] } });
  await expect(engine.execute('EXPLAIN NOPE_0;')).rejects.toThrow('Unknown queryId: NOPE_0');
  await engine.close();
});
