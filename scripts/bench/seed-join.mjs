// The seed's stream-table join (DESIGN.md): ratings LEFT JOIN the CUSTOMERS table (fed by CDC
// through CUSTOMERS_SRC_REKEY) WHERE C.FIRST_NAME IS NOT NULL, AVRO in and out, on the in-memory
// broker; against a plain Node loop doing the same Avro decode, table lookup, filter and Avro
// encode (avsc) over the same bytes. The table is loaded first, outside the timing, on both sides.
// Usage: node scripts/bench/seed-join.mjs [--ratings N] [--customers N] [--runs N]
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import avro from 'avsc';
import { Engine } from '../../dist/engine/index.js';
import { createMemoryBroker } from '../../dist/broker/index.js';

const SEED = `
CREATE STREAM CUSTOMERS_SRC WITH (KAFKA_TOPIC='asgard.demo.CUSTOMERS', VALUE_FORMAT='AVRO');
CREATE STREAM CUSTOMERS_SRC_REKEY WITH (PARTITIONS=1) AS SELECT * FROM CUSTOMERS_SRC PARTITION BY ID;
CREATE TABLE CUSTOMERS WITH (KAFKA_TOPIC='CUSTOMERS_SRC_REKEY', VALUE_FORMAT='AVRO', KEY='ID');
CREATE STREAM RATINGS WITH (KAFKA_TOPIC='ratings', VALUE_FORMAT='AVRO');
CREATE STREAM RATINGS_ENRICHED WITH (KAFKA_TOPIC='ratings-with-customer-data', PARTITIONS=1) AS
  SELECT R.RATING_ID, R.CHANNEL, R.STARS, R.MESSAGE, C.ID, C.CLUB_STATUS, C.EMAIL,
         C.FIRST_NAME, C.LAST_NAME
  FROM RATINGS R LEFT JOIN CUSTOMERS C ON R.USER_ID = C.ID
  WHERE C.FIRST_NAME IS NOT NULL;
`;

// Streams with columns on the seed's topics; one INSERT each registers the Avro value schemas
// (the rating of user -1 joins nothing, no rating is of customer 0).
const INPUTS = `
CREATE STREAM CUSTOMERS_IN (ID INT, FIRST_NAME STRING, LAST_NAME STRING, EMAIL STRING, GENDER STRING, CLUB_STATUS STRING, COMMENTS STRING)
  WITH (KAFKA_TOPIC='asgard.demo.CUSTOMERS', VALUE_FORMAT='AVRO', PARTITIONS=1);
CREATE STREAM RATINGS_IN (RATING_ID BIGINT, USER_ID INT, STARS INT, ROUTE_ID INT, RATING_TIME BIGINT, CHANNEL STRING, MESSAGE STRING)
  WITH (KAFKA_TOPIC='ratings', VALUE_FORMAT='AVRO', PARTITIONS=1);
INSERT INTO CUSTOMERS_IN (ROWTIME, ID, FIRST_NAME, LAST_NAME, EMAIL, GENDER, CLUB_STATUS, COMMENTS) VALUES (0, 0, 'Zero', 'Zero', 'zero@example.com', 'Male', 'bronze', '');
INSERT INTO RATINGS_IN (ROWTIME, RATING_ID, USER_ID, STARS, ROUTE_ID, RATING_TIME, CHANNEL, MESSAGE) VALUES (0, 0, -1, 5, 0, 0, 'web', '');
`;

const FIRST = ['Rica', 'Ruthie', 'Mariejeanne', 'Hashim', 'Hansiain', 'Robinet', 'Fay', 'Patti', 'Gregoor', 'Mick'];
const LAST = ['Blaisdell', 'Brockherst', 'Cocci', 'Cockshtt', 'Coronas', 'Leheude', 'Huxley', 'Rishworth', 'Ruggles', 'Mc Kee'];
const STATUSES = ['bronze', 'silver', 'gold', 'platinum'];
const CHANNELS = ['iOS', 'android', 'web', 'iOS-test'];
const PHRASES = [
  'thank you for the most friendly, helpful experience today at your new lounge',
  'why is it so difficult to keep the bathrooms clean ?',
  'Exceeded all my expectations. Thank you !',
  'more peanuts please',
  'airport refurb looks great, will fly outta here more!',
];

