/**
 * The schema registry, in Confluent's model: subjects (`<topic>-key`, `<topic>-value`) hold
 * numbered versions; each version points at a schema with a registry-wide id, which is what
 * the Confluent wire format carries in front of every record. Registering a schema that is
 * already registered returns its id.
 *
 * Set-up (CREATE, INSERT) uses the async methods; the per-record path uses the synchronous
 * cached lookups, which the embedded registry always answers.
 */
import { SchemaRegistryError } from './errors.js';

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

export interface SchemaDefinition {
  readonly schemaType: SchemaType;
  /** The schema text: Avro JSON, JSON Schema, or a .proto file. */
  readonly schema: string;
  readonly references?: readonly SchemaReference[];
}

export interface RegisteredSchema extends SchemaDefinition {
  readonly id: number;
}

export interface SubjectVersion extends RegisteredSchema {
  readonly subject: string;
  readonly version: number;
}

export interface SchemaRegistry {
  /** Register under the subject (a new version unless the subject has this schema already); returns its id. */
  register(subject: string, schema: SchemaDefinition): Promise<number>;
  getById(id: number): Promise<RegisteredSchema>;
  getLatest(subject: string): Promise<SubjectVersion>;
  getVersion(subject: string, version: number): Promise<SubjectVersion>;
  listSubjects(): Promise<string[]>;
  listVersions(subject: string): Promise<number[]>;
  /** Soft-delete (or, when already soft-deleted and `permanent`, remove) a subject; returns its versions. */
  deleteSubject(subject: string, permanent?: boolean): Promise<number[]>;
  /** The schema with this id if this client has it at hand (the hot path), else undefined. */
  getByIdCached(id: number): RegisteredSchema | undefined;
  /** The subject's latest version if this client has it at hand, else undefined. */
  getLatestCached(subject: string): SubjectVersion | undefined;
}

/** What changed, for whoever persists the registry (the engine writes it to an internal topic). */
export type RegistryEvent =
  | { readonly type: 'register'; readonly subject: string; readonly version: number; readonly id: number }
  | { readonly type: 'delete'; readonly subject: string; readonly permanent: boolean };

/** The embedded registry's whole state, as plain JSON. */
export interface RegistryState {
  readonly schemas: readonly RegisteredSchema[];
  readonly subjects: Readonly<
    Record<string, readonly { readonly version: number; readonly id: number; readonly deleted?: boolean }[]>
  >;
}

export interface EmbeddedSchemaRegistry extends SchemaRegistry {
  exportState(): RegistryState;
  /** Replace the whole state (e.g. when replaying the internal topic). */
  importState(state: RegistryState): void;
  /** Called after every change; returns a function that unsubscribes. */
  onChange(listener: (event: RegistryEvent) => void): () => void;
}

interface VersionEntry {
  version: number;
  id: number;
  deleted: boolean;
}

