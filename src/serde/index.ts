/**
 * The serde layer's public surface: createSerde for every format, the schema registry, schema
 * inference, and the errors. Imports only src/schema.
 */
export { createSerde, SERDE_FORMATS } from './factory.js';
export { SerdeProperty, type RowSerde, type SerdeColumn, type SerdeOptions } from './types.js';
export {
  DeserializationError,
  SchemaNotCachedError,
  SchemaRegistryError,
  SerdeConfigError,
  SerdeError,
  SerializationError,
  type SerdeErrorOptions,
  type SerdeTarget,
} from './errors.js';
export {
  createEmbeddedRegistry,
  normalizeDefinition,
  subjectName,
  type EmbeddedSchemaRegistry,
  type RegisteredSchema,
  type RegistryEvent,
  type RegistryState,
  type SchemaDefinition,
  type SchemaReference,
  type SchemaRegistry,
  type SchemaType,
  type SubjectVersion,
} from './registry.js';
export { getColumnsFromRegistry, type InferenceOptions } from './inference.js';
export {
  AVRO_SCHEMA_NAMESPACE,
  DEFAULT_AVRO_SCHEMA_FULL_NAME,
  avroKeySchemaFullName,
  avroSchemaFor,
  validateAvroColumns,
  type AvroSchemaOptions,
} from './avro-schema.js';
export { jsonSchemaFor } from './json-schema.js';
export { parseDelimiter } from './delimited.js';
export { MAGIC_BYTE, WIRE_HEADER_SIZE, frame, readSchemaId } from './wire.js';
export { createRemoteRegistry, type RemoteRegistryOptions } from './registry-remote.js';
