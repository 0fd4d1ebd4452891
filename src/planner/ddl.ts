/**
 * Plans for statements that change only the metastore: CREATE STREAM / TABLE
 * over a topic, DROP, CREATE / DROP TYPE, ALTER. Each checks the statement as
 * ksqlDB does and returns what the engine must do; none touches a broker.
 */
import type { CreateSource, Statement, TableElement } from '../parser/index.js';
import {
  formatType,
  HEADERS_TYPE,
  HEADER_TYPE,
  isPseudoColumnName,
  isWindowBoundName,
  LogicalSchema,
  typesEqual,
  type SqlType,
} from '../schema/index.js';
import { KsqlError } from './errors.js';
import { FORMATS, lookupFormat, wrappingApplies } from './formats.js';
import type { DataSource, FormatSpec, MetaStore, SerdeFeature, WindowInfo } from './metastore.js';
import { parseDurationProperty, WithClause } from './properties.js';
import { resolveType } from './types.js';
import type { PlanContext } from './context.js';

export type { PlanContext } from './context.js';

/** The topic a source lives on; `partitions` set means "create it if it is missing". */
export interface TopicRequirement {
  readonly name: string;
  readonly partitions?: number;
  readonly replicas?: number;
  readonly retentionMs?: number;
}

export interface CreateSourcePlan {
  readonly type: 'createSource';
  readonly source: DataSource;
  readonly topic: TopicRequirement;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  /** True when the source exists and IF NOT EXISTS says to leave it be. */
  readonly skip: boolean;
  /** Which halves of the schema must come from the schema registry (no column list). */
  readonly inferKey: boolean;
  readonly inferValue: boolean;
}

const kindWord = (kind: 'STREAM' | 'TABLE'): string => (kind === 'STREAM' ? 'stream' : 'table');
const KindWord = (kind: 'STREAM' | 'TABLE'): string => (kind === 'STREAM' ? 'Stream' : 'Table');

/** Columns read from the schema registry for a CREATE without (some of) its column list. */
export interface InferredColumns {
  readonly key?: readonly { readonly name: string; readonly type: SqlType }[];
  readonly value?: readonly { readonly name: string; readonly type: SqlType }[];
}

/**
 * Plans CREATE STREAM/TABLE over a topic. When the plan says columns must be
 * inferred, the engine reads them from the schema registry and plans again with them.
 */
