// The floor for a filter query on Kafka: a plain kafkajs consume-transform-
// produce loop moving N JSON events from one topic to another, with the same
// parse / filter / project / stringify as filter-project.mjs's baseline (or
// every record, with --all). Prints records/s of the loop (load excluded).
//
// Usage: node scripts/bench/kafka-raw.mjs [--records N] [--partitions P] [--all]
//          [--bootstrap host:port] [--via-port]
// --via-port runs the same loop over ksqlite's Kafka adapter of the Broker
// port (dist/, so `npm run build` first) instead of kafkajs's consumer and
// producer, to compare the two.
// The broker: KSQLITE_BOOTSTRAP_SERVER, else 127.0.0.1:9092 (scripts/kafka/start.sh).
import { performance } from 'node:perf_hooks';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const records = Number(option('--records', '200000'));
const partitions = Number(option('--partitions', '1'));
const bootstrap = option('--bootstrap', process.env.KSQLITE_BOOTSTRAP_SERVER || '127.0.0.1:9092');
const copyAll = args.includes('--all');
const viaPort = args.includes('--via-port');

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const channels = ['web', 'ios', 'android', 'email'];
const run = `${process.pid}-${Date.now().toString(36)}`;
const input = `bench-raw-in-${run}`;
const output = `bench-raw-out-${run}`;

/** The filter query's work on one value: null when filtered out. */
function transform(bytes) {
  const v = JSON.parse(decoder.decode(bytes));
  if (!copyAll && !(v.STARS < 3 && v.CHANNEL !== 'email')) return null;
  return encoder.encode(JSON.stringify({ RATING_ID: v.RATING_ID, CHANNEL: v.CHANNEL.toUpperCase(), STARS: v.STARS * 2 }));
}

const kafka = new Kafka({ clientId: 'ksqlite-bench', brokers: [bootstrap], logLevel: logLevel.ERROR });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({
  topics: [
    { topic: input, numPartitions: partitions },
    { topic: output, numPartitions: partitions },
  ],
  waitForLeaders: true,
});

// Load (not measured in the loop's rate).
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
await producer.connect();
let expectedOut = 0;
const loadStarted = performance.now();
// kafkajs sends one batch per partition per call: keep it under Kafka's 1 MiB message.max.bytes.
const CHUNK = 5000;
for (let i = 0; i < records; i += CHUNK) {
  const messages = [];
  for (let j = i; j < Math.min(records, i + CHUNK); j++) {
    const value = encoder.encode(
      JSON.stringify({
        RATING_ID: j,
        CHANNEL: channels[j % 4],
        STARS: ((j * 7) % 5) + 1,
        MESSAGE: `message number ${j}`,
        ROUTE_ID: j % 977,
      }),
    );
    if (copyAll || (((j * 7) % 5) + 1 < 3 && channels[j % 4] !== 'email')) expectedOut++;
    messages.push({
      key: `user_${j % 10000}`,
      value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
      timestamp: String(j),
    });
  }
  await producer.send({ topic: input, messages, acks: -1 });
}
const loadMs = performance.now() - loadStarted;

const started = performance.now();
let consumed = 0;
let produced = 0;
if (viaPort) {
  const { createKafkaBroker } = await import('../../dist/broker/kafka/index.js');
  const broker = await createKafkaBroker({ brokers: [bootstrap] });
  const consumer = await broker.subscribe({ groupId: `bench-port-${run}`, topics: [input], fromBeginning: true });
  while (consumed < records) {
    const batch = await consumer.poll(10_000, 1000);
    const out = [];
    for (const r of batch) {
      const value = transform(r.value);
      if (value !== null) out.push({ key: r.key, value, timestamp: r.timestamp });
    }
    if (out.length > 0) await broker.produce(output, out);
    await consumer.commit();
    consumed += batch.length;
    produced += out.length;
  }
  await consumer.close();
  await broker.close();
} else {
  const consumer = kafka.consumer({ groupId: `bench-raw-${run}`, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: input, fromBeginning: true });
  let finished;
  const done = new Promise((resolve) => (finished = resolve));
  await consumer.run({
    autoCommit: true,
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      const messages = [];
      for (const m of batch.messages) {
        const value = transform(m.value);
        if (value !== null)
          messages.push({
            key: m.key,
            value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
            timestamp: m.timestamp,
          });
      }
      for (let i = 0; i < messages.length; i += CHUNK)
        await producer.send({ topic: output, messages: messages.slice(i, i + CHUNK), acks: -1 });
      consumed += batch.messages.length;
      produced += messages.length;
      if (consumed >= records) finished();
    },
  });
  await done;
  await consumer.disconnect();
}
const ms = performance.now() - started;

const ends = await admin.fetchTopicOffsets(output);
const landed = ends.reduce((n, p) => n + Number(p.high), 0);
await producer.disconnect();
await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
await admin.disconnect();

const result = {
  mode: viaPort ? 'ksqlite Kafka adapter' : 'kafkajs',
  records,
  partitions,
  out: landed,
  expectedOut,
  ms: Math.round(ms),
  recordsPerSec: Math.round((records / ms) * 1000),
  loadRecordsPerSec: Math.round((records / loadMs) * 1000),
};
console.log(`kafka-raw: ${JSON.stringify(result)}`);
if (landed !== expectedOut || produced !== expectedOut) {
  console.error(`expected ${expectedOut} records in ${output}, found ${landed}`);
  process.exitCode = 1;
}
