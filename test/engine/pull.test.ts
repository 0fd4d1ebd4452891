import { Engine, type StatementResult } from '../../src/engine/index.js';

async function rows(result: StatementResult | undefined): Promise<string[][]> {
  if (result?.type !== 'rows') throw new Error(`not rows: ${result?.type}`);
  const out: string[][] = [];
  for await (const row of result.rows) out.push(result.display(row));
  return out;
}

test('pull queries answer from the current state of tables and streams', async () => {
  const e = await Engine.create({ queryDriver: 'manual', properties: { 'auto.offset.reset': 'earliest' } });
  await e.execute(`
    CREATE STREAM C (U STRING, P STRING) WITH (KAFKA_TOPIC='c', VALUE_FORMAT='JSON', PARTITIONS=1);
    CREATE TABLE PER_USER AS SELECT U, COUNT(*) AS N FROM C GROUP BY U;
    CREATE TABLE USERS (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON', PARTITIONS=1);
    INSERT INTO C (U, P) VALUES ('a', 'x');
    INSERT INTO C (U, P) VALUES ('a', 'y');
    INSERT INTO C (U, P) VALUES ('b', 'y');
    INSERT INTO USERS (ID, NAME) VALUES (1, 'ann');
    INSERT INTO USERS (ID, NAME) VALUES (2, 'bob');
    INSERT INTO USERS (ID, NAME) VALUES (1, 'anne');`);
  await e.drain();
  const one = async (sql: string) => rows((await e.execute(sql))[0]?.result);
  expect(await one("SELECT * FROM PER_USER WHERE U = 'a';")).toEqual([['a', '2']]);
  expect(await one('SELECT U, N FROM PER_USER;')).toEqual([['a', '2'], ['b', '1']]);
  // The latest value per key.
  expect(await one('SELECT NAME FROM USERS WHERE ID = 1;')).toEqual([['anne']]);
  // A stream: every record that matches.
  expect(await one("SELECT U FROM C WHERE P = 'y';")).toEqual([['a'], ['b']]);
  await expect(e.execute('SELECT U, COUNT(*) FROM C GROUP BY U;')).rejects.toThrow("Pull queries don't support GROUP BY clauses");
  await e.close();
});
