// Groups the failing cases of a `ksqlite test --json` report by message, for one
// subset (stateless | aggregations | joins, as scripts/qtt-report.mjs defines them).
// Usage: node scripts/qtt-failures.mjs report.json [subset] [qtt-dir]
import fs from 'node:fs';
import path from 'node:path';

const report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const want = process.argv[3] ?? 'stateless';
const dir = process.argv[4] ?? '../shared/qtt';
const statements = new Map();
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
  for (const t of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).tests) statements.set(`${f}\u0000${t.name}`, t.statements);
}
const groups = new Map();
for (const c of report.cases) {
  if (c.status === 'pass') continue;
  const sql = (statements.get(`${c.file}\u0000${c.test}`) ?? []).map((s) => s.split('{FORMAT}').join(c.format ?? '')).join('\n').toUpperCase();
  if (/PROTOBUF|JSON_SR/.test(sql)) continue;
  const subset = /\bJOIN\b/.test(sql) ? 'joins' : /\bGROUP\s+BY\b|\bWINDOW\b/.test(sql) ? 'aggregations' : 'stateless';
  if (subset !== want) continue;
  const k = String(c.message).replace(/`[^`]*`/g, '`X`').replace(/\d+/g, 'N').replace(/'[^']*'/g, 'Q').slice(0, 100);
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(`${c.file}/${c.test}${c.format ? ` [${c.format}]` : ''}`);
}
for (const [k, v] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
  console.log(v.length, k.replace(/\n/g, ' / '), '\n     e.g.', v.slice(0, 4).join(' | '));
}
