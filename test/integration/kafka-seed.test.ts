/**
 * The seed pipeline (ratings joined to a CDC-fed customer table, filtered to
 * unhappy platinum customers) on a real Kafka with AVRO sources through the
 * schema registry, run by the `ksqlite` CLI. Inputs are written with
 * INSERT ... VALUES into AVRO streams declared with columns on the seed's
 * topics; the alerts are read back with kcat, an independent client, and
 * compared with those computed from the generated data. One AVRO topic is
 * read with kcat too, and decoded with the schema the registry gives for the
 * record's id: the Confluent wire format as any client sees it.
 *
 * Topic names get a per-run prefix (the shared broker keeps earlier runs'
 * topics): the sources' KAFKA_TOPIC values are prefixed, and the sinks' through
 * ksql.output.topic.name.prefix; the statements are otherwise the seed's own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import avsc from 'avsc';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import {
  bootstrap,
  deleteRunData,
  kafkaTest,
  kcatJsonValues,
  kcatRecords,
  kcatVersion,
  killAll,
  ksqlite,
  multisetDiff,
  registryUrl,
  runId,
} from './kafka-support.js';
import { expectedAlerts, generateSeed, insertStatements, type Customer } from './seed-data.js';

const SEED = `SET 'auto.offset.reset'='earliest';
CREATE STREAM CUSTOMERS_SRC WITH (KAFKA_TOPIC='asgard.demo.CUSTOMERS', VALUE_FORMAT='AVRO');
CREATE STREAM CUSTOMERS_SRC_REKEY WITH (PARTITIONS=1) AS SELECT * FROM CUSTOMERS_SRC PARTITION BY ID;
CREATE TABLE CUSTOMERS WITH (KAFKA_TOPIC='CUSTOMERS_SRC_REKEY', VALUE_FORMAT='AVRO', KEY='ID');
CREATE STREAM RATINGS WITH (KAFKA_TOPIC='ratings', VALUE_FORMAT='AVRO');
CREATE STREAM RATINGS_ENRICHED AS SELECT R.RATING_ID, R.MESSAGE, R.STARS, R.CHANNEL, C.ID, C.CLUB_STATUS, C.EMAIL, C.FIRST_NAME, C.LAST_NAME, CONCAT(C.FIRST_NAME, ' ', C.LAST_NAME) AS FULL_NAME FROM RATINGS R LEFT JOIN CUSTOMERS C ON R.USER_ID = C.ID WHERE C.FIRST_NAME IS NOT NULL;
CREATE STREAM UNHAPPY_PLATINUM_CUSTOMERS WITH (VALUE_FORMAT='JSON') AS SELECT FULL_NAME, CLUB_STATUS, EMAIL, STARS, MESSAGE FROM RATINGS_ENRICHED WHERE STARS < 3 AND CLUB_STATUS = 'platinum';
`;

const run = runId('seed');
const prefix = `${run}_`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-kafka-seed-'));

afterAll(async () => {
  killAll();
  fs.rmSync(scratch, { recursive: true, force: true });
  if (bootstrap !== undefined) await deleteRunData(bootstrap, [prefix], [run]);
}, 120_000);

/** The seed's statements with this run's topic names. */
function seedStatements(): string {
  return SEED.replace("KAFKA_TOPIC='asgard.demo.CUSTOMERS'", `KAFKA_TOPIC='${prefix}asgard.demo.CUSTOMERS'`)
    .replace("KAFKA_TOPIC='CUSTOMERS_SRC_REKEY'", `KAFKA_TOPIC='${prefix}CUSTOMERS_SRC_REKEY'`)
    .replace("KAFKA_TOPIC='ratings'", `KAFKA_TOPIC='${prefix}ratings'`)
    .replace(/^(SET 'auto.offset.reset'='earliest';)$/m, `$1\nSET 'ksql.output.topic.name.prefix'='${prefix}';`);
}

function cli(script: string): Promise<Awaited<ReturnType<typeof ksqlite>>> {
  const file = path.join(scratch, `script-${Date.now()}.sql`);
  fs.writeFileSync(file, script);
  return ksqlite(['--bootstrap-server', bootstrap!, '--schema-registry-url', registryUrl!, '--service-id', run, '-f', file], {
    timeoutMs: 240_000,
  });
}

const haveKcat = kcatVersion() !== undefined;
if (!haveKcat) console.warn('kcat is not installed (scripts/kafka/tools.sh installs it): the seed pipeline test is skipped.');