/** An in-process registry with Confluent's semantics (ids from 1, versions from 1 per subject). */
export function createEmbeddedRegistry(state?: RegistryState): EmbeddedSchemaRegistry {
  const byId = new Map<number, RegisteredSchema>();
  const idByKey = new Map<string, number>();
  const subjects = new Map<string, VersionEntry[]>();
  const listeners = new Set<(event: RegistryEvent) => void>();

  const emit = (event: RegistryEvent): void => {
    for (const listener of listeners) listener(event);
  };

  const load = (s: RegistryState): void => {
    byId.clear();
    idByKey.clear();
    subjects.clear();
    for (const schema of s.schemas) {
      const stored = freezeSchema(schema.id, schema);
      byId.set(stored.id, stored);
      idByKey.set(identityKey(stored), stored.id);
    }
    for (const [subject, versions] of Object.entries(s.subjects)) {
      subjects.set(
        subject,
        versions.map((v) => ({ version: v.version, id: v.id, deleted: v.deleted ?? false })),
      );
    }
  };
  if (state) load(state);

  const live = (subject: string): VersionEntry[] => (subjects.get(subject) ?? []).filter((v) => !v.deleted);

  const subjectVersion = (subject: string, entry: VersionEntry): SubjectVersion => {
    const schema = byId.get(entry.id);
    if (!schema) throw new SchemaRegistryError(`Schema ${entry.id} not found`, 40403);
    return { ...schema, subject, version: entry.version };
  };

  const latestSync = (subject: string): SubjectVersion | undefined => {
    const versions = live(subject);
    const last = versions[versions.length - 1];
    return last && subjectVersion(subject, last);
  };

  const subjectNotFound = (subject: string): SchemaRegistryError =>
    new SchemaRegistryError(`Subject '${subject}' not found.`, 40401);

  const registry: EmbeddedSchemaRegistry = {
    async register(subject, definition) {
      const normalized = normalizeDefinition(definition);
      const key = identityKey(normalized);
      const versions = subjects.get(subject) ?? [];
      const existing = versions.find((v) => !v.deleted && identityKey(byId.get(v.id)!) === key);
      if (existing) return existing.id;
      let id = idByKey.get(key);
      if (id === undefined) {
        id = byId.size === 0 ? 1 : Math.max(...byId.keys()) + 1;
        byId.set(id, freezeSchema(id, normalized));
        idByKey.set(key, id);
      }
      const version = versions.length === 0 ? 1 : versions[versions.length - 1].version + 1;
      versions.push({ version, id, deleted: false });
      subjects.set(subject, versions);
      emit({ type: 'register', subject, version, id });
      return id;
    },

    async getById(id) {
      const schema = byId.get(id);
      if (!schema) throw new SchemaRegistryError(`Schema ${id} not found`, 40403);
      return schema;
    },

    async getLatest(subject) {
      const latest = latestSync(subject);
      if (!latest) throw subjectNotFound(subject);
      return latest;
    },

    async getVersion(subject, version) {
      const versions = live(subject);
      if (versions.length === 0) throw subjectNotFound(subject);
      const entry = versions.find((v) => v.version === version);
      if (!entry) throw new SchemaRegistryError(`Version ${version} not found.`, 40402);
      return subjectVersion(subject, entry);
    },

    async listSubjects() {
      return [...subjects.keys()].filter((s) => live(s).length > 0).sort();
    },

    async listVersions(subject) {
      const versions = live(subject);
      if (versions.length === 0) throw subjectNotFound(subject);
      return versions.map((v) => v.version);
    },

    async deleteSubject(subject, permanent = false) {
      const versions = subjects.get(subject);
      if (!versions || versions.length === 0) throw subjectNotFound(subject);
      const liveVersions = versions.filter((v) => !v.deleted);
      if (permanent) {
        if (liveVersions.length > 0) {
          throw new SchemaRegistryError(
            `Subject '${subject}' was not deleted first before being permanently deleted`,
            40405,
          );
        }
        subjects.delete(subject);
        emit({ type: 'delete', subject, permanent });
        return versions.map((v) => v.version);
      }
      if (liveVersions.length === 0) throw subjectNotFound(subject);
      for (const v of liveVersions) v.deleted = true;
      emit({ type: 'delete', subject, permanent });
      return liveVersions.map((v) => v.version);
    },

    getByIdCached(id) {
      return byId.get(id);
    },

    getLatestCached(subject) {
      return latestSync(subject);
    },

    exportState() {
      const out: Record<string, { version: number; id: number; deleted?: boolean }[]> = {};
      for (const [subject, versions] of subjects) {
        out[subject] = versions.map((v) => (v.deleted ? { ...v } : { version: v.version, id: v.id }));
      }
      return {
        schemas: [...byId.values()].map((s) => ({ ...s })).sort((a, b) => a.id - b.id),
        subjects: out,
      };
    },

    importState(s) {
      load(s);
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return registry;
}

/** The subject a topic's key or value schema is registered under (TopicNameStrategy). */
export function subjectName(topic: string, isKey: boolean): string {
  return `${topic}-${isKey ? 'key' : 'value'}`;
}

function freezeSchema(id: number, definition: SchemaDefinition): RegisteredSchema {
  const schema: RegisteredSchema =
    definition.references && definition.references.length > 0
      ? { id, schemaType: definition.schemaType, schema: definition.schema, references: [...definition.references] }
      : { id, schemaType: definition.schemaType, schema: definition.schema };
  return Object.freeze(schema);
}

/**
 * The registry's notion of "the same schema": JSON schemas (Avro, JSON Schema) compared
 * without insignificant whitespace, and a bare `{"type":"int"}` equal to `"int"` as Avro's
 * parser makes them; Protobuf text compared trimmed.
 */
export function normalizeDefinition(definition: SchemaDefinition): SchemaDefinition {
  const schemaType = definition.schemaType ?? 'AVRO';
  let schema = definition.schema;
  if (schemaType === 'AVRO' || schemaType === 'JSON') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(schema);
    } catch (e) {
      throw new SchemaRegistryError(`Invalid schema: ${(e as Error).message}`, 42201, { cause: e });
    }
    schema = JSON.stringify(schemaType === 'AVRO' ? collapsePrimitives(parsed) : parsed);
  } else {
    schema = schema.trim();
  }
  return { schemaType, schema, references: definition.references };
}

const AVRO_PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function collapsePrimitives(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(collapsePrimitives);
  if (node !== null && typeof node === 'object') {
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0] === 'type' && AVRO_PRIMITIVES.has(entries[0][1] as string)) {
      return entries[0][1];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, k === 'default' ? v : collapsePrimitives(v)]));
  }
  return node;
}

function identityKey(definition: SchemaDefinition): string {
  const refs = (definition.references ?? []).map((r) => `${r.name}|${r.subject}|${r.version}`).join(',');
  return `${definition.schemaType}\u0000${definition.schema}\u0000${refs}`;
}
