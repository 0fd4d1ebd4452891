/**
 * Every error the serde layer throws. Callers decide whether to retry by the `retriable`
 * flag, and on what went wrong by the class, never by message text. Messages say what
 * failed and why; the runtime adds partition and offset.
 */

export interface SerdeErrorOptions {
  retriable?: boolean;
  cause?: unknown;
}

/** Root of the hierarchy: anything the serde layer throws on purpose. */
export class SerdeError extends Error {
  /** True when the same call may succeed if tried again later. */
  readonly retriable: boolean;

  constructor(message: string, options: SerdeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/**
 * A serde cannot be built for these columns and properties: a type the format cannot
 * carry, a bad delimiter, an Avro-incompatible name, a registered schema that does not
 * fit. Raised by createSerde (at plan time), never per record.
 */
export class SerdeConfigError extends SerdeError {}

export type SerdeTarget = 'key' | 'value';

/** A row could not be turned into bytes (e.g. a null where the registered schema forbids it). */
export class SerializationError extends SerdeError {
  constructor(
    readonly target: SerdeTarget,
    readonly topic: string,
    reason: string,
    options: SerdeErrorOptions = {},
  ) {
    super(`Failed to serialize ${target} for topic: ${topic}. ${reason}`, options);
  }
}

/** Bytes could not be read as a row of the columns' types (ksqlDB logs these and skips the record). */
export class DeserializationError extends SerdeError {
  constructor(
    readonly target: SerdeTarget,
    readonly topic: string,
    /** Why, without the target and topic (e.g. "Can't convert type. ... path: $.A"). */
    readonly reason: string,
    options: SerdeErrorOptions = {},
  ) {
    super(`Failed to deserialize ${target} from topic: ${topic}. ${reason}`, options);
  }
}

/**
 * The record names a schema id that is not in the registry client's cache. Retriable: fetch
 * it with `await registry.getById(schemaId)` and deserialize again. (The embedded registry
 * answers every lookup synchronously, so this only happens with a remote registry.)
 */
export class SchemaNotCachedError extends DeserializationError {
  constructor(
    target: SerdeTarget,
    topic: string,
    readonly schemaId: number,
  ) {
    super(target, topic, `Schema id ${schemaId} is not cached; fetch it from the schema registry first.`, {
      retriable: true,
    });
  }
}

/**
 * A schema registry call failed. `errorCode` is the Confluent REST error code where there is
 * one (40401 subject not found, 40402 version not found, 40403 schema not found, 409
 * incompatible schema, 42201 invalid schema, 50001 backend error).
 */
export class SchemaRegistryError extends SerdeError {
  constructor(
    message: string,
    readonly errorCode?: number,
    options: SerdeErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** Thrown inside converters; the serde turns it into a DeserializationError with its path. */
export class CoercionError extends Error {
  constructor(
    readonly rawMessage: string,
    readonly path: string,
  ) {
    super(`${rawMessage}, path: ${path}`);
    this.name = 'CoercionError';
  }

  /** The same failure one level further out: `prefix` + this path. */
  under(prefix: string): CoercionError {
    return new CoercionError(this.rawMessage, prefix + this.path);
  }
}
