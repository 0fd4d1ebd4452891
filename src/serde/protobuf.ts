/**
 * PROTOBUF: a message per record in the Confluent wire format (magic 0, 4-byte schema id,
 * the message indexes of the record's message type — a single 0 for the first message —
 * then the Protobuf binary), with the schema registry. PROTOBUF_NOSR: the bare message,
 * with the schema ksqlDB would generate for the columns.
 *
 * Columns are always the fields of a message, keys included (PROTOBUF has no unwrapped
 * single values). proto3 has no null for plain scalars: a null is written as the default
 * and reads back as 0 / "" / false, unless VALUE_PROTOBUF_NULLABLE_REPRESENTATION is
 * OPTIONAL (proto3 `optional`) or WRAPPER (google.protobuf wrapper messages).
 */
import { CoercionError, DeserializationError, SchemaNotCachedError, SerdeConfigError, SerializationError } from './errors.js';
import { createNoneSerde } from './none.js';
import {
  ProtoMismatchError,
  ProtoReader,
  ProtoWriter,
  compileMessageDecoder,
  compileMessageEncoder,
  type ProtoEncode,
} from './protobuf-codec.js';
import {
  loadProto,
  messageAt,
  protobufSchemaFor,
  selectMessage,
  type NullableRepresentation,
  type ProtoSchema,
} from './protobuf-schema.js';
import { subjectName, type SchemaRegistry } from './registry.js';
import type { RowSerde, SerdeColumn } from './types.js';
import { WIRE_HEADER_SIZE, readSchemaId, writeHeader } from './wire.js';

export interface ProtobufSerdeOptions {
  readonly format?: 'PROTOBUF' | 'PROTOBUF_NOSR';
  readonly columns: readonly SerdeColumn[];
  readonly isKey: boolean;
  /** WRAP_SINGLE_VALUE as given; only true (or unset) is allowed. */
  readonly wrapSingle?: boolean;
  readonly registry: SchemaRegistry;
  readonly topic: string;
  readonly sink: boolean;
  readonly schemaId?: number;
  readonly fullSchemaName?: string;
  readonly unwrapPrimitives?: boolean;
  readonly nullableRepresentation?: string;
}

type RowDecoder = (r: ProtoReader, end: number) => unknown[];

