/**
 * The `ksqlite` command as a user runs it: a real process from bin/ksqlite
 * (npm test builds dist/ first), statements from -e, -f and a pipe.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths.js';

const bin = path.join(repoRoot, 'bin/ksqlite');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

// These tests are about the embedded log: the Kafka test servers' variables (npm test exports them) stay out.
const { KSQLITE_BOOTSTRAP_SERVER: _bootstrap, KSQLITE_SCHEMA_REGISTRY_URL: _registry, ...baseEnv } = process.env;

function ksqlite(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    env: { ...baseEnv, KSQLITE_DATA_DIR: fs.mkdtempSync(path.join(scratch, 'data-')) },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const CREATE = "CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR, pageid VARCHAR KEY) WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON', PARTITIONS=1);";

test('-e "SHOW STREAMS;" prints the Stream Name table and exits 0', () => {
  const r = ksqlite(['-e', 'SHOW STREAMS;']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^ Stream Name \| Kafka Topic \| Key Format \| Value Format \| Windowed/m);
});

test('-f runs a file, in order, printing each result', () => {
  const dir = fs.mkdtempSync(path.join(scratch, 'f-'));
  const file = path.join(dir, 'script.sql');
  fs.writeFileSync(file, `-- a script\n${CREATE}\nSHOW STREAMS;\nDESCRIBE pageviews;\n`);
  const r = ksqlite(['-f', file]);
  expect(r.code).toBe(0);
  expect(r.out).toContain('Stream created');
  expect(r.out).toMatch(/^ PAGEVIEWS +\| pageviews +\| KAFKA +\| JSON +\| false/m);
  expect(r.out).toMatch(/^ PAGEID +\| VARCHAR\(STRING\) +\(key\)/m);
});

test('statements piped on stdin run too', () => {
  const r = ksqlite([], `${CREATE}\nSHOW TABLES;\n`);
  expect(r.code).toBe(0);
  expect(r.out).toContain('Stream created');
  expect(r.out).toMatch(/^ Table Name +\|/m);
});

test('a bad statement exits 1, names the statement, line and column, and stops the script', () => {
  const r = ksqlite([], `SHOW STREAMS;\n${CREATE}\nSELEC oops;\nSHOW TABLES;\n`);
  expect(r.code).toBe(1);
  expect(r.err).toContain('Error in statement 3 (line 3)');
  expect(r.err).toContain('line 3:1: Syntax Error');
  // The statement, then a caret under the offending column.
  expect(r.err).toMatch(/\nSELEC oops\n\^/);
  expect(r.out).not.toMatch(/Table Name/);
});

test('a semantic error names the statement too', () => {
  const r = ksqlite(['-e', 'SHOW STREAMS; DROP STREAM nope;']);
  expect(r.code).toBe(1);
  expect(r.err).toContain('Error in statement 2 (line 1)');
  expect(r.err).toContain('Stream NOPE does not exist.');
});

test('--define feeds ${var}; --output json prints JSON', () => {
  const r = ksqlite(['--define', 'fmt=JSON', '--output', 'json', '-e', `CREATE STREAM s (v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='\${fmt}', PARTITIONS=1); SHOW STREAMS;`]);
  expect(r.code).toBe(0);
  const docs = r.out.trim().split('\n').filter((l) => l.startsWith('{') || l.startsWith('['));
  expect(docs.length).toBeGreaterThan(0);
  expect(r.out).toContain('"JSON"');
});

test('--help and --version', () => {
  const help = ksqlite(['--help']);
  expect(help.code).toBe(0);
  expect(help.out).toContain('--data-dir');
  const version = ksqlite(['--version']);
  expect(version.code).toBe(0);
  expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
});

test('bad usage exits 2 with a message', () => {
  const r = ksqlite(['--output', 'yaml', '-e', 'SHOW STREAMS;']);
  expect(r.code).toBe(2);
  expect(r.err).toContain('yaml');
});

test('--data-dir wins over $KSQLITE_BOOTSTRAP_SERVER; with --bootstrap-server it is a usage error', () => {
  const dir = fs.mkdtempSync(path.join(scratch, 'explicit-'));
  const r = spawnSync(process.execPath, [bin, '--data-dir', dir, '-e', 'SHOW STREAMS;'], {
    encoding: 'utf8',
    env: { ...baseEnv, KSQLITE_BOOTSTRAP_SERVER: '127.0.0.1:1' },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'topics'))).toBe(true);
  const both = ksqlite(['--data-dir', dir, '--bootstrap-server', '127.0.0.1:1', '-e', 'SHOW STREAMS;']);
  expect(both.code).toBe(2);
  expect(both.err).toContain('use either --data-dir (the embedded log) or --bootstrap-server (Kafka), not both');
});

test('an unreachable Kafka is a clear error naming the address, not a stack trace', () => {
  const r = ksqlite(['--bootstrap-server', '127.0.0.1:1', '-e', 'SHOW STREAMS;']);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/Cannot connect to Kafka at 127\.0\.0\.1:1/);
  expect(r.err).not.toMatch(/\n\s+at /);
}, 30_000);
