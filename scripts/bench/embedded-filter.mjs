// The filter query end to end on the embedded log, as a user runs it: `ksqlite
// produce` of a JSON-lines file, then `ksqlite -e` creating a filter CSAS (the
// process lets the query finish its input before it exits). Baseline, same
// run: a plain Node loop reading the same file, JSON.parse, the same filter,
// JSON.stringify, written to a file. Usage (after npm run build):
//   node scripts/bench/embedded-filter.mjs [--events N] [--runs R]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const events = arg('events', 300_000);
const runs = arg('runs', 3);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../bin/ksqlite');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-bench-e2e-'));
const input = path.join(scratch, 'events.jsonl');

const channels = ['web', 'mobile', 'store', 'partner'];
const lines = [];
for (let i = 0; i < events; i++) {
  lines.push(JSON.stringify({ ID: i, CHANNEL: channels[i % 4], USER_ID: `u${i % 5000}`, AMOUNT: (i % 1000) / 10, NOTE: 'a short note' }));
}
fs.writeFileSync(input, `${lines.join('\n')}\n`);

async function baseline() {
  const out = fs.createWriteStream(path.join(scratch, 'baseline.jsonl'));
  const started = performance.now();
  let kept = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(input), crlfDelay: Infinity });
  let buffer = [];
  for await (const line of rl) {
    const e = JSON.parse(line);
    if (e.AMOUNT > 50 && e.CHANNEL !== 'partner') {
      buffer.push(JSON.stringify({ ID: e.ID, USER_ID: e.USER_ID, AMOUNT: e.AMOUNT }));
      kept += 1;
      if (buffer.length >= 5000) {
        out.write(`${buffer.join('\n')}\n`);
        buffer = [];
      }
    }
  }
  out.write(`${buffer.join('\n')}\n`);
  await new Promise((resolve) => out.end(resolve));
  return { ms: performance.now() - started, kept };
}

function ksqlite(dir, argv) {
  const r = spawnSync(process.execPath, [bin, '--data-dir', dir, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ksqlite ${argv.join(' ')} failed: ${r.stderr}`);
  return r;
}

function engine() {
  const dir = fs.mkdtempSync(path.join(scratch, 'data-'));
  const t0 = performance.now();
  ksqlite(dir, ['produce', 'events', '-f', input, '--partitions', '1']);
  const t1 = performance.now();
  ksqlite(dir, [
    '-e',
    `SET 'auto.offset.reset'='earliest';
     CREATE STREAM EVENTS (ID INT, CHANNEL STRING, USER_ID STRING, AMOUNT DOUBLE, NOTE STRING) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='JSON');
     CREATE STREAM BIG AS SELECT ID, USER_ID, AMOUNT FROM EVENTS WHERE AMOUNT > 50 AND CHANNEL != 'partner';`,
  ]);
  const t2 = performance.now();
  const kept = ksqlite(dir, ['print', 'BIG', '--from-beginning', '--exit']).stdout.split('\n').filter((l) => l.startsWith('rowtime:')).length;
  fs.rmSync(dir, { recursive: true, force: true });
  return { produceMs: t1 - t0, queryMs: t2 - t1, ms: t2 - t0, kept };
}

// The same query in this process, on the file broker through the engine (no process start-up):
// the events are appended to the log first, then the CSAS is timed until it has written every output.
const dist = new URL('../../dist/', import.meta.url);
const { Engine, openEmbeddedBackend, produceBytes } = await import(new URL('engine/index.js', dist).href);
async function inProcess() {
  const dir = fs.mkdtempSync(path.join(scratch, 'inproc-'));
  const backend = await openEmbeddedBackend(dir);
  await produceBytes(backend.broker, 'events', fs.createReadStream(input), { partitions: 1 });
  const engine = await Engine.create({ broker: backend.broker, commandLog: true });
  const t0 = performance.now();
  await engine.execute(`SET 'auto.offset.reset'='earliest';
    CREATE STREAM EVENTS (ID INT, CHANNEL STRING, USER_ID STRING, AMOUNT DOUBLE, NOTE STRING) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='JSON');
    CREATE STREAM BIG AS SELECT ID, USER_ID, AMOUNT FROM EVENTS WHERE AMOUNT > 50 AND CHANNEL != 'partner';`);
  await engine.settle();
  const ms = performance.now() - t0;
  const kept = (await backend.broker.endOffsets('BIG')).reduce((n, p) => n + p.offset, 0);
  await engine.close();
  await backend.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { ms, kept };
}

const rate = (ms) => Math.round(events / (ms / 1000));
const ratios = { inProcess: [], query: [], total: [] };
for (let r = 1; r <= runs; r++) {
  const b = await baseline();
  const e = engine();
  if (e.kept !== b.kept) throw new Error(`ksqlite kept ${e.kept} events, the baseline ${b.kept}`);
  const p = await inProcess();
  if (p.kept !== b.kept) throw new Error(`ksqlite (in process) kept ${p.kept} events, the baseline ${b.kept}`);
  ratios.inProcess.push(p.ms / b.ms);
  ratios.query.push(e.queryMs / b.ms);
  ratios.total.push(e.ms / b.ms);
  console.log(`run ${r}: in process, log to log: filter CSAS ${p.ms.toFixed(0)} ms (${rate(p.ms)}/s), ${(p.ms / b.ms).toFixed(2)}x the plain loop`);
  console.log(
    `run ${r}: ${events} events, ${b.kept} kept | plain Node loop ${b.ms.toFixed(0)} ms (${rate(b.ms)}/s) | ksqlite produce ${e.produceMs.toFixed(0)} ms + filter CSAS ${e.queryMs.toFixed(0)} ms = ${e.ms.toFixed(0)} ms (${rate(e.ms)}/s); ratio ${(e.ms / b.ms).toFixed(2)}x, query alone ${(e.queryMs / b.ms).toFixed(2)}x`,
  );
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(2);
console.log(
  `median of ${runs} runs, times the plain loop: in process (log to log) ${median(ratios.inProcess)}x | CLI query alone (process start included) ${median(ratios.query)}x | CLI produce + query ${median(ratios.total)}x`,
);
fs.rmSync(scratch, { recursive: true, force: true });
