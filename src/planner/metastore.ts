/**
 * The metastore: what the user created. Streams and tables (data sources), custom
 * types, and which persistent queries read and write each source.
 */
import type { LogicalSchema, SqlType } from '../schema/index.js';
import { KsqlError } from './errors.js';

/** A serialization format with its properties (e.g. delimiter, schema id). */
export interface FormatSpec {
  readonly format: string;
  readonly properties: Readonly<Record<string, string>>;
}

export type SerdeFeature = 'WRAP_SINGLE_VALUES' | 'UNWRAP_SINGLE_VALUES';

export interface WindowInfo {
  readonly type: 'TUMBLING' | 'HOPPING' | 'SESSION';
  /** Window size in milliseconds (not for SESSION). */
  readonly sizeMs?: number;
}

export interface TimestampSpec {
  readonly column: string;
  readonly format?: string;
}

export type SourceKind = 'STREAM' | 'TABLE';

export interface DataSource {
  readonly name: string;
  readonly kind: SourceKind;
  readonly topic: string;
  readonly schema: LogicalSchema;
  readonly keyFormat: FormatSpec;
  readonly valueFormat: FormatSpec;
  readonly keyFeatures: readonly SerdeFeature[];
  readonly valueFeatures: readonly SerdeFeature[];
  readonly window?: WindowInfo;
  readonly timestamp?: TimestampSpec;
  /** CREATE SOURCE STREAM|TABLE: read-only, materialized for pull queries. */
  readonly isSource: boolean;
  /** The statement that created the source, as written. */
  readonly sql: string;
  /** The persistent query writing into it, for sources made by CREATE ... AS SELECT. */
  readonly createdByQueryId?: string;
}

export interface CustomType {
  readonly name: string;
  readonly type: SqlType;
}

export class MetaStore {
  private readonly sources = new Map<string, DataSource>();
  private readonly types = new Map<string, CustomType>();
  /** Source name -> ids of the persistent queries that read it / write it. */
  private readonly readers = new Map<string, Set<string>>();
  private readonly writers = new Map<string, Set<string>>();

  getSource(name: string): DataSource | undefined {
    return this.sources.get(name);
  }

  /** The source, or ksqlDB's error for an unknown one. */
  requireSource(name: string): DataSource {
    const source = this.sources.get(name);
    if (!source) throw new KsqlError(`${name} does not exist.`);
    return source;
  }

  allSources(): DataSource[] {
    return [...this.sources.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Sources whose name differs only in case, for "Did you mean ...?" hints. */
  similarSources(name: string): DataSource[] {
    const upper = name.toUpperCase();
    return this.allSources().filter((s) => s.name !== name && s.name.toUpperCase() === upper);
  }

  putSource(source: DataSource): void {
    this.sources.set(source.name, source);
  }

  deleteSource(name: string): void {
    this.sources.delete(name);
    this.readers.delete(name);
    this.writers.delete(name);
  }

  getType(name: string): CustomType | undefined {
    return this.types.get(name.toUpperCase());
  }

  putType(name: string, type: SqlType): void {
    this.types.set(name.toUpperCase(), { name: name.toUpperCase(), type });
  }

  deleteType(name: string): boolean {
    return this.types.delete(name.toUpperCase());
  }

  allTypes(): CustomType[] {
    return [...this.types.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Records that a persistent query reads `sources` and writes `sink`. */
  linkQuery(queryId: string, sources: readonly string[], sink: string | undefined): void {
    for (const s of sources) getOrAdd(this.readers, s).add(queryId);
    if (sink !== undefined) getOrAdd(this.writers, sink).add(queryId);
  }

  unlinkQuery(queryId: string): void {
    for (const set of this.readers.values()) set.delete(queryId);
    for (const set of this.writers.values()) set.delete(queryId);
  }

  readersOf(source: string): string[] {
    return [...(this.readers.get(source) ?? [])].sort();
  }

  writersOf(source: string): string[] {
    return [...(this.writers.get(source) ?? [])].sort();
  }
}

function getOrAdd(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