/** Confluent wire format: magic byte 0, the schema id, the Avro body. */
function framed(schemaId, body) {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = 0;
  out.writeInt32BE(schemaId, 1);
  body.copy(out, 5);
  return out;
}

async function latestAvro(engine, subject) {
  const s = await engine.schemaRegistry.getLatest(subject);
  return { id: s.id, type: avro.Type.forSchema(JSON.parse(s.schema)) };
}

/** Customers 1..customers (every 1000th without FIRST_NAME); ratings of users 1..1.1*customers (~9% unknown). */
function makeData(encode, customers, ratings) {
  const customerValues = new Array(customers);
  for (let i = 0; i < customers; i++) {
    const id = i + 1;
    customerValues[i] = encode.customer({
      ID: id,
      FIRST_NAME: id % 1000 === 0 ? null : FIRST[id % FIRST.length],
      LAST_NAME: LAST[(id * 7) % LAST.length],
      EMAIL: `customer${id}@example.com`,
      GENDER: id % 2 === 0 ? 'Female' : 'Male',
      CLUB_STATUS: STATUSES[(id * 13) % STATUSES.length],
      COMMENTS: `customer number ${id}`,
    });
  }
  const ratingValues = new Array(ratings);
  const users = Math.floor(customers * 1.1);
  for (let i = 0; i < ratings; i++) {
    ratingValues[i] = encode.rating({
      RATING_ID: i + 1,
      USER_ID: 1 + ((i * 7919) % users),
      STARS: ((i * 7) % 5) + 1,
      ROUTE_ID: 1000 + (i % 9000),
      RATING_TIME: customers + i,
      CHANNEL: CHANNELS[i % CHANNELS.length],
      MESSAGE: PHRASES[i % PHRASES.length],
    });
  }
  return { customerValues, ratingValues };
}

async function produceAll(broker, topic, values, firstTimestamp) {
  for (let i = 0; i < values.length; i += 50_000) {
    const records = [];
    for (let j = i; j < Math.min(values.length, i + 50_000); j++) records.push({ key: null, value: values[j], timestamp: firstTimestamp + j });
    await broker.produce(topic, records);
  }
}

async function pumpUntilIdle(query) {
  let n = 0;
  for (;;) {
    const moved = await query.pump(0);
    if (moved === 0) return n;
    n += moved;
  }
}

/** An engine with the input streams and their Avro schemas registered, and encoders of their values. */
async function setUp() {
  const broker = createMemoryBroker();
  const engine = await Engine.create({ broker, queryDriver: 'manual', properties: { 'auto.offset.reset': 'earliest' } });
  await engine.execute(INPUTS);
  const customer = await latestAvro(engine, 'asgard.demo.CUSTOMERS-value');
  const rating = await latestAvro(engine, 'ratings-value');
  const encode = {
    customer: (v) => framed(customer.id, customer.type.toBuffer(v)),
    rating: (v) => framed(rating.id, rating.type.toBuffer(v)),
  };
  return { broker, engine, encode, types: { customer, rating } };
}

