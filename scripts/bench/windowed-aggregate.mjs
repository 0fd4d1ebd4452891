// COUNT and AVG per channel over a 1-minute tumbling window: ksqlite on the in-memory broker
// against a plain Node loop doing the same JSON parse and per-window, per-key aggregation.
// Also samples RSS while stream time moves over many windows at a fixed key count.
import { performance } from 'node:perf_hooks';
import { Engine } from '../../dist/engine/index.js';
import { createMemoryBroker } from '../../dist/broker/index.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CHANNELS = ['web', 'ios', 'android', 'email', 'sms', 'push', 'api', 'kiosk'];

function makeEvents(n, msPerEvent) {
  const values = new Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = encoder.encode(JSON.stringify({ CHANNEL: CHANNELS[i % CHANNELS.length], STARS: (i * 7) % 5 + 1 }));
  }
  return { values, ts: (i) => i * msPerEvent };
}

function baseline(data) {
  const started = performance.now();
  const windows = new Map();
  let out = 0;
  for (let i = 0; i < data.values.length; i++) {
    const v = JSON.parse(decoder.decode(data.values[i]));
    const start = Math.floor(data.ts(i) / 60000) * 60000;
    const k = `${v.CHANNEL}@${start}`;
    let s = windows.get(k);
    if (!s) windows.set(k, (s = { count: 0, sum: 0 }));
    s.count += 1;
    s.sum += v.STARS;
    out += encoder.encode(JSON.stringify({ C: s.count, A: s.sum / s.count })).length > 0 ? 1 : 0;
  }
  return { ms: performance.now() - started, out };
}

async function ksqlite(data) {
  const broker = createMemoryBroker();
  const engine = await Engine.create({ broker, queryDriver: 'manual', properties: { 'auto.offset.reset': 'earliest' } });
  await engine.execute("CREATE STREAM RATINGS (CHANNEL STRING, STARS INT) WITH (KAFKA_TOPIC='ratings', VALUE_FORMAT='JSON', PARTITIONS=1);");
  const n = data.values.length;
  for (let i = 0; i < n; i += 50_000) {
    const records = [];
    for (let j = i; j < Math.min(n, i + 50_000); j++) records.push({ key: null, value: data.values[j], timestamp: data.ts(j) });
    await broker.produce('ratings', records);
  }
  await engine.execute(
    'CREATE TABLE DASHBOARD AS SELECT CHANNEL, COUNT(*) AS C, AVG(STARS) AS A FROM RATINGS WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY CHANNEL;',
  );
  const rss = [];
  const query = engine.queries.all()[0];
  const started = performance.now();
  for (;;) {
    const moved = await query.pump(0);
    rss.push(process.memoryUsage().rss);
    if (moved === 0) break;
  }
  const ms = performance.now() - started;
  const out = (await broker.endOffsets('DASHBOARD')).reduce((s, e) => s + e.offset, 0);
  await engine.close();
  return { ms, out, rss };
}

export async function benchWindowedAggregate(n) {
  // 10 events per second of event time: 1M events span ~28 hours, i.e. ~1,700 windows per key.
  const data = makeEvents(n, 100);
  const base = baseline(data);
  const ours = await ksqlite(data);
  const rate = (ms) => Math.round(n / (ms / 1000));
  const mb = (b) => Math.round(b / 1e6);
  const q = ours.rss.length;
  return {
    events: n,
    baselineEventsPerSec: rate(base.ms),
    ksqliteEventsPerSec: rate(ours.ms),
    outputs: ours.out,
    rssMbAtQuarters: [mb(ours.rss[Math.floor(q / 4)]), mb(ours.rss[Math.floor(q / 2)]), mb(ours.rss[Math.floor((3 * q) / 4)]), mb(ours.rss[q - 1])],
  };
}
