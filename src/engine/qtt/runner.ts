/**
 * Runs one QTT case on a fresh engine over an in-memory broker, the way
 * ksqlDB's test driver does: statements first, then each input record pushed
 * through every query before the next, then outputs compared per topic in
 * order, then the post-conditions.
 */
import { createMemoryBroker, type Broker, type ProducerRecord } from '../../broker/index.js';
import { parseStatement, formatType as formatTypeNode, type TableElement } from '../../parser/index.js';
import type { DataSource } from '../../planner/metastore.js';
import { createSerde, type RowSerde, type SchemaRegistry } from '../../serde/index.js';
import { formatIdentifierLikeParser } from './types.js';
import { Engine } from '../engine.js';
import { StatementError } from '../errors.js';
import type { QttCase, QttRecord } from './cases.js';
import { jsonEquals, Num, parseLossless, stringifyLossless, toJson, type Json } from './json.js';
import { sqlToJson } from './values.js';
import { sqlEquals, splitWindowedKey, windowedKey } from '../../runtime/index.js';

export type Stage = 'parse' | 'plan' | 'execute' | 'verify';

export interface CaseResult {
  readonly status: 'pass' | 'fail';
  readonly stage: Stage | null;
  readonly message: string;
}

const pass = (message = ''): CaseResult => ({ status: 'pass', stage: null, message });
const fail = (stage: Stage, message: string): CaseResult => ({ status: 'fail', stage, message });

