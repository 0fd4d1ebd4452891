/**
 * The acceptance scenario: the seed pipeline (DESIGN.md; KSQL 5.x's streaming
 * ETL of ratings joined to CDC customers) run unchanged by `ksqlite -f` on the
 * default embedded data directory, over generated customers and ratings whose
 * expected alerts are computed in seed-data.ts, independently of the engine.
 * Runs the compiled code (npm test builds dist/ first).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';
import { expectedResults, generateSeedData, seedScript, type Alert, type Phase } from './seed-data.js';

const bin = path.join(repoRoot, 'bin/ksqlite');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-seed-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A home folder of its own, so that ksqlite's default data directory (~/.local/share/ksqlite) is in it. */
function home(): string {
  return fs.mkdtempSync(path.join(scratch, 'home-'));
}

/** Runs ksqlite with no --data-dir and no $KSQLITE_DATA_DIR / $XDG_DATA_HOME, without blocking jest's event loop. */
function ksqlite(homeDir: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: homeDir };
  delete env.KSQLITE_DATA_DIR;
  delete env.XDG_DATA_HOME;
  // scripts/with-kafka.sh exports these for the Kafka tests; they would take ksqlite off the embedded log.
  delete env.KSQLITE_BOOTSTRAP_SERVER;
  delete env.KSQLITE_SCHEMA_REGISTRY_URL;
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd: homeDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      err += `\n(killed after ${timeoutMs} ms)`;
      p.kill('SIGKILL');
    }, timeoutMs);
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** A topic's records (key and value text) as `ksqlite print` shows them. */
async function topicRecords(homeDir: string, topic: string): Promise<{ key: string; value: string }[]> {
  const r = await ksqlite(homeDir, ['print', topic, '--from-beginning', '--exit']);
  expect(r.err).toBe('');
  return r.out
    .split('\n')
    .filter((l) => l.startsWith('rowtime:'))
    .map((l) => {
      const m = /key: (.*?), value: (.*), partition: \d+$/.exec(l);
      if (!m) throw new Error(`unexpected PRINT line: ${l}`);
      return { key: m[1] as string, value: m[2] as string };
    });
}

const canonical = (a: Alert): string => JSON.stringify([a.CLUB_STATUS, a.EMAIL, a.STARS, a.MESSAGE]);
const multiset = (alerts: readonly Alert[]): string[] => alerts.map(canonical).sort();

const WARNING = /^WARNING: The projection of UNHAPPY_PLATINUM_CUSTOMERS leaves out the key column ID of RATINGS_ENRICHED, so UNHAPPY_PLATINUM_CUSTOMERS has no key\. To keep it, add ID to the SELECT list/;
const STRICT_ERROR = 'The query used to build `UNHAPPY_PLATINUM_CUSTOMERS` must include the key column ID in its projection (eg, SELECT ID...).';

test('the seed pipeline runs unchanged through ksqlite -f on the default data directory and raises exactly the expected alerts', async () => {
  const data = generateSeedData({ customers: 150, ratingsPerBatch: 600, updates: 40, seed: 20180914 });
  const expected = expectedResults(data);
  // The data exercises what the seed is about: alerts before and after CDC changes, filtered unknown users.
  expect(expected.alerts.length).toBeGreaterThan(20);
  expect(expected.enriched).toBeLessThan(expected.ratings - 50);
  // A join that saw the CDC updates too early, or never, would give other alerts.
  const [snapshot, first, updates, second] = data.phases as [Phase, Phase, Phase, Phase];
  const updatesFirst = expectedResults({ ...data, phases: [snapshot, updates, first, second] });
  const noUpdates = expectedResults({ ...data, phases: [snapshot, first, second] });
  expect(multiset(updatesFirst.alerts)).not.toEqual(multiset(expected.alerts));
  expect(multiset(noUpdates.alerts)).not.toEqual(multiset(expected.alerts));

  const dir = home();
  const script = path.join(dir, 'seed.sql');
  fs.writeFileSync(script, seedScript(data));
  const r = await ksqlite(dir, ['-f', script]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);

  // The default location: ~/.local/share/ksqlite.
  expect(fs.existsSync(path.join(dir, '.local/share/ksqlite/topics/UNHAPPY_PLATINUM_CUSTOMERS'))).toBe(true);

  // The one lenient step: UNHAPPY_PLATINUM_CUSTOMERS drops RATINGS_ENRICHED's key, with one warning that says how to keep it.
  const warnings = r.out.split('\n').filter((l) => l.startsWith('WARNING:'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(WARNING);

  expect(r.out).toContain('Created query with ID CSAS_CUSTOMERS_SRC_REKEY_');
  // KEY='ID': ID is the table's primary key, typed as CUSTOMERS_SRC_REKEY's key (the PARTITION BY of an INT).
  expect(r.out).toMatch(/Name +: CUSTOMERS\n[^]*? ID +\| INTEGER +\(primary key\)/);
  expect(r.out).toMatch(/CSAS_RATINGS_ENRICHED_\d+ +\| PERSISTENT +\| RUNNING:1 +\| RATINGS_ENRICHED +\| ratings-with-customer-data/);

  // The last DESCRIBE EXTENDED comes after the last alert: every enriched rating is counted.
  const totals = [...r.out.matchAll(/total-messages:\s+(\d+)/g)].map((m) => Number(m[1]));
  expect(totals.length).toBeGreaterThan(0);
  expect(totals[totals.length - 1]).toBe(expected.enriched);

  const enriched = await topicRecords(dir, 'ratings-with-customer-data');
  expect(enriched).toHaveLength(expected.enriched);

  const alerts = await topicRecords(dir, 'UNHAPPY_PLATINUM_CUSTOMERS');
  expect(alerts.every((a) => a.key === '<null>')).toBe(true);
  expect(multiset(alerts.map((a) => JSON.parse(a.value) as Alert))).toEqual(multiset(expected.alerts));
}, 90_000);

test("with 'ksql.new.query.planner.enabled'='false' the seed's UNHAPPY_PLATINUM_CUSTOMERS fails with ksqlDB's error", async () => {
  const data = generateSeedData({ customers: 5, ratingsPerBatch: 3, updates: 2, seed: 1 });
  const dir = home();
  const script = path.join(dir, 'seed.sql');
  const text = seedScript(data, { strict: true });
  fs.writeFileSync(script, text);
  const r = await ksqlite(dir, ['-f', script]);
  expect(r.code).toBe(1);
  const line = text.split('\n').findIndex((l) => l.startsWith('CREATE STREAM UNHAPPY_PLATINUM_CUSTOMERS')) + 1;
  expect(r.err).toContain(`(line ${line}): ${STRICT_ERROR}`);
  expect(r.out).not.toContain('WARNING:');
  expect(r.out).toContain('Created query with ID CSAS_RATINGS_ENRICHED_');
  expect(fs.existsSync(path.join(dir, '.local/share/ksqlite/topics/UNHAPPY_PLATINUM_CUSTOMERS'))).toBe(false);
}, 60_000);
