// Benchmarks with a baseline measured in the same run (npm run bench).
// Usage: node scripts/bench/run.mjs [filter] [--events N]
import { performance } from 'node:perf_hooks';
import { benchFilterProject } from './filter-project.mjs';
import { benchWindowedAggregate } from './windowed-aggregate.mjs';
import { benchSeedJoin } from './seed-join.mjs';

const args = process.argv.slice(2);
const eventsArg = args.indexOf('--events');
const events = eventsArg >= 0 ? Number(args[eventsArg + 1]) : 1_000_000;
const only = args.find((a, i) => !a.startsWith('--') && (eventsArg < 0 || i !== eventsArg + 1));

const benches = { 'filter-project': benchFilterProject, 'windowed-aggregate': benchWindowedAggregate, 'seed-join': benchSeedJoin };
for (const [name, run] of Object.entries(benches)) {
  if (only && !name.includes(only)) continue;
  const started = performance.now();
  const result = await run(events);
  console.log(`${name}: ${JSON.stringify(result)} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