/** A broker that remembers what was produced to each topic, in order. */
function recordingBroker(inner: Broker): { broker: Broker; produced: Map<string, ProducerRecord[]> } {
  const produced = new Map<string, ProducerRecord[]>();
  const broker = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'produce') {
        return async (topic: string, records: readonly ProducerRecord[]) => {
          const list = produced.get(topic) ?? [];
          list.push(...records);
          produced.set(topic, list);
          return target.produce(topic, records);
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { broker, produced };
}

/** Where a case runs: a broker of its own (and a schema registry), disposed of afterwards. */
export interface CaseBackend {
  readonly broker: Broker;
  readonly schemaRegistry?: SchemaRegistry;
  dispose(): Promise<void>;
}

/** A fresh in-memory broker per case: the default. */
export async function memoryCaseBackend(): Promise<CaseBackend> {
  const broker = createMemoryBroker();
  return { broker, dispose: () => broker.close() };
}

export async function runCase(c: QttCase, backend: () => Promise<CaseBackend> = memoryCaseBackend): Promise<CaseResult> {
  let env: CaseBackend;
  try {
    env = await backend();
  } catch (err) {
    return fail('execute', `cannot open the backend: ${(err as Error).message}`);
  }
  const { broker, produced } = recordingBroker(env.broker);
  const properties: Record<string, string> = { 'auto.offset.reset': 'earliest', ...c.properties };
  let engine: Engine;
  try {
    engine = await Engine.create({ broker, properties, queryDriver: 'manual', ...(env.schemaRegistry ? { schemaRegistry: env.schemaRegistry } : {}) });
  } catch (err) {
    await env.dispose().catch(() => undefined);
    return fail('plan', `bad test properties: ${(err as Error).message}`);
  }
  try {
    return await runOn(engine, c, produced);
  } catch (err) {
    return fail('execute', `internal error: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await engine.close().catch(() => undefined);
    await env.dispose().catch(() => undefined);
  }
}

async function runOn(engine: Engine, c: QttCase, produced: Map<string, ProducerRecord[]>): Promise<CaseResult> {
  await createTopics(engine, c);
  const expected = c.expectedException;
  try {
    for await (const r of engine.executeScript(c.statements.join('\n'))) {
      if (r.result.type === 'rows') await r.result.cancel();
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const stage: Stage = err instanceof StatementError && err.cause instanceof Error && err.cause.name === 'ParseError' ? 'parse' : 'plan';
    if (!expected) return fail(stage, message);
    if (expected.message !== undefined && !message.includes(expected.message)) {
      return fail(stage, `expected an error containing "${expected.message}" but got: ${message}`);
    }
    return pass();
  }

  // Inputs, one at a time, each through every query.
  for (const input of c.inputs) {
    try {
      await produceInput(engine, input);
    } catch (err) {
      return fail('execute', `could not write input to ${input.topic}: ${(err as Error).message}`);
    }
    try {
      await engine.drain();
    } catch (err) {
      const message = (err as Error).message;
      if (expected && (expected.message === undefined || message.includes(expected.message))) return pass();
      return fail('execute', `a query failed: ${message}`);
    }
  }
  if (expected) {
    return fail('verify', `expected an error containing "${expected.message ?? expected.type ?? ''}" but none was raised`);
  }

  const outputCheck = await compareOutputs(engine, c, produced);
  if (outputCheck) return fail('verify', outputCheck);
  const postCheck = await checkPost(engine, c);
  if (postCheck) return fail('verify', postCheck);
  return pass();
}

// ---------------------------------------------------------------- topics

async function createTopics(engine: Engine, c: QttCase): Promise<void> {
  const broker = engine.broker;
  for (const t of c.topics) {
    if (!(await broker.topicExists(t.name))) await broker.createTopic({ name: t.name, partitions: t.partitions ?? 1 });
    await registerTestSchema(engine, t.name, 'key', t.keyFormat, t.keySchema);
    await registerTestSchema(engine, t.name, 'value', t.valueFormat, t.valueSchema);
  }
  // Topics named by CREATE STREAM/TABLE statements exist in ksqlDB's test driver already.
  for (const s of c.statements) {
    const topic = declaredTopic(s);
    if (topic && !(await broker.topicExists(topic))) await broker.createTopic({ name: topic, partitions: 1 });
  }
  for (const input of c.inputs) {
    if (!(await broker.topicExists(input.topic))) await broker.createTopic({ name: input.topic, partitions: 1 });
  }
}

async function registerTestSchema(engine: Engine, topic: string, side: 'key' | 'value', format: string | undefined, schema: Json | undefined): Promise<void> {
  if (schema === undefined || schema === null) return;
  const upper = (format ?? 'AVRO').toUpperCase();
  const schemaType = upper === 'PROTOBUF' ? 'PROTOBUF' : upper === 'JSON' || upper === 'JSON_SR' ? 'JSON' : 'AVRO';
  const text = typeof schema === 'string' && schemaType === 'PROTOBUF' ? schema : typeof schema === 'string' ? JSON.stringify(schema) : stringifyLossless(schema);
  await engine.schemaRegistry.register(`${topic}-${side}`, { schemaType, schema: text });
}

/** The KAFKA_TOPIC of a CREATE STREAM/TABLE without AS SELECT and without PARTITIONS. */
function declaredTopic(statement: string): string | undefined {
  let parsed;
  try {
    parsed = parseStatement(statement);
  } catch {
    return undefined;
  }
  if (parsed.type !== 'createSource') return undefined;
  const props = new Map(parsed.properties.map((p) => [p.name.toUpperCase(), p.value]));
  if (props.has('PARTITIONS')) return undefined;
  const topic = props.get('KAFKA_TOPIC');
  return topic?.type === 'string' ? topic.value : undefined;
}

// ---------------------------------------------------------------- codecs

/** The source that describes a topic's records: a user-declared one for inputs, the query's sink for outputs. */
function sourceForTopic(engine: Engine, topic: string, forOutput: boolean): DataSource | undefined {
  const all = engine.metastore.allSources().filter((s) => s.topic === topic);
  if (all.length === 0) return undefined;
  const preferred = all.filter((s) => (s.createdByQueryId !== undefined) === forOutput);
  return preferred[0] ?? all[0];
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

interface Side {
  format: string;
  columns: { name: string; type: import('../../schema/index.js').SqlType }[];
  wrapSingle?: boolean;
  properties: Readonly<Record<string, string>>;
}

function sides(source: DataSource): { key: Side; value: Side } {
  const wrap = source.valueFeatures.includes('WRAP_SINGLE_VALUES') ? true : source.valueFeatures.includes('UNWRAP_SINGLE_VALUES') ? false : undefined;
  return {
    key: { format: source.keyFormat.format, columns: source.schema.keyColumns.map((c) => ({ name: c.name, type: c.type })), properties: source.keyFormat.properties },
    value: {
      format: source.valueFormat.format,
      columns: source.schema.valueColumns.map((c) => ({ name: c.name, type: c.type })),
      ...(wrap !== undefined ? { wrapSingle: wrap } : {}),
      properties: source.valueFormat.properties,
    },
  };
}

/** Test JSON -> bytes in the side's format. JSON and DELIMITED are written as given, as ksqlDB's driver does. */
async function encode(engine: Engine, topic: string, side: Side, isKey: boolean, value: Json | undefined): Promise<Uint8Array | null> {
  if (value === undefined || value === null) return null;
  switch (side.format) {
    case 'JSON':
      return textEncoder.encode(stringifyLossless(value));
    case 'DELIMITED':
      return textEncoder.encode(typeof value === 'string' ? value : value instanceof Num ? value.text : stringifyLossless(value));
    case 'NONE':
      return null;
    case 'KAFKA':
      if (typeof value === 'string' && side.columns[0]?.type.kind === 'BYTES') return Buffer.from(value, 'base64');
      break;
    default:
      break;
  }
  // Read the test value as ksqlDB reads JSON, then write it in the real format.
  const unwrapped = isKey ? undefined : side.format === 'KAFKA' ? false : side.wrapSingle;
  const reader = await createSerde({
    format: 'JSON',
    columns: side.columns,
    isKey,
    ...(unwrapped !== undefined ? { wrapSingle: unwrapped } : {}),
    registry: engine.schemaRegistry,
    topic,
    sink: false,
  });
  const row = reader.deserialize(textEncoder.encode(stringifyLossless(value)), topic);
  const writer = await createSerde({
    format: side.format,
    properties: side.properties,
    columns: side.columns,
    isKey,
    ...(side.wrapSingle !== undefined ? { wrapSingle: side.wrapSingle } : {}),
    registry: engine.schemaRegistry,
    topic,
    sink: true,
  });
  return writer.serialize(row, topic);
}

/** Bytes -> test JSON in the side's format. */
async function decode(engine: Engine, topic: string, side: Side, isKey: boolean, bytes: Uint8Array | null, cache: Map<string, RowSerde>): Promise<Json> {
  if (bytes === null) return null;
  switch (side.format) {
    case 'JSON':
      try {
        return parseLossless(textDecoder.decode(bytes));
      } catch {
        return textDecoder.decode(bytes);
      }
    case 'DELIMITED':
      return textDecoder.decode(bytes);
    case 'NONE':
      return null;
    default:
      break;
  }
  const cacheKey = `${topic}/${isKey}`;
  let serde = cache.get(cacheKey);
  if (!serde) {
    serde = await createSerde({
      format: side.format,
      properties: side.properties,
      columns: side.columns,
      isKey,
      ...(side.wrapSingle !== undefined ? { wrapSingle: side.wrapSingle } : {}),
      registry: engine.schemaRegistry,
      topic,
      sink: false,
    });
    cache.set(cacheKey, serde);
  }
  const row = serde.deserialize(bytes, topic);
  if (row === null) return null;
  const single = side.columns.length === 1 && (isKey || side.format === 'KAFKA' || side.wrapSingle === false);
  if (single) return sqlToJson(row[0] ?? null, (side.columns[0] as Side['columns'][number]).type);
  const out: { [k: string]: Json } = {};
  side.columns.forEach((c, i) => {
    out[c.name] = sqlToJson(row[i] ?? null, c.type);
  });
  return out;
}

async function produceInput(engine: Engine, input: QttRecord): Promise<void> {
  const source = sourceForTopic(engine, input.topic, false);
  let key: Uint8Array | null;
  let value: Uint8Array | null;
  if (source) {
    const s = sides(source);
    key = await encode(engine, input.topic, s.key, true, input.key);
    value = await encode(engine, input.topic, s.value, false, input.value);
    if (source.window && input.window) key = windowedKey(key, input.window, source.window.type === 'SESSION');
  } else {
    // No source declares the topic: keys and values as JSON text.
    key = input.key === undefined || input.key === null ? null : textEncoder.encode(typeof input.key === 'string' ? input.key : stringifyLossless(input.key));
    value = input.value === undefined || input.value === null ? null : textEncoder.encode(stringifyLossless(input.value));
  }
  await engine.broker.produce(input.topic, [
    {
      key,
      value,
      timestamp: input.timestamp ?? 0,
      ...(input.headers ? { headers: input.headers.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value, 'base64') })) } : {}),
    },
  ]);
}

// ---------------------------------------------------------------- outputs

async function compareOutputs(engine: Engine, c: QttCase, produced: Map<string, ProducerRecord[]>): Promise<string | undefined> {
  const byTopic = new Map<string, QttRecord[]>();
  for (const o of c.outputs) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
  const cache = new Map<string, RowSerde>();
  for (const [topic, expected] of byTopic) {
    const actual = produced.get(topic) ?? [];
    const source = sourceForTopic(engine, topic, true);
    const s = source ? sides(source) : undefined;
    for (let i = 0; i < expected.length; i++) {
      const exp = expected[i] as QttRecord;
      const act = actual[i];
      if (!act) return `topic ${topic}: expected ${expected.length} records but got ${actual.length}`;
      let keyBytes = act.key;
      let window: { start: number; end: number; type: string } | undefined;
      if (source?.window && keyBytes !== null) {
        const session = source.window.type === 'SESSION';
        const split = splitWindowedKey(keyBytes, session, source.window.sizeMs);
        keyBytes = split.key;
        window = { start: split.start, end: split.end, type: session ? 'session' : 'time' };
      }
      const key = s ? await decode(engine, topic, s.key, true, keyBytes, cache) : keyBytes === null ? null : textDecoder.decode(keyBytes);
      const value = s ? await decode(engine, topic, s.value, false, act.value, cache) : act.value === null ? null : textDecoder.decode(act.value);
      if ('key' in exp && !(await sameRecordPart(engine, topic, s?.key, true, exp.key ?? null, key, cache))) {
        return `topic ${topic} record ${i + 1}: expected key ${show(exp.key)} but got ${show(key)}`;
      }
      if ('value' in exp && !(await sameRecordPart(engine, topic, s?.value, false, exp.value ?? null, value, cache))) {
        return `topic ${topic} record ${i + 1}: expected value ${show(exp.value)} but got ${show(value)}`;
      }
      if (exp.window && (!window || exp.window.start !== window.start || exp.window.end !== window.end || exp.window.type.toLowerCase() !== window.type)) {
        return `topic ${topic} record ${i + 1}: expected window ${JSON.stringify(exp.window)} but got ${JSON.stringify(window ?? null)}`;
      }
      if (exp.timestamp !== undefined && exp.timestamp !== act.timestamp) {
        return `topic ${topic} record ${i + 1}: expected timestamp ${exp.timestamp} but got ${act.timestamp}`;
      }
    }
    if (actual.length > expected.length) {
      return `topic ${topic}: expected ${expected.length} records but got ${actual.length} (first extra: key ${show(
        s ? await decode(engine, topic, s.key, true, (actual[expected.length] as ProducerRecord).key, cache) : null,
      )}, value ${show(s ? await decode(engine, topic, s.value, false, (actual[expected.length] as ProducerRecord).value, cache) : null)})`;
    }
  }
  return undefined;
}

/**
 * Whether an expected key or value matches what was written. Like ksqlDB's test driver, both
 * are read with the topic's columns (field names case-insensitively, "1.0" as a DECIMAL...)
 * and compared as SQL values; raw JSON equality decides when no source describes the topic.
 */
async function sameRecordPart(
  engine: Engine,
  topic: string,
  side: Side | undefined,
  isKey: boolean,
  expected: Json,
  actual: Json,
  cache: Map<string, RowSerde>,
): Promise<boolean> {
  if (jsonEquals(expected, actual)) return true;
  if (!side || side.format === 'DELIMITED' || side.format === 'NONE' || expected === null || actual === null) return false;
  const reader = await jsonReader(engine, topic, side, isKey, cache);
  try {
    const want = reader.deserialize(textEncoder.encode(stringifyLossless(expected)), topic);
    const have = reader.deserialize(textEncoder.encode(stringifyLossless(actual)), topic);
    if (want === null || have === null) return want === have;
    return side.columns.every((c, i) => {
      const a = want[i] ?? null;
      const b = have[i] ?? null;
      return a === null || b === null ? a === b : sqlEquals(a, b, c.type);
    });
  } catch {
    return false;
  }
}

async function jsonReader(engine: Engine, topic: string, side: Side, isKey: boolean, cache: Map<string, RowSerde>): Promise<RowSerde> {
  const cacheKey = `json:${topic}/${isKey}`;
  let serde = cache.get(cacheKey);
  if (!serde) {
    const single = side.columns.length === 1 && (isKey || side.format === 'KAFKA' || side.wrapSingle === false);
    serde = await createSerde({
      format: 'JSON',
      columns: side.columns,
      isKey,
      ...(!isKey ? { wrapSingle: !single } : {}),
      registry: engine.schemaRegistry,
      topic,
      sink: false,
    });
    cache.set(cacheKey, serde);
  }
  return serde;
}

function show(v: Json | undefined): string {
  return v === undefined ? 'undefined' : stringifyLossless(v);
}

// ---------------------------------------------------------------- post-conditions

async function checkPost(engine: Engine, c: QttCase): Promise<string | undefined> {
  const post = c.post;
  if (!post) return undefined;
  for (const expected of post.sources ?? []) {
    const source = engine.metastore.getSource(expected.name) ?? engine.metastore.getSource(expected.name.toUpperCase());
    if (!source) return `post: source ${expected.name} does not exist`;
    if (expected.type && expected.type.toUpperCase() !== source.kind) {
      return `post: ${expected.name} is a ${source.kind.toLowerCase()}, expected a ${expected.type}`;
    }
    if (expected.schema !== undefined) {
      const want = schemaColumns(expected.schema, source.kind);
      const have = source.schema.columns().map((col) => ({
        name: col.name,
        type: formatIdentifierLikeParser(col.type),
        role: col.namespace === 'KEY' ? 'KEY' : col.namespace === 'HEADERS' ? 'HEADERS' : '',
      }));
      if (want === undefined) return `post: cannot read the expected schema of ${expected.name}: ${expected.schema}`;
      const same = want.length === have.length && want.every((w, i) => w.name === have[i]?.name && w.type === have[i]?.type && w.role === have[i]?.role);
      if (!same) {
        return `post: schema of ${expected.name} is ${have.map((h) => `${h.name} ${h.type}${h.role ? ` ${h.role}` : ''}`).join(', ')}, expected ${expected.schema}`;
      }
    }
    const kf = expected.keyFormat?.format;
    if (kf && kf.toUpperCase() !== source.keyFormat.format) return `post: key format of ${expected.name} is ${source.keyFormat.format}, expected ${kf}`;
    const vf = expected.valueFormat?.format;
    if (vf && vf.toUpperCase() !== source.valueFormat.format) return `post: value format of ${expected.name} is ${source.valueFormat.format}, expected ${vf}`;
  }
  const blacklist = post.topics?.blacklist;
  if (blacklist) {
    const re = new RegExp(blacklist);
    const bad = (await engine.broker.listTopics()).filter((t) => re.test(t));
    if (bad.length > 0) return `post: topics that must not exist do: ${bad.join(', ')}`;
  }
  return undefined;
}

/** Reads "`ID` BIGINT KEY, NAME STRING" with our own parser. */
function schemaColumns(schema: string, kind: 'STREAM' | 'TABLE'): { name: string; type: string; role: string }[] | undefined {
  try {
    void kind;
    // Post-conditions write table keys as KEY or PRIMARY KEY; read both as a stream's KEY.
    const s = parseStatement(`CREATE STREAM X (${schema.replace(/\bPRIMARY\s+KEY\b/gi, 'KEY')}) WITH (KAFKA_TOPIC='x')`);
    if (s.type !== 'createSource') return undefined;
    const elements: readonly TableElement[] = s.elements ?? [];
    const keys = elements.filter((e) => e.constraint === 'KEY' || e.constraint === 'PRIMARY KEY');
    const rest = elements.filter((e) => !(e.constraint === 'KEY' || e.constraint === 'PRIMARY KEY'));
    return [...keys, ...rest].map((e) => ({
      name: e.name,
      type: formatTypeNode(e.elementType),
      role: e.constraint === 'KEY' || e.constraint === 'PRIMARY KEY' ? 'KEY' : e.constraint === 'HEADERS' || e.constraint === 'HEADER' ? 'HEADERS' : '',
    }));
  } catch {
    return undefined;
  }
}

export { toJson };
