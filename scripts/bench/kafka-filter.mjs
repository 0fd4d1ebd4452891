// The filter query (filter-project.mjs's: WHERE STARS < 3 AND CHANNEL <> 'email',
// UCASE(CHANNEL), STARS * 2) on Kafka through the engine (dist/, so `npm run
// build` first), against the floor measured in the same run: the plain kafkajs
// consume-transform-produce loop of kafka-raw.mjs (run as a child process)
// moving the same N JSON events — the same generator, keys, partitions and
// output — from one topic to another. Prints both records/s per run.
//
// The engine's time runs from the CREATE STREAM ... AS SELECT to the moment
// its output topic holds every expected record (query start, group join and
// fetches included, as the raw loop's time includes its consumer's join).
//
// Usage: node scripts/bench/kafka-filter.mjs [--records N] [--partitions P] [--runs R]
//          [--bootstrap host:port] [--via-port]
// --via-port also runs kafka-raw.mjs --via-port (the same loop over ksqlite's
// Kafka adapter of the Broker port). The broker: KSQLITE_BOOTSTRAP_SERVER,
// else 127.0.0.1:9092 (scripts/kafka/start.sh).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import { Engine, openKafkaBackend } from '../../dist/engine/index.js';

const { Kafka, logLevel } = kafkajs;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const records = Number(option('--records', '200000'));
const partitions = Number(option('--partitions', '1'));
const runs = Number(option('--runs', '3'));
const bootstrap = option('--bootstrap', process.env.KSQLITE_BOOTSTRAP_SERVER || '127.0.0.1:9092');
const viaPort = args.includes('--via-port');
const here = path.dirname(fileURLToPath(import.meta.url));

const encoder = new TextEncoder();
const channels = ['web', 'ios', 'android', 'email'];
const kafka = new Kafka({ clientId: 'ksqlite-bench', brokers: [bootstrap], logLevel: logLevel.ERROR });

/** Writes kafka-raw.mjs's N events to a new topic; returns how many the filter keeps. */
async function load(topic) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  let expectedOut = 0;
  const CHUNK = 5000;
  for (let i = 0; i < records; i += CHUNK) {
    const messages = [];
    for (let j = i; j < Math.min(records, i + CHUNK); j++) {
      const stars = ((j * 7) % 5) + 1;
      const value = encoder.encode(
        JSON.stringify({ RATING_ID: j, CHANNEL: channels[j % 4], STARS: stars, MESSAGE: `message number ${j}`, ROUTE_ID: j % 977 }),
      );
      if (stars < 3 && channels[j % 4] !== 'email') expectedOut++;
      messages.push({ key: `user_${j % 10000}`, value: Buffer.from(value.buffer, value.byteOffset, value.byteLength), timestamp: String(j) });
    }
    await producer.send({ topic, messages, acks: -1 });
  }
  await producer.disconnect();
  return expectedOut;
}

/** The filter CSAS over the loaded topic, in an engine on Kafka; resolves when its output is complete. */
async function engineRun(run) {
  const input = `bench-kf-in-${run}`;
  const output = `bench-kf-out-${run}`;
  const serviceId = `bench_kf_${run.replace(/-/g, '_')}`;
  const expectedOut = await load(input);
  const backend = await openKafkaBackend({ bootstrapServers: bootstrap });
  const engine = await Engine.create({
    broker: backend.broker,
    properties: { 'auto.offset.reset': 'earliest', 'ksql.service.id': serviceId },
  });
  await engine.execute(
    `CREATE STREAM RATINGS (USER_ID STRING KEY, RATING_ID BIGINT, CHANNEL STRING, STARS INT, MESSAGE STRING, ROUTE_ID INT) WITH (KAFKA_TOPIC='${input}', VALUE_FORMAT='JSON');`,
  );
  const started = performance.now();
  await engine.execute(
    `CREATE STREAM POOR WITH (KAFKA_TOPIC='${output}') AS SELECT USER_ID, RATING_ID, UCASE(CHANNEL) AS CHANNEL, STARS * 2 AS STARS FROM RATINGS WHERE STARS < 3 AND CHANNEL <> 'email';`,
  );
  let out = 0;
  const deadline = Date.now() + 600_000;
  while (out < expectedOut && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    out = (await backend.broker.endOffsets(output)).reduce((n, e) => n + e.offset, 0);
  }
  const ms = performance.now() - started;
  const groups = (await backend.broker.listGroups()).filter((g) => g.startsWith(`_ksqlite_${serviceId}_`));
  await engine.close();
  for (const g of groups) await backend.broker.deleteGroup(g).catch(() => undefined);
  for (const t of [input, output]) await backend.broker.deleteTopic(t).catch(() => undefined);
  await backend.close();
  if (out !== expectedOut) throw new Error(`expected ${expectedOut} records in ${output}, found ${out}`);
  return { ms, out };
}

/** kafka-raw.mjs in a child process: its printed result. */
function rawRun(extra = []) {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [path.join(here, 'kafka-raw.mjs'), '--records', String(records), '--partitions', String(partitions), '--bootstrap', bootstrap, ...extra],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    p.stdout.on('data', (d) => (text += d.toString()));
    p.on('exit', (code) => {
      const line = text.split('\n').find((l) => l.startsWith('kafka-raw: '));
      if (code !== 0 || line === undefined) reject(new Error(`kafka-raw.mjs failed (${code}): ${text}`));
      else resolve(JSON.parse(line.slice('kafka-raw: '.length)));
    });
  });
}

const rate = (ms) => Math.round((records / ms) * 1000);
const results = [];
for (let r = 1; r <= runs; r++) {
  const raw = await rawRun();
  const port = viaPort ? await rawRun(['--via-port']) : undefined;
  const ours = await engineRun(`${process.pid}-${Date.now().toString(36)}-${r}`);
  const line = {
    run: r,
    records,
    partitions,
    out: ours.out,
    kafkajsLoopRecordsPerSec: raw.recordsPerSec,
    ...(port ? { adapterLoopRecordsPerSec: port.recordsPerSec } : {}),
    ksqliteRecordsPerSec: rate(ours.ms),
    ratio: Number((ours.ms / raw.ms).toFixed(2)),
  };
  results.push(line);
  console.log(`kafka-filter: ${JSON.stringify(line)}`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `kafka-filter median of ${runs}: kafkajs loop ${median(results.map((x) => x.kafkajsLoopRecordsPerSec))} records/s, ksqlite ${median(results.map((x) => x.ksqliteRecordsPerSec))} records/s`,
);