async function ksqlite(data) {
  const { broker, engine } = await setUp();
  await produceAll(broker, 'asgard.demo.CUSTOMERS', data.customerValues, 1);
  await engine.execute(SEED);
  const query = (prefix) => engine.queries.all().find((q) => q.id.startsWith(prefix));
  const join = query('CSAS_RATINGS_ENRICHED_');
  // The CDC side first: rekey, then the table the join looks up.
  let started = performance.now();
  await engine.drain();
  const loadMs = performance.now() - started;
  await produceAll(broker, 'ratings', data.ratingValues, data.customerValues.length + 1);
  started = performance.now();
  const consumed = await pumpUntilIdle(join);
  const ms = performance.now() - started;
  const out = (await broker.endOffsets('ratings-with-customer-data')).reduce((s, e) => s + e.offset, 0);
  const output = await latestAvro(engine, 'ratings-with-customer-data-value');
  await engine.close();
  return { ms, loadMs, consumed, out, outputSchema: output.type };
}

/** The same work without an engine: decode, look the customer up, filter, project, encode key and value. */
function baseline(data, types, outputType) {
  const body = (buf) => buf.subarray(5);
  let started = performance.now();
  const table = new Map();
  for (const v of data.customerValues) {
    const c = types.customer.type.fromBuffer(body(v));
    table.set(c.ID, c);
  }
  const loadMs = performance.now() - started;
  started = performance.now();
  let out = 0;
  let bytes = 0;
  for (const v of data.ratingValues) {
    const r = types.rating.type.fromBuffer(body(v));
    const c = r.USER_ID === null ? undefined : table.get(r.USER_ID);
    if (c === undefined || c.FIRST_NAME === null) continue;
    const key = Buffer.allocUnsafe(4);
    key.writeInt32BE(c.ID, 0);
    const value = framed(1, outputType.toBuffer({
      RATING_ID: r.RATING_ID,
      CHANNEL: r.CHANNEL,
      STARS: r.STARS,
      MESSAGE: r.MESSAGE,
      CLUB_STATUS: c.CLUB_STATUS,
      EMAIL: c.EMAIL,
      FIRST_NAME: c.FIRST_NAME,
      LAST_NAME: c.LAST_NAME,
    }));
    bytes += key.length + value.length;
    out += 1;
  }
  return { ms: performance.now() - started, loadMs, out, bytes };
}

/** One run: fresh data, a fresh engine, the baseline over the same bytes. */
async function oneRun(ratings, customers) {
  const { engine, encode, types } = await setUp();
  await engine.close();
  const data = makeData(encode, customers, ratings);
  const ours = await ksqlite(data);
  const base = baseline(data, types, ours.outputSchema);
  if (ours.out !== base.out) throw new Error(`ksqlite wrote ${ours.out} enriched ratings, the baseline ${base.out}`);
  const rate = (ms) => Math.round(ratings / (ms / 1000));
  return {
    baselineEventsPerSec: rate(base.ms),
    ksqliteEventsPerSec: rate(ours.ms),
    ratio: Number((ours.ms / base.ms).toFixed(2)),
    enriched: ours.out,
    tableLoadMs: { ksqlite: Math.round(ours.loadMs), baseline: Math.round(base.loadMs) },
  };
}

/** Each run in a process of its own, so that one run's heap does not slow the next. */
export async function benchSeedJoin(ratings = 1_000_000, { customers = 100_000, runs = 3 } = {}) {
  const results = [];
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', '--ratings', String(ratings), '--customers', String(customers)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`run ${run + 1} failed (exit ${child.status})`);
    results.push(JSON.parse(child.stdout));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    ratings,
    customers,
    format: 'AVRO in, AVRO out',
    runs: results,
    medianKsqliteEventsPerSec: median(results.map((r) => r.ksqliteEventsPerSec)),
    medianBaselineEventsPerSec: median(results.map((r) => r.baselineEventsPerSec)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const arg = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
  const ratings = arg('--ratings', 1_000_000);
  const customers = arg('--customers', 100_000);
  if (args.includes('--child')) {
    process.stdout.write(JSON.stringify(await oneRun(ratings, customers)));
  } else {
    const started = performance.now();
    const result = await benchSeedJoin(ratings, { customers, runs: arg('--runs', 3) });
    console.log(`seed-join: ${JSON.stringify(result, null, 2)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}
