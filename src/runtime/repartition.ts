/**
 * Repartition records: how rows cross a repartition topic between two
 * sub-topologies of a query (topology.ts).
 *
 * - Key: the new key, in the edge's key format — a join's key format, so that a
 *   value lands in the partition where the join's other side has it; for GROUP BY
 *   KAFKA when the key is one column of a type KAFKA writes, else JSON — and the
 *   default partitioner (murmur2 of those bytes) picks the partition. A key the
 *   format cannot write is written as its internal key string (UTF-8).
 * - Value: the row in ksqlite's internal format, JSON with the tagged values of
 *   the changelog (state.ts), so that every type and pseudo-column crosses
 *   unchanged: `{"v": columns, "o": replaced row, "d": 1 (a delete),
 *   "w": [start, end], "n": 1 (the source record had no key)}` (only `v` always).
 *   A GROUP BY edge sends only the columns the aggregation reads (others null).
 * - Timestamp: the row's event time.
 *
 * The reading side uses the value only: the key is there to partition.
 */
import type { ConsumedRecord, ProducerRecord } from '../broker/port.js';
import { STRING } from '../schema/index.js';
import { createSerde, type RowSerde, type SchemaRegistry } from '../serde/index.js';
import { compileExpr, type RowFn } from './compile.js';
import { keyString } from './keys.js';
import type { ProcessingLogger } from './processing-log.js';
import type { Row, RowSink } from './row.js';
import { fromTaggedJson, toTaggedJson } from './state.js';
import type { RepartitionEdge } from './topology.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The serde of an edge's key (see the module comment). */
export async function repartitionKeySerde(edge: RepartitionEdge, registry: SchemaRegistry): Promise<RowSerde> {
  const columns = edge.key.map((e, i) => ({ name: edge.keyNames[i] ?? `KSQL_COL_${i}`, type: e.type ?? STRING }));
  const formats = edge.keyFormat && edge.keyFormat.format !== 'NONE' ? [edge.keyFormat] : [];
  formats.push({ format: 'KAFKA', properties: {} }, { format: 'JSON', properties: {} });
  let failure: unknown;
  for (const f of formats) {
    try {
      return await createSerde({ format: f.format, properties: f.properties, columns, isKey: true, registry, topic: edge.topic, sink: true });
    } catch (err) {
      failure = err;
    }
  }
  throw failure;
}

/**
 * The end of the sub-topology that writes an edge: each row re-keyed into `out`. Rows whose
 * new key is null (or fails) are dropped there, as Kafka Streams drops null keys before a
 * repartition topic; the operators that read them would skip them anyway.
 */
export function repartitionWriter(edge: RepartitionEdge, keySerde: RowSerde, log: ProcessingLogger, out: ProducerRecord[]): RowSink {
  const keyFns = edge.key.map((e) => compileExpr(e));
  const count = keyFns.length;
  const what = edge.aggregate ? 'GROUP BY expression' : `join expression ${edge.key[0]?.text ?? ''}`;
  const columns = edge.columns ? [...edge.columns] : undefined;
  const topic = edge.topic;
  return (row) => {
    const key = new Array(count);
    for (let i = 0; i < count; i++) {
      let v: unknown;
      try {
        v = (keyFns[i] as RowFn)(row.values);
      } catch (err) {
        log.error(`Error computing ${what}: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (v === null || v === undefined) return;
      key[i] = v;
    }
    let keyBytes: Uint8Array | null;
    try {
      keyBytes = keySerde.serialize(key, topic);
    } catch {
      keyBytes = null;
    }
    out.push({ key: keyBytes ?? encoder.encode(keyString(key)), value: encodeRow(row, columns), timestamp: row.timestamp });
  };
}

/** The start of the sub-topology that reads an edge: its records back as rows (undefined: unreadable, logged). */
export function repartitionReader(log: ProcessingLogger): (record: ConsumedRecord) => Row | undefined {
  return (record) => {
    try {
      return decodeRow(record.value, record.timestamp);
    } catch (err) {
      log.deserializationError(
        `Failed to read a repartitioned row from topic: ${record.topic}, partition: ${record.partition}, offset: ${record.offset}: ${err instanceof Error ? err.message : String(err)}`,
        record,
      );
      return undefined;
    }
  };
}

interface EncodedRow {
  v: unknown;
  o?: unknown;
  d?: 1;
  w?: [number, number];
  n?: 1;
}

/** A row as a repartition record's value; `columns`: only these travel (the others as null). */
export function encodeRow(row: Row, columns?: readonly number[]): Uint8Array {
  const out: EncodedRow = { v: toTaggedJson(columns ? pick(row.values, columns) : row.values) };
  if (row.old) out.o = toTaggedJson(columns ? pick(row.old, columns) : row.old);
  if (row.deleted) out.d = 1;
  if (row.window) out.w = [row.window.start, row.window.end];
  if (row.keyNull) out.n = 1;
  return encoder.encode(JSON.stringify(out));
}

/** A repartition record's value back as a row, at the record's timestamp. */
export function decodeRow(bytes: Uint8Array | null, timestamp = 0): Row {
  if (bytes === null) throw new Error('a repartitioned row has a value');
  const e = JSON.parse(decoder.decode(bytes)) as EncodedRow;
  const values = fromTaggedJson(e.v);
  if (!Array.isArray(values)) throw new Error('a repartitioned row is an array of columns');
  const row: Row = { values, timestamp, deleted: e.d === 1 };
  if (e.o !== undefined) row.old = fromTaggedJson(e.o) as unknown[];
  if (e.w) row.window = { start: e.w[0], end: e.w[1] };
  if (e.n === 1) row.keyNull = true;
  return row;
}

function pick(values: readonly unknown[], columns: readonly number[]): unknown[] {
  const out = new Array<unknown>(values.length).fill(null);
  for (const c of columns) out[c] = values[c];
  return out;
}