(haveKcat ? kafkaTest('the seed pipeline on Kafka', true) : test.skip)(
  'the seed pipeline on Kafka with AVRO: the alerts kcat reads are those computed from the generated data',
  async () => {
    const data = generateSeed(20, 150);
    const alerts = expectedAlerts(data);
    expect(alerts.length).toBeGreaterThan(5);

    // The producers' view of the seed topics: AVRO streams with columns; their INSERTs register the schemas
    // the seed's column-less sources then read from the registry.
    const declare = `SET 'auto.offset.reset'='earliest';
CREATE STREAM CUSTOMERS_IN (ID INT, FIRST_NAME STRING, LAST_NAME STRING, EMAIL STRING, GENDER STRING, CLUB_STATUS STRING, COMMENTS STRING)
  WITH (KAFKA_TOPIC='${prefix}asgard.demo.CUSTOMERS', VALUE_FORMAT='AVRO', PARTITIONS=1);
CREATE STREAM RATINGS_IN (RATING_ID BIGINT, USER_ID INT, STARS INT, ROUTE_ID INT, RATING_TIME BIGINT, CHANNEL STRING, MESSAGE STRING)
  WITH (KAFKA_TOPIC='${prefix}ratings', VALUE_FORMAT='AVRO', PARTITIONS=1);
`;
    // A rating by nobody registers the ratings schema and joins nothing.
    const noOne = { RATING_ID: 0, USER_ID: -1, STARS: 1, ROUTE_ID: 0, RATING_TIME: 0, CHANNEL: 'web', MESSAGE: 'no such user' };
    // First the customers and the pipeline: the process settles (every query caught up) before it exits,
    // so the table holds every customer before a rating arrives, as the expected alerts assume (a
    // stream-table join sees the table as it is when each rating is processed).
    const first = await cli(`${declare}${insertStatements('CUSTOMERS_IN', data.customers)}\n${insertStatements('RATINGS_IN', [noOne])}\n${seedStatements()}`);
    expect(first.err).not.toMatch(/Error|Exception/);
    expect(first.code).toBe(0);
    expect(first.out.match(/Created query with ID/g)).toHaveLength(3);

    // Then the ratings, from a second process: it resumes the pipeline from the command topic.
    const second = await cli(insertStatements('RATINGS_IN', data.ratings));
    expect(second.err).toBe('');
    expect(second.code).toBe(0);

    // The output, read by kcat.
    const got = await kcatJsonValues(bootstrap!, `${prefix}UNHAPPY_PLATINUM_CUSTOMERS`);
    expect(multisetDiff(got, alerts)).toEqual({ missing: [], unexpected: [] });

    // An AVRO topic a persistent query wrote, read by kcat: Confluent framing (magic byte 0, the
    // schema id), the schema from the registry by that id, the body decoded by avsc against it.
    const raw = await kcatRecords(bootstrap!, `${prefix}CUSTOMERS_SRC_REKEY`);
    const schemas = new Map<number, avsc.Type>();
    const decoded: Array<Record<string, unknown>> = [];
    for (const r of raw) {
      const value = r.value as Buffer;
      expect(value[0]).toBe(0);
      const id = value.readInt32BE(1);
      if (!schemas.has(id)) {
        const res = await fetch(`${registryUrl}/schemas/ids/${id}`);
        expect(res.status).toBe(200);
        schemas.set(id, avsc.Type.forSchema(JSON.parse(((await res.json()) as { schema: string }).schema) as avsc.Schema));
      }
      // fromBuffer fails unless the body is exactly one value of the schema.
      decoded.push({ ID: (r.key as Buffer).readInt32BE(0), ...(schemas.get(id)!.fromBuffer(value.subarray(5)) as object) });
    }
    expect(decoded).toEqual(data.customers.map((c: Customer) => ({ ...c })));

    // And by the Confluent client library Node users have: @kafkajs/confluent-schema-registry's decode.
    const registry = new SchemaRegistry({ host: registryUrl! });
    const viaLibrary: Array<Record<string, unknown>> = [];
    for (const r of raw) viaLibrary.push({ ID: (r.key as Buffer).readInt32BE(0), ...((await registry.decode(r.value as Buffer)) as object) });
    expect(viaLibrary).toEqual(decoded);
  },
  300_000,
);