export async function createProtobufSerde(options: ProtobufSerdeOptions): Promise<RowSerde> {
  const format = options.format ?? 'PROTOBUF';
  const { columns, isKey, registry, topic } = options;
  if (options.wrapSingle === false) {
    throw new SerdeConfigError(`Format '${format}' does not support 'WRAP_SINGLE_VALUE' set to 'false'.`);
  }
  const nullable = parseNullable(options.nullableRepresentation);
  // Always built: it is also the check that the columns can be Protobuf at all.
  const ownSchema = protobufSchemaFor(columns, { fullName: options.fullSchemaName, nullable });
  if (isKey && columns.length === 0) return createNoneSerde(format, isKey);
  const target = isKey ? 'key' : 'value';
  const struct = { kind: 'STRUCT' as const, fields: columns };

  const compileEncoder = (schema: ProtoSchema, fullName: string | undefined): { encode: ProtoEncode; indexes: number[] } => {
    const { message, indexes } = selectMessage(schema, fullName);
    try {
      return { encode: compileMessageEncoder(message, columns, '', true), indexes };
    } catch (e) {
      if (e instanceof ProtoMismatchError) throw new SerdeConfigError(e.message, { cause: e });
      throw e;
    }
  };

  let schemaId: number | undefined;
  let schemaText: string | undefined;
  let writer: { encode: ProtoEncode; indexes: number[] } | undefined;
  if (format === 'PROTOBUF_NOSR') {
    schemaText = ownSchema;
    writer = compileEncoder(loadProto(ownSchema), undefined);
  } else if (options.schemaId !== undefined) {
    const registered = await registry.getById(options.schemaId);
    if (registered.schemaType !== 'PROTOBUF') {
      throw new SerdeConfigError(`Schema id ${options.schemaId} is a ${registered.schemaType} schema, not PROTOBUF`);
    }
    schemaId = options.schemaId;
    schemaText = registered.schema;
    const schema = loadProto(schemaText);
    for (const c of columns) {
      if (!selectMessage(schema, options.fullSchemaName).message.fields.some((f) => f.name === c.name)) {
        throw new SerdeConfigError(`Schema from Schema Registry misses field with name: ${c.name}`);
      }
    }
    writer = compileEncoder(schema, options.fullSchemaName);
  } else if (options.sink) {
    schemaText = ownSchema;
    writer = compileEncoder(loadProto(ownSchema), undefined);
    schemaId = await registry.register(subjectName(topic, isKey), { schemaType: 'PROTOBUF', schema: schemaText });
  }

  const compileDecoder = (schema: ProtoSchema, indexes: readonly number[]): RowDecoder => {
    const message = messageAt(schema, indexes);
    if (!message) throw new Error(`Invalid message indexes: [${indexes.join(', ')}]`);
    try {
      return compileMessageDecoder(message, struct, '', true) as RowDecoder;
    } catch (e) {
      if (!(e instanceof ProtoMismatchError)) throw e;
      const reason = e.message;
      return () => {
        throw new Error(reason);
      };
    }
  };

  const schemas = new Map<number, ProtoSchema>();
  const decoders = new Map<string, RowDecoder>();
  const decoderFor = (id: number, indexes: readonly number[]): RowDecoder => {
    const key = `${id}:${indexes.join('.')}`;
    let decoder = decoders.get(key);
    if (decoder) return decoder;
    let schema = schemas.get(id);
    if (!schema) {
      const registered = registry.getByIdCached(id);
      if (!registered) throw new SchemaNotCachedError(target, topic, id);
      schema = loadProto(registered.schema);
      schemas.set(id, schema);
    }
    decoder = compileDecoder(schema, indexes);
    decoders.set(key, decoder);
    return decoder;
  };
  const nosrDecoder = format === 'PROTOBUF_NOSR' ? compileDecoder(loadProto(ownSchema), [0]) : undefined;

  const out = new ProtoWriter();
  const reader = new ProtoReader();

  return {
    format,
    isKey,
    schemaId,
    schema: schemaText,
    serialize(row, topicName) {
      if (row === null) return null;
      if (!writer || (format === 'PROTOBUF' && schemaId === undefined)) {
        throw new SerializationError(target, topicName, 'No Protobuf schema is registered to write with (not a sink).');
      }
      try {
        if (format === 'PROTOBUF_NOSR') {
          out.reset(0);
        } else {
          out.reset(WIRE_HEADER_SIZE);
          writeMessageIndexes(out, writer.indexes);
        }
        writer.encode(out, row);
      } catch (e) {
        const reason = e instanceof CoercionError ? e.message : (e as Error).message;
        throw new SerializationError(target, topicName, reason, { cause: e });
      }
      if (format === 'PROTOBUF') writeHeader(out.buf, schemaId!);
      return out.result();
    },
    deserialize(bytes, topicName) {
      if (bytes === null) return null;
      let decode: RowDecoder;
      try {
        if (nosrDecoder) {
          reader.reset(bytes, 0);
          decode = nosrDecoder;
        } else {
          const id = readSchemaId(bytes);
          if (id === undefined) throw new Error('Unknown magic byte!');
          reader.reset(bytes, WIRE_HEADER_SIZE);
          decode = decoderFor(id, readMessageIndexes(reader));
        }
      } catch (e) {
        if (e instanceof SchemaNotCachedError) throw new SchemaNotCachedError(target, topicName, e.schemaId);
        throw new DeserializationError(target, topicName, (e as Error).message, { cause: e });
      }
      try {
        return decode(reader, bytes.length);
      } catch (e) {
        throw new DeserializationError(target, topicName, (e as Error).message, { cause: e });
      }
    },
  };
}

function parseNullable(text: string | undefined): NullableRepresentation {
  if (text === undefined || text === '') return undefined;
  const lower = text.toLowerCase();
  if (lower === 'optional' || lower === 'wrapper') return lower;
  throw new SerdeConfigError(`Invalid nullable representation: '${text}'. Valid values are OPTIONAL and WRAPPER.`);
}

/** Confluent's message indexes: [0] as a single 0 byte, else a zigzag count and zigzag indexes. */
function writeMessageIndexes(w: ProtoWriter, indexes: readonly number[]): void {
  if (indexes.length === 1 && indexes[0] === 0) {
    w.varint(0);
    return;
  }
  w.varint(indexes.length * 2);
  for (const i of indexes) w.varint(i * 2);
}

function readMessageIndexes(r: ProtoReader): number[] {
  const zigzag = (): number => {
    const n = r.uint32();
    return (n >>> 1) ^ -(n & 1);
  };
  const count = zigzag();
  if (count === 0) return [0];
  if (count < 0 || count > 100) throw new Error(`Invalid message indexes count: ${count}`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(zigzag());
  return out;
}
