/**
 * PRINT 'topic': records shown as ksqlDB shows them, whatever their format,
 * which is guessed from the bytes (as ksqlDB's PRINT does):
 *
 *     Key format: KAFKA_STRING
 *     Value format: JSON or KAFKA_STRING
 *     rowtime: 2021/01/01 00:00:00.000 Z, key: 1, value: {"ID":1}, partition: 0
 */
import type { Broker, ConsumedRecord } from '../broker/index.js';
import { createSerde, getColumnsFromRegistry, type RowSerde, type SchemaRegistry, type SerdeColumn } from '../serde/index.js';
import { jsonValue } from './display.js';

export interface PrintOptions {
  readonly fromBeginning: boolean;
  /** Print every n-th record. */
  readonly interval?: number;
  readonly limit?: number;
  /** Stop at the end offsets the topic had when printing began (kcat -e), instead of waiting for more. */
  readonly untilEnd?: boolean;
}

type Guess = 'AVRO' | 'JSON' | 'KAFKA_STRING' | 'KAFKA_INT' | 'KAFKA_BIGINT' | 'KAFKA_DOUBLE' | 'HEX';

const decoder = new TextDecoder('utf-8', { fatal: true });

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** yyyy/MM/dd HH:mm:ss.SSS Z, in UTC. */
export function printTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} Z`;
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    const text = decoder.decode(bytes);
    // Control characters other than whitespace suggest binary data.
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

function guess(bytes: Uint8Array, registry: SchemaRegistry): Guess {
  if (bytes.length > 5 && bytes[0] === 0) {
    const id = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(1);
    if (registry.getByIdCached(id)?.schemaType === 'AVRO') return 'AVRO';
  }
  const text = utf8(bytes);
  if (text !== undefined) {
    const trimmed = text.trim();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && isJson(trimmed)) return 'JSON';
    return 'KAFKA_STRING';
  }
  if (bytes.length === 4) return 'KAFKA_INT';
  if (bytes.length === 8) return 'KAFKA_BIGINT';
  return 'HEX';
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function show(bytes: Uint8Array | null, g: Guess): string {
  if (bytes === null) return '<null>';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (g) {
    case 'KAFKA_INT':
      return String(view.getInt32(0));
    case 'KAFKA_BIGINT':
      return view.getBigInt64(0).toString();
    case 'KAFKA_DOUBLE':
      return String(view.getFloat64(0));
    case 'JSON':
    case 'KAFKA_STRING':
      return utf8(bytes) ?? Buffer.from(bytes).toString('hex');
    case 'AVRO':
      return `<AVRO schema id ${view.getInt32(1)}>`;
    default:
      return Buffer.from(bytes).toString('hex');
  }
}

function formatName(g: Guess | undefined): string {
  if (g === undefined) return '¯\\_(ツ)_/¯ - no data processed';
  if (g === 'JSON') return 'JSON or KAFKA_STRING';
  if (g === 'HEX') return 'unrecognised';
  return g;
}

/** The lines PRINT shows, as records arrive; ends at LIMIT or when `stopped()` says so. */
export async function* printTopic(
  broker: Broker,
  registry: SchemaRegistry,
  topic: string,
  options: PrintOptions,
  stopped: () => boolean,
): AsyncGenerator<string> {
  const starts = options.fromBeginning ? await broker.beginningOffsets(topic) : await broker.endOffsets(topic);
  const positions = new Map(starts.map((p) => [p.partition, p.offset]));
  const every = Math.max(1, options.interval ?? 1);
  let seen = 0;
  let printed = 0;
  let headerDone = false;
  const avro = new Map<string, { serde: RowSerde; columns: SerdeColumn[] }>();
  const ends = options.untilEnd ? new Map((await broker.endOffsets(topic)).map((p) => [p.partition, p.offset])) : undefined;
  const atEnd = () => ends !== undefined && [...positions].every(([p, o]) => o >= (ends.get(p) ?? 0));
  while (!stopped() && !atEnd()) {
    let got = 0;
    for (const [partition, offset] of positions) {
      if (ends && offset >= (ends.get(partition) ?? 0)) continue;
      const batch: ConsumedRecord[] = await broker.fetch(topic, partition, offset, 500, got === 0 ? 100 : 0);
      got += batch.length;
      for (const r of batch) {
        positions.set(partition, r.offset + 1);
        seen += 1;
        if ((seen - 1) % every !== 0) continue;
        // Schemas registered since this process started (by others) are fetched before guessing.
        for (const bytes of [r.key, r.value]) {
          if (bytes !== null && bytes.length > 5 && bytes[0] === 0) {
            await registry.getById(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(1)).catch(() => undefined);
          }
        }
        const kg = r.key === null ? undefined : guess(r.key, registry);
        const vg = r.value === null ? undefined : guess(r.value, registry);
        if (!headerDone) {
          yield `Key format: ${formatName(kg)}`;
          yield `Value format: ${formatName(vg)}`;
          headerDone = true;
        }
        const key = kg === 'AVRO' ? await avroText(registry, topic, true, r.key as Uint8Array, avro) : show(r.key, kg ?? 'HEX');
        const value = vg === 'AVRO' ? await avroText(registry, topic, false, r.value as Uint8Array, avro) : show(r.value, vg ?? 'HEX');
        yield `rowtime: ${printTime(r.timestamp)}, key: ${key}, value: ${value}, partition: ${r.partition}`;
        printed += 1;
        if (options.limit !== undefined && printed >= options.limit) return;
        if (stopped()) return;
      }
    }
  }
}

/** An Avro record as JSON, read with the writer's schema from the registry. */
async function avroText(
  registry: SchemaRegistry,
  topic: string,
  isKey: boolean,
  bytes: Uint8Array,
  cache: Map<string, { serde: RowSerde; columns: SerdeColumn[] }>,
): Promise<string> {
  const id = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(1);
  const cacheKey = `${isKey}/${id}`;
  try {
    let entry = cache.get(cacheKey);
    if (!entry) {
      const columns = await getColumnsFromRegistry(registry, topic, isKey, 'AVRO', { schemaId: id });
      const serde = await createSerde({ format: 'AVRO', columns, isKey, registry, topic, sink: false });
      entry = { serde, columns };
      cache.set(cacheKey, entry);
    }
    const row = entry.serde.deserialize(bytes, topic);
    if (row === null) return 'null';
    const cols = entry.columns;
    if (isKey && cols.length === 1) return JSON.stringify(jsonValue(row[0] ?? null, (cols[0] as SerdeColumn).type));
    return JSON.stringify(Object.fromEntries(cols.map((c, i) => [c.name, jsonValue(row[i] ?? null, c.type)])));
  } catch {
    return show(bytes, 'HEX');
  }
}
