// Filter + projection over JSON events: ksqlite's CSAS on the in-memory broker
// against a plain Node loop doing the same JSON parse / filter / stringify.
import { performance } from 'node:perf_hooks';
import { Engine } from '../../dist/engine/index.js';
import { createMemoryBroker } from '../../dist/broker/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function makeEvents(n) {
  const values = new Array(n);
  const keys = new Array(n);
  const channels = ['web', 'ios', 'android', 'email'];
  for (let i = 0; i < n; i++) {
    keys[i] = encoder.encode(`user_${i % 10000}`);
    values[i] = encoder.encode(
      JSON.stringify({ RATING_ID: i, CHANNEL: channels[i % 4], STARS: (i * 7) % 5 + 1, MESSAGE: `message number ${i}`, ROUTE_ID: i % 977 }),
    );
  }
  return { keys, values };
}

/** The same work without an engine: parse, filter, project, stringify. */
function baseline({ values }) {
  const started = performance.now();
  let out = 0;
  for (let i = 0; i < values.length; i++) {
    const v = JSON.parse(decoder.decode(values[i]));
    if (v.STARS < 3 && v.CHANNEL !== 'email') {
      const bytes = encoder.encode(JSON.stringify({ RATING_ID: v.RATING_ID, CHANNEL: v.CHANNEL.toUpperCase(), STARS: v.STARS * 2 }));
      out += bytes.length > 0 ? 1 : 0;
    }
  }
  return { ms: performance.now() - started, out };
}

async function ksqlite(data) {
  const broker = createMemoryBroker();
  const engine = await Engine.create({ broker, queryDriver: 'manual', properties: { 'auto.offset.reset': 'earliest' } });
  await engine.execute(
    "CREATE STREAM RATINGS (USER_ID STRING KEY, RATING_ID BIGINT, CHANNEL STRING, STARS INT, MESSAGE STRING, ROUTE_ID INT) WITH (KAFKA_TOPIC='ratings', VALUE_FORMAT='JSON', PARTITIONS=1);",
  );
  const n = data.values.length;
  const batch = 50_000;
  for (let i = 0; i < n; i += batch) {
    const records = [];
    for (let j = i; j < Math.min(n, i + batch); j++) records.push({ key: data.keys[j], value: data.values[j], timestamp: j });
    await broker.produce('ratings', records);
  }
  await engine.execute(
    "CREATE STREAM POOR AS SELECT USER_ID, RATING_ID, UCASE(CHANNEL) AS CHANNEL, STARS * 2 AS STARS FROM RATINGS WHERE STARS < 3 AND CHANNEL <> 'email';",
  );
  const started = performance.now();
  await engine.drain();
  const ms = performance.now() - started;
  const ends = await broker.endOffsets('POOR');
  const out = ends.reduce((s, e) => s + e.offset, 0);
  await engine.close();
  return { ms, out };
}

export async function benchFilterProject(n) {
  const data = makeEvents(n);
  const base = baseline(data);
  const ours = await ksqlite(data);
  const rate = (ms) => Math.round(n / (ms / 1000));
  return {
    events: n,
    baselineEventsPerSec: rate(base.ms),
    ksqliteEventsPerSec: rate(ours.ms),
    baselineOut: base.out,
    ksqliteOut: ours.out,
    ratio: Number((ours.ms / base.ms).toFixed(2)),
  };
}