export function planCreateSource(stmt: CreateSource, sql: string, ctx: PlanContext, inferred?: InferredColumns): CreateSourcePlan {
  const withClause = new WithClause(stmt.properties);
  const existing = ctx.metastore.getSource(stmt.name);
  const skip = existing !== undefined && stmt.ifNotExists;
  if (existing && !skip) checkReplace(existing, stmt.kind, stmt.name, stmt.orReplace, stmt.isSource);
  // A read-only source is never replaced, whether or not one of that name exists yet.
  if (stmt.orReplace && stmt.isSource) throw notReplaceableSource(stmt.kind, stmt.name);

  const topic = topicRequirement(stmt.name, withClause, stmt.kind);
  const { keyFormat, valueFormat } = formats(withClause, ctx);
  const window = windowInfo(withClause);

  const elements = stmt.elements ?? [];
  const keyElements = elements.filter((e) => e.constraint === 'KEY' || e.constraint === 'PRIMARY KEY');
  const inferValue = !elements.some((e) => e.constraint === undefined) && lookupFormat(valueFormat.format).schemaInference;
  const inferKey = keyElements.length === 0 && lookupFormat(keyFormat.format).schemaInference;

  if (elements.length === 0 && !inferValue && !inferKey) throw new KsqlError('No columns supplied.');
  // A schema id says what the columns are: declaring them as well is refused.
  if (keyFormat.properties.schemaId !== undefined && keyElements.length > 0) {
    throw new KsqlError('Table elements and KEY_SCHEMA_ID cannot both exist for create statement.');
  }
  if (valueFormat.properties.schemaId !== undefined && elements.some((e) => e.constraint === undefined)) {
    throw new KsqlError('Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.');
  }
  const explicitWrap = withClause.boolean('WRAP_SINGLE_VALUE');
  if (inferred === undefined && (inferValue || inferKey)) {
    // The engine fetches the columns and plans again.
    return {
      type: 'createSource',
      source: {
        name: stmt.name,
        kind: stmt.kind,
        topic: topic.name,
        schema: LogicalSchema.EMPTY,
        keyFormat,
        valueFormat,
        keyFeatures: [],
        valueFeatures: explicitWrap === undefined ? [] : [explicitWrap ? 'WRAP_SINGLE_VALUES' : 'UNWRAP_SINGLE_VALUES'],
        isSource: stmt.isSource,
        sql,
      },
      topic,
      orReplace: stmt.orReplace,
      ifNotExists: stmt.ifNotExists,
      skip,
      inferKey,
      inferValue,
    };
  }

  const declared = withInferred(buildSchema(elements, ctx.metastore), inferred);
  const legacyKey = withClause.string('KEY');
  const schema = legacyKey === undefined ? declared : withLegacyKey(legacyKey, declared, topic.name, ctx.metastore);
  checkColumns(stmt, schema, withClause);
  if (stmt.kind === 'TABLE' && schema.keyColumns.length === 0) {
    throw new KsqlError('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
  }
  if (window && schema.keyColumns.length === 0) throw new KsqlError('Windowed sources require a key column.');

  const effectiveKeyFormat = keyFormat;
  checkFormatSupports('Key', effectiveKeyFormat.format, schema.keyColumns, true);
  checkFormatSupports('Value', valueFormat.format, schema.valueColumns, false);
  const valueFeatures = wrapping(withClause, valueFormat.format, schema, inferValue, ctx);
  const timestamp = timestampSpec(withClause, schema);

  const source: DataSource = {
    name: stmt.name,
    kind: stmt.kind,
    topic: topic.name,
    schema,
    keyFormat: effectiveKeyFormat,
    valueFormat,
    keyFeatures: [],
    valueFeatures,
    ...(window ? { window } : {}),
    ...(timestamp ? { timestamp } : {}),
    isSource: stmt.isSource,
    sql,
  };
  return { type: 'createSource', source, topic, orReplace: stmt.orReplace, ifNotExists: stmt.ifNotExists, skip, inferKey: false, inferValue: false };
}

function withInferred(schema: LogicalSchema, inferred: InferredColumns | undefined): LogicalSchema {
  if (!inferred || (!inferred.key?.length && !inferred.value?.length)) return schema;
  const builder = LogicalSchema.builder();
  for (const c of inferred.key ?? []) builder.keyColumn(c.name, c.type);
  for (const c of schema.columns()) {
    if (c.namespace === 'KEY') builder.keyColumn(c.name, c.type);
    else if (c.namespace === 'HEADERS') builder.headerColumn(c.name, c.headerKey);
    else builder.valueColumn(c.name, c.type);
  }
  for (const c of inferred.value ?? []) builder.valueColumn(c.name, c.type);
  try {
    return builder.build();
  } catch (err) {
    throw new KsqlError((err as Error).message);
  }
}

/** ksqlDB's rules for a name that is taken: only OR REPLACE of the same kind, never of a read-only source. */
export function checkReplace(
  existing: DataSource,
  kind: 'STREAM' | 'TABLE',
  name: string,
  orReplace: boolean,
  isSource: boolean,
): void {
  if (existing.kind !== kind || !orReplace) {
    throw new KsqlError(`Cannot add ${kindWord(kind)} '${name}': A ${kindWord(existing.kind)} with the same name already exists`);
  }
  if (existing.isSource || isSource) throw notReplaceableSource(kind, name);
}

function notReplaceableSource(kind: 'STREAM' | 'TABLE', name: string): KsqlError {
  return new KsqlError(`Cannot add ${kindWord(kind)} '${name}': CREATE OR REPLACE is not supported on source ${kindWord(kind)}s.`);
}

function topicRequirement(name: string, withClause: WithClause, kind: 'STREAM' | 'TABLE'): TopicRequirement {
  const partitions = withClause.integer('PARTITIONS');
  const replicas = withClause.integer('REPLICAS');
  const retentionMs = withClause.integer('RETENTION_MS');
  if (partitions !== undefined && partitions < 1) throw new KsqlError(`Invalid number of partitions: ${partitions}`);
  let topic = withClause.string('KAFKA_TOPIC');
  if (topic === undefined) {
    if (partitions === undefined) throw new KsqlError('Missing required property "KAFKA_TOPIC" which has no default value.');
    topic = name;
  }
  if (topic.trim() === '') throw new KsqlError(`Invalid value for KAFKA_TOPIC: the ${kindWord(kind)} needs a topic name`);
  return {
    name: topic,
    ...(partitions !== undefined ? { partitions } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
    ...(retentionMs !== undefined ? { retentionMs } : {}),
  };
}

function formats(withClause: WithClause, ctx: PlanContext): { keyFormat: FormatSpec; valueFormat: FormatSpec } {
  const both = withClause.string('FORMAT');
  let key = withClause.string('KEY_FORMAT');
  let value = withClause.string('VALUE_FORMAT');
  if (both !== undefined) {
    if (value !== undefined) {
      throw new KsqlError(
        "Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
      );
    }
    if (key !== undefined) {
      throw new KsqlError(
        "Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
      );
    }
    key = both;
    value = both;
  }
  key ??= ctx.property('ksql.persistence.default.format.key') || 'KAFKA';
  value ??= ctx.property('ksql.persistence.default.format.value') || undefined;
  if (value === undefined) {
    throw new KsqlError(
      "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.",
    );
  }
  const keyTraits = lookupFormat(key);
  const valueTraits = lookupFormat(value);
  return {
    keyFormat: { format: keyTraits.name, properties: formatProperties(withClause, 'KEY') },
    valueFormat: { format: valueTraits.name, properties: formatProperties(withClause, 'VALUE') },
  };
}

function formatProperties(withClause: WithClause, side: 'KEY' | 'VALUE'): Record<string, string> {
  const out: Record<string, string> = {};
  const delimiter = withClause.string(side === 'KEY' ? 'KEY_DELIMITER' : 'VALUE_DELIMITER');
  if (delimiter !== undefined) out.delimiter = parseDelimiter(side, delimiter);
  const schemaId = withClause.string(side === 'KEY' ? 'KEY_SCHEMA_ID' : 'VALUE_SCHEMA_ID');
  if (schemaId !== undefined) out.schemaId = schemaId;
  const fullName =
    side === 'KEY'
      ? withClause.string('KEY_SCHEMA_FULL_NAME')
      : withClause.string('VALUE_SCHEMA_FULL_NAME') ?? withClause.string('VALUE_AVRO_SCHEMA_FULL_NAME');
  if (fullName !== undefined) {
    if (fullName.trim() === '') throw new KsqlError(`fullSchemaName cannot be empty. Format configuration: {fullSchemaName=${fullName}}`);
    out.fullSchemaName = fullName;
  }
  return out;
}

/** KEY_DELIMITER / VALUE_DELIMITER, checked as ksqlDB checks WITH properties while it prepares the statement. */
export function parseDelimiter(side: 'KEY' | 'VALUE', text: string): string {
  const name = `${side}_DELIMITER`;
  if (text.trim() === '') {
    throw new KsqlError(
      `Failed to prepare statement: Configuration ${name} is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'`,
    );
  }
  const upper = text.toUpperCase();
  if (upper === 'TAB') return '\t';
  if (upper === 'SPACE') return ' ';
  if (text.length !== 1) {
    throw new KsqlError(
      `Failed to prepare statement: Configuration ${name} is invalid: Invalid delimiter value: '${text}'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'`,
    );
  }
  return text;
}

function windowInfo(withClause: WithClause): WindowInfo | undefined {
  const type = withClause.string('WINDOW_TYPE');
  const size = withClause.string('WINDOW_SIZE');
  if (type === undefined) {
    if (size !== undefined) throw new KsqlError('WINDOW_SIZE set without WINDOW_TYPE: set both, or neither.');
    return undefined;
  }
  const upper = type.trim().toUpperCase();
  if (upper !== 'SESSION' && upper !== 'TUMBLING' && upper !== 'HOPPING') {
    throw new KsqlError(`WINDOW_TYPE property is not set correctly. value: ${type}, validValues: [SESSION, TUMBLING, HOPPING]`);
  }
  if (upper === 'SESSION') {
    if (size !== undefined) throw new KsqlError("'WINDOW_SIZE' should not be set for SESSION windows.");
    return { type: upper };
  }
  if (size === undefined) throw new KsqlError('Tumbling and Hopping window types should set WINDOW_SIZE in the WITH clause.');
  return { type: upper, sizeMs: parseDurationProperty('WINDOW_SIZE', size) };
}

function buildSchema(elements: readonly TableElement[], metastore: MetaStore): LogicalSchema {
  const builder = LogicalSchema.builder();
  for (const e of elements) {
    const type = resolveType(e.elementType, metastore);
    switch (e.constraint) {
      case 'KEY':
      case 'PRIMARY KEY':
        builder.keyColumn(e.name, type);
        break;
      case 'HEADERS':
        if (!typesEqual(type, HEADERS_TYPE)) {
          throw new KsqlError(`Invalid type for HEADERS column: expected ${formatType(HEADERS_TYPE, { quoteFields: true })}, got ${formatType(type, { quoteFields: true })}`);
        }
        builder.headerColumn(e.name);
        break;
      case 'HEADER':
        if (!typesEqual(type, HEADER_TYPE)) {
          throw new KsqlError(`Invalid type for HEADER('${e.headerKey ?? ''}') column: expected BYTES, got ${formatType(type, { quoteFields: true })}`);
        }
        builder.headerColumn(e.name, e.headerKey);
        break;
      default:
        builder.valueColumn(e.name, type);
    }
  }
  try {
    return builder.build();
  } catch (err) {
    throw new KsqlError((err as Error).message);
  }
}

function checkColumns(stmt: CreateSource, schema: LogicalSchema, withClause: WithClause): void {
  for (const c of schema.columns()) {
    if (isPseudoColumnName(c.name) || isWindowBoundName(c.name)) {
      throw new KsqlError(`'${c.name}' is a reserved column name. You cannot use it as a name for a column.`);
    }
  }
  const headers = (stmt.elements ?? []).filter((e) => e.constraint === 'HEADERS');
  if (headers.length > 1) throw new KsqlError('Schema already contains a HEADERS column.');
  void withClause;
}

/**
 * KSQL 5.x's KEY='col': the named column is the key. It may be declared as a key
 * already, or be known as the key column of another source on the same topic (a
 * table over the output of `PARTITION BY col`, whose value no longer holds col), or
 * be a value column (KSQL 5.x copied the key into the value): it becomes the key.
 */
function withLegacyKey(keyName: string, schema: LogicalSchema, topic: string, metastore: MetaStore): LogicalSchema {
  const name = keyName.trim().replace(/^`(.*)`$/, '$1');
  const find = (s: LogicalSchema) => s.findColumn(name) ?? s.findColumn(name.toUpperCase());
  const declared = find(schema);
  if (declared?.namespace === 'KEY') return schema;
  if (schema.keyColumns.length > 0) {
    throw new KsqlError(
      `The KEY column set in the WITH clause, '${name.toUpperCase()}', is not the key column of the schema: ${schema.keyColumns.map((c) => `'${c.name}'`).join(', ')}`,
    );
  }
  const known = metastore
    .allSources()
    .filter((s) => s.topic === topic)
    .map((s) => find(s.schema))
    .find((c) => c?.namespace === 'KEY');
  const key = known ?? (declared?.namespace === 'VALUE' ? declared : undefined);
  if (!key) throw new KsqlError(`The KEY column set in the WITH clause does not exist in the schema: '${name.toUpperCase()}'`);
  const builder = LogicalSchema.builder().keyColumn(key.name, key.type);
  for (const c of schema.columns()) {
    if (c.name === key.name) continue;
    if (c.namespace === 'HEADERS') builder.headerColumn(c.name, c.headerKey);
    else builder.valueColumn(c.name, c.type);
  }
  try {
    return builder.build();
  } catch (err) {
    throw new KsqlError((err as Error).message);
  }
}

export function checkFormatSupports(side: 'Key' | 'Value', format: string, columns: readonly { name: string; type: SqlType }[], isKey: boolean): void {
  const traits = FORMATS[format];
  if (!traits) return;
  if (isKey) {
    for (const c of columns) {
      if (containsMap(c.type)) {
        throw new KsqlError(
          `Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: \`${c.name}\`. Column type: ${formatType(c.type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
        );
      }
    }
  }
  if (format === 'NONE' && columns.length > 0) {
    const got = columns.map((c) => `\`${c.name}\` ${formatType(c.type)}${isKey ? ' KEY' : ''}`).join(', ');
    throw new KsqlError(`The 'NONE' format can only be used when no columns are defined. Got: [${got}]`);
  }
  if (!traits.multiColumn && format !== 'NONE' && columns.length > 1) {
    const got = columns.map((c) => `\`${c.name}\` ${formatType(c.type)}`).join(', ');
    throw new KsqlError(
      side === 'Key'
        ? `Key format does not support schema.\nformat: ${format}\nschema: Persistence{columns=[${columns.map((c) => `\`${c.name}\` ${formatType(c.type)} KEY`).join(', ')}], features=[]}\nreason: The '${format}' format only supports a single field. Got: [${got}]`
        : `The '${format}' format only supports a single field. Got: [${got}]`,
    );
  }
  for (const c of columns) {
    const bad = unsupportedKind(c.type, traits.unsupported);
    if (bad) throw new KsqlError(`The '${format}' format does not support type '${bad}', column: \`${c.name}\``);
    if (format === 'JSON' || format === 'JSON_SR' || format === 'AVRO') {
      if (hasNonStringMapKey(c.type)) {
        throw new KsqlError(format === 'AVRO' ? 'Avro only supports MAPs with STRING keys' : 'JSON only supports MAP types with STRING keys');
      }
    }
  }
}

