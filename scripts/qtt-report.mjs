// Summarizes a `ksqlite test --json` report by the issue subsets:
// stateless (no JOIN / GROUP BY / WINDOW), aggregations (GROUP BY or WINDOW, no JOIN), joins;
// cases whose statements use PROTOBUF or JSON_SR are left out of the subsets.
// Usage: node scripts/qtt-report.mjs report.json [qtt-dir]
import fs from 'node:fs';
import path from 'node:path';

const report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const dir = process.argv[3] ?? '../shared/qtt';
const statements = new Map();
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
  for (const t of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).tests) statements.set(`${f}\u0000${t.name}`, t.statements);
}
const subsets = { stateless: [0, 0], aggregations: [0, 0], joins: [0, 0] };
for (const c of report.cases) {
  const sql = (statements.get(`${c.file}\u0000${c.test}`) ?? []).map((s) => s.split('{FORMAT}').join(c.format ?? '')).join('\n').toUpperCase();
  if (/PROTOBUF|JSON_SR/.test(sql)) continue;
  const join = /\bJOIN\b/.test(sql);
  const agg = /\bGROUP\s+BY\b|\bWINDOW\b/.test(sql);
  const subset = join ? 'joins' : agg ? 'aggregations' : 'stateless';
  subsets[subset][c.status === 'pass' ? 0 : 1] += 1;
}
const line = ([p, f]) => `${p} passed, ${f} failed of ${p + f} (${((100 * p) / Math.max(1, p + f)).toFixed(1)}%)`;
console.log(`overall: ${report.passed} passed, ${report.failed} failed of ${report.passed + report.failed}`);
for (const [name, counts] of Object.entries(subsets)) console.log(`${name}: ${line(counts)}`);
