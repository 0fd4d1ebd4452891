/**
 * createSerde: the one way to get a RowSerde. Async only for schema-registry set-up
 * (registering a sink's schema, fetching a schema given by id); the serde it returns is
 * synchronous.
 */
import { formatColumn } from '../schema/index.js';
import { createAvroSerde } from './avro.js';
import { createDelimitedSerde } from './delimited.js';
import { SerdeConfigError } from './errors.js';
import { checkJsonType, createJsonSerde } from './json.js';
import { jsonSchemaFor, physicalJsonSchema } from './json-schema.js';
import { createKafkaSerde } from './kafka.js';
import { createNoneSerde } from './none.js';
import { createProtobufSerde } from './protobuf.js';
import { subjectName } from './registry.js';
import { SerdeProperty, type RowSerde, type SerdeOptions } from './types.js';

/** The formats createSerde knows, upper-case. */
export const SERDE_FORMATS = ['KAFKA', 'JSON', 'JSON_SR', 'DELIMITED', 'NONE', 'AVRO', 'PROTOBUF', 'PROTOBUF_NOSR'] as const;

export async function createSerde(options: SerdeOptions): Promise<RowSerde> {
  const format = options.format.trim().toUpperCase();
  const properties = options.properties ?? {};
  const { columns, isKey, registry, topic, sink } = options;
  // ksqlDB writes a single key column bare, and a single value column in a record, unless told otherwise.
  const wrapped = columns.length !== 1 || (options.wrapSingle ?? !isKey);
  const schemaId = parseSchemaId(properties[SerdeProperty.SCHEMA_ID]);

  switch (format) {
    case 'KAFKA':
      return createKafkaSerde(columns, isKey);
    case 'DELIMITED':
      return createDelimitedSerde(columns, isKey, properties[SerdeProperty.DELIMITER]);
    case 'NONE':
      if (columns.length > 0) {
        const got = columns.map((c) => formatColumn({ ...c, namespace: isKey ? 'KEY' : 'VALUE', index: 0 })).join(', ');
        throw new SerdeConfigError(`The 'NONE' format can only be used when no columns are defined. Got: [${got}]`);
      }
      return createNoneSerde('NONE', isKey);
    case 'JSON':
      return createJsonSerde({ format: 'JSON', columns, isKey, wrapped });
    case 'JSON_SR': {
      for (const c of columns) checkJsonType(c.type);
      if (schemaId !== undefined) {
        const registered = await registry.getById(schemaId);
        if (registered.schemaType !== 'JSON') {
          throw new SerdeConfigError(`Schema id ${schemaId} is a ${registered.schemaType} schema, not JSON`);
        }
        const physical = wrapped ? physicalJsonSchema(registered.schema) : undefined;
        return createJsonSerde({ format: 'JSON_SR', columns, isKey, wrapped, schemaId, physical, schema: registered.schema });
      }
      if (!sink || (isKey && columns.length === 0)) {
        return createJsonSerde({ format: 'JSON_SR', columns, isKey, wrapped });
      }
      const schema = JSON.stringify(jsonSchemaFor(columns, wrapped));
      const id = await registry.register(subjectName(topic, isKey), { schemaType: 'JSON', schema });
      return createJsonSerde({ format: 'JSON_SR', columns, isKey, wrapped, schemaId: id, schema });
    }
    case 'AVRO':
      return createAvroSerde({
        columns,
        isKey,
        wrapped,
        registry,
        topic,
        sink,
        fullSchemaName: properties[SerdeProperty.FULL_SCHEMA_NAME],
        schemaId,
      });
    case 'PROTOBUF':
    case 'PROTOBUF_NOSR':
      return createProtobufSerde({
        format,
        columns,
        isKey,
        wrapSingle: options.wrapSingle,
        registry,
        topic,
        sink,
        schemaId,
        fullSchemaName: properties[SerdeProperty.FULL_SCHEMA_NAME],
        unwrapPrimitives: properties[SerdeProperty.UNWRAP_PRIMITIVES]?.toLowerCase() !== 'false',
        nullableRepresentation: properties[SerdeProperty.NULLABLE_REPRESENTATION]?.toLowerCase(),
      });
    default:
      throw new SerdeConfigError(`Unknown format: ${format}`);
  }
}

function parseSchemaId(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const id = Number(text.trim());
  if (!Number.isInteger(id) || id < 0) throw new SerdeConfigError(`Invalid schema id: '${text}'`);
  return id;
}