function containsMap(t: SqlType): boolean {
  switch (t.kind) {
    case 'MAP':
      return true;
    case 'ARRAY':
      return containsMap(t.item);
    case 'STRUCT':
      return t.fields.some((f) => containsMap(f.type));
    default:
      return false;
  }
}

function unsupportedKind(t: SqlType, unsupported: readonly SqlType['kind'][]): string | undefined {
  if (unsupported.includes(t.kind)) return t.kind;
  switch (t.kind) {
    case 'ARRAY':
      return unsupportedKind(t.item, unsupported);
    case 'MAP':
      return unsupportedKind(t.key, unsupported) ?? unsupportedKind(t.value, unsupported);
    case 'STRUCT':
      for (const f of t.fields) {
        const bad = unsupportedKind(f.type, unsupported);
        if (bad) return bad;
      }
      return undefined;
    default:
      return undefined;
  }
}

function hasNonStringMapKey(t: SqlType): boolean {
  switch (t.kind) {
    case 'MAP':
      return t.key.kind !== 'STRING' || hasNonStringMapKey(t.value);
    case 'ARRAY':
      return hasNonStringMapKey(t.item);
    case 'STRUCT':
      return t.fields.some((f) => hasNonStringMapKey(f.type));
    default:
      return false;
  }
}

