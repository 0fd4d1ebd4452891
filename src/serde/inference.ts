/**
 * The columns ksqlDB infers from the schema registry for a CREATE with no column list
 * (SchemaRegistryTopicSchemaSupplier): the subject's latest schema (or the one with the
 * given id), translated with the format's rules. A key is one column, ROWKEY, of the whole
 * schema's type (PROTOBUF: the key message's fields); a value is the root record's fields (upper-cased, unless the schema is given
 * by id), or one ROWVAL column when WRAP_SINGLE_VALUE=false.
 */
import { formatType } from '../schema/index.js';
import { parseAvroSchema, sqlTypeOfAvro } from './avro-schema.js';
import { SchemaRegistryError, SerdeConfigError } from './errors.js';
import { sqlTypeOfJsonSchema } from './json-schema.js';
import { sqlTypeOfProtobuf } from './protobuf-schema.js';
import { subjectName, type RegisteredSchema, type SchemaRegistry, type SchemaType } from './registry.js';
import type { SerdeColumn } from './types.js';

export interface InferenceOptions {
  /** WRAP_SINGLE_VALUE: false reads the whole value schema as one column, ROWVAL. */
  readonly wrapSingle?: boolean;
  /** KEY_SCHEMA_ID / VALUE_SCHEMA_ID: use this schema rather than the subject's latest (keeps field names). */
  readonly schemaId?: number;
  /** PROTOBUF: KEY_/VALUE_SCHEMA_FULL_NAME, the message to use when the schema has several. */
  readonly fullSchemaName?: string;
}

const SCHEMA_TYPES: Readonly<Record<string, SchemaType>> = { AVRO: 'AVRO', JSON_SR: 'JSON', PROTOBUF: 'PROTOBUF' };

export async function getColumnsFromRegistry(
  registry: SchemaRegistry,
  topic: string,
  isKey: boolean,
  format: string,
  options: InferenceOptions = {},
): Promise<SerdeColumn[]> {
  const formatName = format.trim().toUpperCase();
  const schemaType = SCHEMA_TYPES[formatName];
  if (!schemaType) throw new SerdeConfigError(`The '${formatName}' format does not support schema inference`);
  const subject = subjectName(topic, isKey);
  const what = isKey ? 'keys' : 'values';

  let registered: RegisteredSchema;
  try {
    registered =
      options.schemaId !== undefined ? await registry.getById(options.schemaId) : await registry.getLatest(subject);
  } catch (e) {
    if (e instanceof SchemaRegistryError && (e.errorCode === 40401 || e.errorCode === 40403)) {
      const id = options.schemaId !== undefined ? `\nSchema Id: ${options.schemaId}` : '';
      throw new SerdeConfigError(
        `Schema for message ${what} on topic '${topic}' does not exist in the Schema Registry.\nSubject: ${subject}${id}`,
        { cause: e },
      );
    }
    throw e;
  }
  if (registered.schemaType !== schemaType) {
    throw new SerdeConfigError(
      `Schema for message ${what} on topic '${topic}' is a ${registered.schemaType} schema; ` +
        `the ${formatName} format needs ${schemaType}.\nSubject: ${subject}`,
    );
  }

  // ksqlDB keeps the schema's own field names when it is given by id, else upper-cases them.
  const originalNames = options.schemaId !== undefined;
  const type =
    schemaType === 'AVRO'
      ? sqlTypeOfAvro(parseAvroSchema(registered.schema), originalNames)
      : schemaType === 'JSON'
        ? sqlTypeOfJsonSchema(registered.schema, originalNames)
        : sqlTypeOfProtobuf(registered.schema, { originalNames, fullSchemaName: options.fullSchemaName });

  // PROTOBUF always wraps: key columns are the key message's fields.
  if (isKey && schemaType !== 'PROTOBUF') return [{ name: 'ROWKEY', type }];
  if (schemaType === 'PROTOBUF' && type.kind === 'STRUCT') return type.fields.map((f) => ({ name: f.name, type: f.type }));
  if (options.wrapSingle === false) return [{ name: 'ROWVAL', type }];
  if (type.kind !== 'STRUCT') {
    throw new SerdeConfigError(
      `The value schema of topic '${topic}' is ${formatType(type)}, not a record: ` +
        `declare the stream/table with WRAP_SINGLE_VALUE=false to read it as one column.`,
    );
  }
  if (type.fields.length === 0) {
    throw new SerdeConfigError(
      `Schema does not include any columns with types that ksqlDB supports.\nschema: ${registered.schema}`,
    );
  }
  return type.fields.map((f) => ({ name: f.name, type: f.type }));
}
