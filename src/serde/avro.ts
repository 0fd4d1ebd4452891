/**
 * AVRO: Avro binary in the Confluent wire format (magic 0, 4-byte schema id), with the
 * schema registry.
 *
 * A sink registers the schema ksqlDB would (see avro-schema.ts) under `<topic>-key` /
 * `<topic>-value` and writes with its id; with a schemaId property it writes with that
 * registered schema instead. Reading uses each record's writer schema, looked up by id and
 * compiled once per id.
 */
import { createRequire } from 'node:module';
import type avscModule from 'avsc';
import { AvroMismatchError, AvroReader, AvroWriter, compileEncoder, compileRecordEncoder, compileRowDecoder } from './avro-codec.js';
import { DEFAULT_AVRO_SCHEMA_FULL_NAME, avroSchemaFor, parseAvroSchema, type AvroNode } from './avro-schema.js';
import { CoercionError, DeserializationError, SchemaNotCachedError, SerdeConfigError, SerializationError } from './errors.js';
import { createNoneSerde } from './none.js';
import { subjectName, type SchemaRegistry } from './registry.js';
import type { RowSerde, SerdeColumn } from './types.js';
import { WIRE_HEADER_SIZE, readSchemaId, writeHeader } from './wire.js';

export interface AvroSerdeOptions {
  readonly columns: readonly SerdeColumn[];
  readonly isKey: boolean;
  readonly wrapped: boolean;
  readonly registry: SchemaRegistry;
  readonly topic: string;
  readonly sink: boolean;
  readonly fullSchemaName?: string;
  readonly schemaId?: number;
}

type RowDecoder = (r: AvroReader) => unknown[] | null;
type RowEncoder = (w: AvroWriter, row: readonly unknown[]) => void;

export async function createAvroSerde(options: AvroSerdeOptions): Promise<RowSerde> {
  const { columns, isKey, registry, topic } = options;
  const wrapped = columns.length !== 1 || options.wrapped;
  const fullName = options.fullSchemaName ?? DEFAULT_AVRO_SCHEMA_FULL_NAME;
  // Always built: it is also the check that the columns can be Avro at all.
  const ownSchema = avroSchemaFor(columns, { fullName, wrapped });
  if (isKey && columns.length === 0) return createNoneSerde('AVRO', isKey);
  const target = isKey ? 'key' : 'value';

  let schemaId: number | undefined;
  let schemaText: string | undefined;
  let encode: RowEncoder | undefined;
  if (options.schemaId !== undefined) {
    const registered = await registry.getById(options.schemaId);
    if (registered.schemaType !== 'AVRO') {
      throw new SerdeConfigError(`Schema id ${options.schemaId} is a ${registered.schemaType} schema, not AVRO`);
    }
    schemaId = options.schemaId;
    schemaText = registered.schema;
    encode = compileRowEncoder(parseValidated(schemaText), columns, wrapped, true);
  } else if (options.sink) {
    schemaText = JSON.stringify(ownSchema);
    const node = parseValidated(schemaText);
    encode = compileRowEncoder(node, columns, wrapped, false);
    schemaId = await registry.register(subjectName(topic, isKey), { schemaType: 'AVRO', schema: schemaText });
  }

  const decoders = new Map<number, RowDecoder>();
  const decoderFor = (id: number): RowDecoder => {
    let decoder = decoders.get(id);
    if (decoder) return decoder;
    const registered = registry.getByIdCached(id);
    if (!registered) throw new SchemaNotCachedError(target, topic, id);
    try {
      decoder = compileRowDecoder(parseAvroSchema(registered.schema), columns, wrapped);
    } catch (e) {
      if (!(e instanceof AvroMismatchError) && !(e instanceof SerdeConfigError)) throw e;
      // ksqlDB fails every record written with a schema its columns cannot read.
      const reason = e.message;
      decoder = () => {
        throw new Error(reason);
      };
    }
    decoders.set(id, decoder);
    return decoder;
  };

  const writer = new AvroWriter();
  const reader = new AvroReader();

  return {
    format: 'AVRO',
    isKey,
    schemaId,
    schema: schemaText,
    serialize(row, topicName) {
      if (row === null) return null;
      if (!wrapped && (row[0] === null || row[0] === undefined)) return null;
      if (!encode || schemaId === undefined) {
        throw new SerializationError(target, topicName, 'No Avro schema is registered to write with (not a sink).');
      }
      try {
        writer.reset(WIRE_HEADER_SIZE);
        encode(writer, row);
      } catch (e) {
        const reason = e instanceof CoercionError ? e.message : (e as Error).message;
        throw new SerializationError(target, topicName, reason, { cause: e });
      }
      writeHeader(writer.buf, schemaId);
      return writer.result();
    },
    deserialize(bytes, topicName) {
      if (bytes === null) return null;
      const id = readSchemaId(bytes);
      if (id === undefined) throw new DeserializationError(target, topicName, 'Unknown magic byte!');
      let decode: RowDecoder;
      try {
        decode = decoderFor(id);
      } catch (e) {
        if (e instanceof SchemaNotCachedError) throw new SchemaNotCachedError(target, topicName, id);
        throw new DeserializationError(target, topicName, (e as Error).message, { cause: e });
      }
      try {
        reader.reset(bytes, WIRE_HEADER_SIZE);
        return decode(reader);
      } catch (e) {
        throw new DeserializationError(target, topicName, (e as Error).message, { cause: e });
      }
    },
  };
}

// avsc only checks schemas: loaded when the first one is, not at every start of the CLI.
let avsc: typeof avscModule | undefined;
const loadAvsc = (): typeof avscModule => (avsc ??= createRequire(import.meta.url)('avsc') as typeof avscModule);

/** Parse a registered (or generated) schema, checked by avsc as a valid Avro schema. */
function parseValidated(text: string): AvroNode {
  try {
    loadAvsc().Type.forSchema(JSON.parse(text) as avscModule.Schema, { wrapUnions: true });
  } catch (e) {
    throw new SerdeConfigError(`Invalid Avro schema: ${(e as Error).message}`, { cause: e });
  }
  return parseAvroSchema(text);
}

function compileRowEncoder(
  schema: AvroNode,
  columns: readonly SerdeColumn[],
  wrapped: boolean,
  registered: boolean,
): RowEncoder {
  try {
    if (!wrapped) {
      const encode = compileEncoder(schema, columns[0].type, '');
      return (w, row) => encode(w, row[0]);
    }
    if (schema.kind !== 'record') {
      throw new AvroMismatchError(`The registered schema is not a record; cannot write ${columns.length} columns`);
    }
    if (registered) {
      // ksqlDB's AvroSRSchemaDataTranslator: every column must have a field.
      for (const c of columns) {
        const name = c.name.replaceAll('.', '_');
        if (!schema.fields.some((f) => f.name === name)) {
          throw new AvroMismatchError(`Schema from Schema Registry misses field with name: ${name}`);
        }
      }
    }
    const encode = compileRecordEncoder(schema, columns, '', true);
    return (w, row) => encode(w, row);
  } catch (e) {
    if (e instanceof AvroMismatchError) throw new SerdeConfigError(e.message, { cause: e });
    throw e;
  }
}
