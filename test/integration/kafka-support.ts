/**
 * What the Kafka integration tests share: real `ksqlite` processes (the
 * compiled CLI, spawned without blocking jest's event loop), kcat as an
 * independent client, waiting for a condition, and removing what a run
 * created from the shared broker and registry.
 *
 * The tests run when KSQLITE_BOOTSTRAP_SERVER names a broker (npm test
 * starts one with scripts/kafka/start.sh) and skip with a note otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createKafkaBroker } from '../../src/broker/kafka/index.js';
import { repoRoot } from '../support/paths.js';

export const bootstrap = process.env.KSQLITE_BOOTSTRAP_SERVER || undefined;
export const registryUrl = process.env.KSQLITE_SCHEMA_REGISTRY_URL || undefined;

let warned = false;

/** `test` when a broker (and, if asked, a registry) is configured, else `test.skip` after a note saying why. */
export function kafkaTest(what: string, needsRegistry = false): jest.It {
  if (bootstrap !== undefined && (!needsRegistry || registryUrl !== undefined)) return test;
  if (!warned) {
    warned = true;
    const unset = bootstrap === undefined ? 'KSQLITE_BOOTSTRAP_SERVER is' : 'KSQLITE_SCHEMA_REGISTRY_URL is';
    console.warn(`${unset} not set: ${what} and the other Kafka tests of this file are skipped (scripts/kafka/start.sh starts a broker and a registry).`);
  }
  return test.skip;
}

/** A name no earlier run used: topic prefix and service id of one test. */
export function runId(tag: string): string {
  return `kit${tag}${Date.now().toString(36)}${process.pid.toString(36)}`;
}

const bin = path.join(repoRoot, 'bin/ksqlite');
const running = new Set<ChildProcess>();

/** Kills what a test left running (call in afterAll). */
export function killAll(): void {
  for (const p of running) p.kill('SIGKILL');
}

export interface Finished {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

/** Runs ksqlite to its end without blocking the event loop (other processes' output keeps flowing). */
export function ksqlite(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<Finished> {
  const started = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(p);
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => {
      clearTimeout(timer);
      running.delete(p);
      resolve({ code, out, err, ms: Date.now() - started });
    });
    p.stdin.end(options.input ?? '');
  });
}

export interface Background {
  readonly proc: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
}

/** A ksqlite process left running (`run --queries-file`), its stdout and stderr collected. */
export function background(args: readonly string[]): Background {
  const proc = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      running.delete(proc);
      resolve(code);
    }),
  );
  return { proc, output: () => out, exited };
}

/** Polls `read` until `ok` holds; the error names what was awaited and the last value. */
export async function until<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// --- kcat ----------------------------------------------------------------------------------

/** kcat's version line, or undefined when it is not installed (scripts/kafka/tools.sh installs it). */
export function kcatVersion(): string | undefined {
  const r = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}

/** Runs kcat to its end (non-blocking), stdout as bytes. */
export function kcat(args: readonly string[], input?: string): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('error', reject);
    p.stdout.on('data', (d: Buffer) => chunks.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out: Buffer.concat(chunks), err });
    });
    p.stdin.end(input ?? '');
  });
}

/**
 * Writes `key<TAB>value` lines to a topic with kcat, partitioned as Java clients (and ksqlite)
 * partition: murmur2 of the key.
 */
export async function kcatProduce(servers: string, topic: string, lines: readonly string[]): Promise<void> {
  const r = await kcat(['-P', '-b', servers, '-t', topic, '-K', '\t', '-X', 'partitioner=murmur2_random'], lines.map((l) => `${l}\n`).join(''));
  if (r.code !== 0) throw new Error(`kcat -P -t ${topic} failed (${r.code}): ${r.err}`);
}

export interface RawRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Every record of a topic, read by kcat from the beginning to the end (-e), keys and values as
 * bytes: kcat prints each as `<key length>:<key><value length>:<value>` (lengths -1 for null).
 */
export async function kcatRecords(servers: string, topic: string): Promise<RawRecord[]> {
  const r = await kcat(['-C', '-b', servers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p:%o:%K:%k%S:%s']);
  if (r.code !== 0) throw new Error(`kcat -C -t ${topic} failed (${r.code}): ${r.err}`);
  const out: RawRecord[] = [];
  const buf = r.out;
  let at = 0;
  const number = (): number => {
    const colon = buf.indexOf(0x3a, at);
    const n = Number(buf.subarray(at, colon).toString('latin1'));
    at = colon + 1;
    return n;
  };
  const bytes = (): Buffer | null => {
    const length = number();
    if (length < 0) return null;
    const b = buf.subarray(at, at + length);
    at += length;
    return b;
  };
  while (at < buf.length) {
    const partition = number();
    const offset = number();
    const key = bytes();
    const value = bytes();
    out.push({ key, value, partition, offset });
  }
  return out;
}

/** The values of a topic of JSON records, parsed (kcat reading). */
export async function kcatJsonValues(servers: string, topic: string): Promise<Record<string, unknown>[]> {
  return (await kcatRecords(servers, topic)).map((r) => JSON.parse(r.value?.toString('utf8') ?? 'null') as Record<string, unknown>);
}

/** Whether a topic exists (kcat's metadata listing). */
export async function topicExists(servers: string, topic: string): Promise<boolean> {
  const r = await kcat(['-L', '-b', servers, '-t', topic, '-J']);
  if (r.code !== 0) return false;
  const meta = JSON.parse(r.out.toString('utf8')) as { topics: Array<{ topic: string; error?: string }> };
  return meta.topics.some((t) => t.topic === topic && t.error === undefined);
}

// --- cleanup -------------------------------------------------------------------------------

/**
 * Deletes what a run made on the shared broker and registry: topics named with one of
 * `prefixes`, the service's internal topics and consumer groups (`_ksqlite_<id>_...`), and
 * registry subjects of those topics.
 */
export async function deleteRunData(servers: string, prefixes: readonly string[], serviceIds: readonly string[]): Promise<void> {
  const mine = (name: string): boolean =>
    prefixes.some((p) => name.startsWith(p)) || serviceIds.some((id) => name.startsWith(`_ksqlite_${id}_`));
  const broker = await createKafkaBroker({ brokers: servers.split(','), connectionTimeoutMs: 5000 });
  try {
    for (const g of (await broker.listGroups()).filter(mine)) await broker.deleteGroup(g).catch(() => undefined);
    for (const t of (await broker.listTopics()).filter(mine)) await broker.deleteTopic(t).catch(() => undefined);
  } finally {
    await broker.close();
  }
  if (registryUrl === undefined) return;
  const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
  for (const s of subjects.filter(mine)) {
    const at = `${registryUrl}/subjects/${encodeURIComponent(s)}`;
    await fetch(at, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${at}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
  }
}

/** Multiset difference, both ways, of two lists of records (compared as canonical JSON). */
export function multisetDiff(actual: readonly unknown[], expected: readonly unknown[]): { missing: string[]; unexpected: string[] } {
  const canonical = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) =>
      x !== null && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : x,
    );
  const left = new Map<string, number>();
  for (const e of expected) left.set(canonical(e), (left.get(canonical(e)) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const a of actual) {
    const c = canonical(a);
    const n = left.get(c) ?? 0;
    if (n === 0) unexpected.push(c);
    else left.set(c, n - 1);
  }
  const missing = [...left].flatMap(([c, n]) => Array<string>(n).fill(c));
  return { missing, unexpected };
}
