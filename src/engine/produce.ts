/**
 * `ksqlite produce`: lines from a file or stdin into a topic, as kcat -P does
 * for Kafka. Each line is one record's value (JSON, delimited or plain text);
 * a key comes from a field of the JSON value, a fixed --key, or the part of
 * the line before a delimiter (a tab by default). Records go out in batches.
 */
import type { Broker, ProducerRecord } from '../broker/index.js';

export type ProduceValueFormat = 'json' | 'delimited' | 'kafka';
/** How a key is written: text, JSON text, or Kafka's big-endian INT / BIGINT / DOUBLE. */
export type ProduceKeyFormat = 'string' | 'json' | 'int' | 'bigint' | 'double';

export interface ProduceOptions {
  readonly format?: ProduceValueFormat;
  /** Partitions of the topic when it has to be created (default 1). */
  readonly partitions?: number;
  /** Take each record's key from this field of the JSON value. */
  readonly keyField?: string;
  /** One key for every record. */
  readonly key?: string;
  /** Lines holding this delimiter are `key<delimiter>value` (default a tab; '' turns it off). */
  readonly keyDelimiter?: string;
  readonly keyFormat?: ProduceKeyFormat;
  readonly batchSize?: number;
  /** A line that cannot be produced: reported, skipped, the rest goes on. */
  readonly onBadLine?: (line: number, reason: string) => void;
}

export interface ProduceReport {
  readonly topic: string;
  readonly produced: number;
  readonly skipped: number;
  readonly createdTopic: boolean;
}

const encoder = new TextEncoder();

export async function produceLines(broker: Broker, topic: string, lines: AsyncIterable<string>, options: ProduceOptions = {}): Promise<ProduceReport> {
  async function* asBytes(): AsyncGenerator<Uint8Array> {
    for await (const line of lines) yield encoder.encode(`${line}\n`);
  }
  return produceBytes(broker, topic, asBytes(), options);
}

/**
 * Lines from raw chunks (a file or stdin stream): split at newline bytes and
 * written as they are, without a detour through strings except to check JSON.
 */
export async function produceBytes(broker: Broker, topic: string, chunks: AsyncIterable<Uint8Array>, options: ProduceOptions = {}): Promise<ProduceReport> {
  const format = options.format ?? 'json';
  const keyFormat = options.keyFormat ?? 'string';
  const delimiter = Buffer.from(options.keyDelimiter ?? '\t', 'utf8');
  const batchSize = options.batchSize ?? 5000;
  let createdTopic = false;
  if (!(await broker.topicExists(topic))) {
    await broker.createTopic({ name: topic, partitions: options.partitions ?? 1, replicas: 1, ifNotExists: true });
    createdTopic = true;
  }
  let produced = 0;
  let skipped = 0;
  let lineNo = 0;
  let batch: ProducerRecord[] = [];
  const splitKeys = options.key === undefined && options.keyField === undefined && delimiter.length > 0;
  const fixedKey = options.key === undefined ? null : encodeKey(options.key, keyFormat);
  const flush = async () => {
    if (batch.length === 0) return;
    await broker.produce(topic, batch);
    produced += batch.length;
    batch = [];
  };
  const bad = (reason: string) => {
    skipped += 1;
    options.onBadLine?.(lineNo, reason);
  };
  let delimiterBuf: Buffer | undefined;
  let delimiterAt = -1;
  /** One line (without its newline); false when it was skipped. */
  const line = (buf: Buffer, start: number, end: number): void => {
    lineNo += 1;
    if (end > start && buf[end - 1] === 0x0d) end -= 1;
    let blank = true;
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c !== 0x20 && c !== 0x09) {
        blank = false;
        break;
      }
    }
    if (blank) return;
    let key: Uint8Array | null = fixedKey;
    let valueStart = start;
    if (splitKeys) {
      // The next delimiter in this buffer, found once for all the lines before it (a search per
      // line would scan to the end of the chunk each time when lines have none).
      if (buf !== delimiterBuf || (delimiterAt >= 0 && delimiterAt < start)) {
        delimiterBuf = buf;
        delimiterAt = buf.indexOf(delimiter, start);
      }
      const at = delimiterAt;
      if (at >= 0 && at < end) {
        try {
          key = encodeKey(buf.toString('utf8', start, at), keyFormat);
        } catch (err) {
          bad(err instanceof Error ? err.message : String(err));
          return;
        }
        valueStart = at + delimiter.length;
      }
    }
    if (format === 'json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(buf.toString('utf8', valueStart, end));
      } catch (err) {
        bad(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (options.keyField !== undefined) {
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          bad('--key-field needs a JSON object per line');
          return;
        }
        const v = (parsed as Record<string, unknown>)[options.keyField];
        try {
          key = v === undefined || v === null ? null : encodeKey(v, keyFormat);
        } catch (err) {
          bad(err instanceof Error ? err.message : String(err));
          return;
        }
      }
    } else if (options.keyField !== undefined) {
      bad('--key-field needs --format json');
      return;
    }
    batch.push({ key, value: buf.subarray(valueStart, end), timestamp: Date.now() });
  };
  let rest: Buffer | undefined;
  for await (const chunk of chunks) {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (rest) {
      buf = Buffer.concat([rest, buf]);
      rest = undefined;
    }
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) break;
      line(buf, start, nl);
      start = nl + 1;
    }
    if (start < buf.length) rest = buf.subarray(start);
    if (batch.length >= batchSize) await flush();
  }
  if (rest && rest.length > 0) line(rest, 0, rest.length);
  await flush();
  return { topic, produced, skipped, createdTopic };
}

function encodeKey(v: unknown, format: ProduceKeyFormat): Uint8Array {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  switch (format) {
    case 'string':
      return encoder.encode(text);
    case 'json':
      return encoder.encode(typeof v === 'string' && !looksLikeJson(v) ? JSON.stringify(v) : text);
    case 'int': {
      const n = Number(text);
      if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) throw new Error(`key '${text}' is not an INT`);
      const out = new Uint8Array(4);
      new DataView(out.buffer).setInt32(0, n);
      return out;
    }
    case 'bigint': {
      let n: bigint;
      try {
        n = BigInt(text);
      } catch {
        throw new Error(`key '${text}' is not a BIGINT`);
      }
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigInt64(0, n);
      return out;
    }
    case 'double': {
      const n = Number(text);
      if (Number.isNaN(n) && text !== 'NaN') throw new Error(`key '${text}' is not a DOUBLE`);
      const out = new Uint8Array(8);
      new DataView(out.buffer).setFloat64(0, n);
      return out;
    }
    default: {
      const unreachable: never = format;
      throw new Error(`unknown key format ${String(unreachable)}`);
    }
  }
}

/** A key given as text that already is JSON (a number, an object) is written as it is. */
function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
