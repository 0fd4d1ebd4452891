/** Reading ksqlDB's query-validation tests (../shared/qtt) for serde vectors. */
import fs from 'node:fs';
import path from 'node:path';
import { createEmbeddedRegistry, type EmbeddedSchemaRegistry, type SchemaType } from '../../src/serde/index.js';
import { qttDir } from '../support/paths.js';

export interface QttTopic {
  name: string;
  keySchema?: unknown;
  valueSchema?: unknown;
  keyFormat?: string;
  valueFormat?: string;
  format?: string;
  keySchemaId?: number;
  valueSchemaId?: number;
}

export interface QttCase {
  name: string;
  statements: string[];
  topics?: QttTopic[];
  inputs?: { topic: string; key?: unknown; value?: unknown }[];
  outputs?: { topic: string; key?: unknown; value?: unknown }[];
  post?: { sources?: { name: string; schema?: string }[]; topics?: { topics: Record<string, unknown>[] } };
}

const cache = new Map<string, QttCase[]>();

export function qttCase(file: string, name: string): QttCase {
  let tests = cache.get(file);
  if (!tests) {
    tests = (JSON.parse(fs.readFileSync(path.join(qttDir, file), 'utf8')) as { tests: QttCase[] }).tests;
    cache.set(file, tests);
  }
  const found = tests.find((t) => t.name === name);
  if (!found) throw new Error(`No test '${name}' in ${file}`);
  return found;
}

const SCHEMA_TYPES: Record<string, SchemaType> = { AVRO: 'AVRO', JSON_SR: 'JSON', JSON: 'JSON', PROTOBUF: 'PROTOBUF' };

/**
 * A registry holding a case's topic schemas as the QTT driver registers them: under
 * `<topic>-key` / `<topic>-value`, with the ids the case asks for, else 1, 2, ...
 */
export function registryFor(test: QttCase, defaultFormat: string): EmbeddedSchemaRegistry {
  const schemas: { id: number; schemaType: SchemaType; schema: string }[] = [];
  const subjects: Record<string, { version: number; id: number }[]> = {};
  let next = 1;
  for (const topic of test.topics ?? []) {
    for (const [part, schema, format, id] of [
      ['key', topic.keySchema, topic.keyFormat ?? topic.format, topic.keySchemaId],
      ['value', topic.valueSchema, topic.valueFormat ?? topic.format, topic.valueSchemaId],
    ] as const) {
      if (schema === undefined) continue;
      const schemaType = SCHEMA_TYPES[(format ?? defaultFormat).toUpperCase()];
      const text = typeof schema === 'string' && schemaType === 'PROTOBUF' ? schema : JSON.stringify(schema);
      const schemaId = id ?? next;
      next = Math.max(next, schemaId) + 1;
      schemas.push({ id: schemaId, schemaType, schema: text });
      subjects[`${topic.name}-${part}`] = [{ version: 1, id: schemaId }];
    }
  }
  return createEmbeddedRegistry({ schemas, subjects });
}