function wrapping(
  withClause: WithClause,
  valueFormat: string,
  schema: LogicalSchema,
  inferValue: boolean,
  ctx: PlanContext,
): SerdeFeature[] {
  const explicit = withClause.boolean('WRAP_SINGLE_VALUE');
  if (explicit === undefined) {
    const dflt = ctx.property('ksql.persistence.wrap.single.values');
    if (dflt === 'false' && schema.valueColumns.length === 1 && FORMATS[valueFormat]?.wrapping) return ['UNWRAP_SINGLE_VALUES'];
    return [];
  }
  if (!wrappingApplies(valueFormat, explicit)) return [];
  if (!inferValue && schema.valueColumns.length !== 1) {
    throw new KsqlError("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  }
  return [explicit ? 'WRAP_SINGLE_VALUES' : 'UNWRAP_SINGLE_VALUES'];
}

function timestampSpec(withClause: WithClause, schema: LogicalSchema): { column: string; format?: string } | undefined {
  const column = withClause.string('TIMESTAMP');
  const format = withClause.string('TIMESTAMP_FORMAT');
  if (column === undefined) return undefined;
  const name = column.trim().replace(/^`(.*)`$/, '$1');
  const resolved = schema.findColumn(name) ?? schema.findColumn(name.toUpperCase());
  if (!resolved) {
    throw new KsqlError(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name.toUpperCase()}'`);
  }
  const kind = resolved.type.kind;
  if (!(kind === 'BIGINT' || kind === 'TIMESTAMP' || (kind === 'STRING' && format !== undefined))) {
    throw new KsqlError(
      `Timestamp column, \`${resolved.name}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`,
    );
  }
  return format === undefined ? { column: resolved.name } : { column: resolved.name, format };
}

// ---------------------------------------------------------------- DROP, TYPES, ALTER

export interface DropSourcePlan {
  readonly type: 'dropSource';
  readonly source?: DataSource;
  readonly deleteTopic: boolean;
}

export function planDropSource(stmt: Extract<Statement, { type: 'dropSource' }>, ctx: PlanContext): DropSourcePlan {
  const source = ctx.metastore.getSource(stmt.name);
  if (!source) {
    if (stmt.ifExists) return { type: 'dropSource', deleteTopic: false };
    throw new KsqlError(`${KindWord(stmt.kind)} ${stmt.name} does not exist.`);
  }
  if (source.kind !== stmt.kind) {
    throw new KsqlError(`Incompatible data source type is ${source.kind}, but statement was DROP ${stmt.kind}`);
  }
  if (stmt.deleteTopic && source.isSource) throw new KsqlError(`Cannot delete topic for read-only source: ${source.name}`);
  const readers = ctx.metastore.readersOf(source.name);
  const writers = ctx.metastore.writersOf(source.name);
  if (readers.length > 0 || writers.length > 0) {
    const parts: string[] = [];
    if (readers.length > 0) parts.push(`The following queries read from this source: [${readers.join(', ')}].`);
    if (writers.length > 0) parts.push(`The following queries write into this source: [${writers.join(', ')}].`);
    throw new KsqlError(`Cannot drop ${source.name}.\n${parts.join('\n')}\nYou need to terminate them before dropping ${source.name}.`);
  }
  return { type: 'dropSource', source, deleteTopic: stmt.deleteTopic };
}

export function planCreateType(stmt: Extract<Statement, { type: 'createType' }>, ctx: PlanContext): { name: string; type: SqlType; skip: boolean } {
  const existing = ctx.metastore.getType(stmt.name);
  if (existing) {
    if (stmt.ifNotExists) return { name: existing.name, type: existing.type, skip: true };
    throw new KsqlError(`Cannot register custom type '${stmt.name}' since it is already registered with type: ${formatType(existing.type)}`);
  }
  return { name: stmt.name, type: resolveType(stmt.definition, ctx.metastore), skip: false };
}

export function planAlterSource(stmt: Extract<Statement, { type: 'alterSource' }>, ctx: PlanContext): DataSource {
  const source = ctx.metastore.getSource(stmt.name);
  if (!source) throw new KsqlError(`Source ${stmt.name} does not exist.`);
  if (source.kind !== stmt.kind) throw new KsqlError(`Incompatible data source type is ${source.kind}, but statement was ALTER ${stmt.kind}`);
  if (source.createdByQueryId !== undefined) {
    throw new KsqlError(`ALTER command is not supported for CREATE ... AS statements.`);
  }
  if (source.isSource) {
    throw new KsqlError(`Cannot alter ${kindWord(source.kind)} '${source.name}': ALTER operations are not supported on source ${kindWord(source.kind)}s.`);
  }
  const builder = source.schema.asBuilder();
  for (const c of stmt.columns) {
    if (source.schema.findColumn(c.name)) {
      throw new KsqlError(`Cannot add column \`${c.name}\` to schema. A column with the same name already exists.`);
    }
    builder.valueColumn(c.name, resolveType(c.columnType, ctx.metastore));
  }
  return { ...source, schema: builder.build() };
}
