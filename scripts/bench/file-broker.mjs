// Throughput of the file broker through the Broker port (after `npm run build`).
// Usage: node scripts/bench/file-broker.mjs [--records N] [--batch B] [--dir PATH]
// Prints append rates (fsync 'always' and 'interval') and sequential read rates
// (fetch and a consumer's poll) from a broker opened afresh on the same data
// (page cache warm, broker caches cold). A short warm-up runs first so the
// figures are steady-state, not JIT compilation. Produce cycles through ten
// prepared batches, so the benchmark's own records do not weigh on the GC.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

// KSQLITE_DIST points at another build (a directory like dist/).
const dist = process.env.KSQLITE_DIST ? pathToFileURL(`${resolve(process.env.KSQLITE_DIST)}/`) : new URL('../../dist/', import.meta.url);
const { createFileBroker } = await import(new URL('broker/index.js', dist).href);

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const total = Number(arg('records', 1_000_000));
const batchSize = Number(arg('batch', 10_000));
const root = arg('dir', undefined) ?? mkdtempSync(join(tmpdir(), 'ksqlite-bench-'));

const encoder = new TextEncoder();
function makeBatches() {
  const batches = [];
  for (let start = 0; start < Math.min(total, 10 * batchSize); start += batchSize) {
    const batch = [];
    for (let i = start; i < Math.min(total, start + batchSize); i++) {
      batch.push({
        key: encoder.encode(`user_${i % 10_000}`),
        value: encoder.encode(`{"id":${i},"stars":${i % 5},"channel":"web"}`),
        timestamp: 1_700_000_000_000 + i,
      });
    }
    batches.push(batch);
  }
  return batches;
}

const rate = (n, ms) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} records/s`;

const prepared = makeBatches();

async function append(fsync, partitions, records = total, name = `${fsync}-${partitions}`) {
  const dataDir = join(root, name);
  const broker = await createFileBroker({ dataDir, fsync });
  await broker.createTopic({ name: 'bench', partitions });
  const started = performance.now();
  for (let done = 0, k = 0; done < records; k++) {
    const batch = prepared[k % prepared.length];
    await broker.produce('bench', batch);
    done += batch.length;
  }
  if (fsync === 'interval') await broker.flush();
  const ms = performance.now() - started;
  await broker.close();
  return { dataDir, ms };
}

async function readFetch(dataDir, partitions, expected = total) {
  const broker = await createFileBroker({ dataDir });
  const started = performance.now();
  let n = 0;
  for (let p = 0; p < partitions; p++) {
    let offset = 0;
    for (;;) {
      const records = await broker.fetch('bench', p, offset, 10_000);
      if (records.length === 0) break;
      n += records.length;
      offset = records[records.length - 1].offset + 1;
    }
  }
  const ms = performance.now() - started;
  await broker.close();
  if (n !== expected) throw new Error(`read ${n} of ${expected}`);
  return ms;
}

async function readPoll(dataDir, expected = total) {
  const broker = await createFileBroker({ dataDir });
  const consumer = await broker.subscribe({ groupId: 'bench', topics: ['bench'], fromBeginning: true });
  const started = performance.now();
  let n = 0;
  while (n < expected) {
    const records = await consumer.poll(10_000, 1000);
    if (records.length === 0) break;
    n += records.length;
  }
  const ms = performance.now() - started;
  await consumer.close();
  await broker.close();
  if (n !== expected) throw new Error(`polled ${n} of ${expected}`);
  return ms;
}

try {
  const warm = Math.min(total, 200_000);
  for (const fsync of ['always', 'interval']) {
    const { dataDir } = await append(fsync, 2, warm, `warm-${fsync}`);
    await readFetch(dataDir, 2, warm);
    await readPoll(dataDir, warm);
  }
  console.log(`file broker: ${total.toLocaleString('en-US')} records of ~60 bytes, produce batches of ${batchSize.toLocaleString('en-US')}, data in ${root}`);
  for (const partitions of [1, 4]) {
    const always = await append('always', partitions);
    console.log(`  append, ${partitions} partition(s), fsync always:   ${rate(total, always.ms)} (${(always.ms / 1000).toFixed(2)} s)`);
    const interval = await append('interval', partitions);
    console.log(`  append, ${partitions} partition(s), fsync interval: ${rate(total, interval.ms)} (${(interval.ms / 1000).toFixed(2)} s)`);
    const fetchMs = await readFetch(always.dataDir, partitions);
    console.log(`  read (fetch), ${partitions} partition(s), reopened:  ${rate(total, fetchMs)} (${(fetchMs / 1000).toFixed(2)} s)`);
    const pollMs = await readPoll(always.dataDir);
    console.log(`  read (poll), ${partitions} partition(s), reopened:   ${rate(total, pollMs)} (${(pollMs / 1000).toFixed(2)} s)`);
  }
} finally {
  if (arg('dir', undefined) === undefined) rmSync(root, { recursive: true, force: true });
}
