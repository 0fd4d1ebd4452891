/**
 * LogicalSchema: the columns of a source or query result, as ksqlDB models them. Each column
 * lives in a namespace (KEY, VALUE or HEADERS) and has an index within it; key columns come first, then
 * the others in declared order, the order DESCRIBE and post-conditions print. Names are
 * case-sensitive (the parser has already upper-cased unquoted identifiers).
 */
import { canImplicitlyCast } from './coercion.js';
import { SqlTypeError } from './errors.js';
import { formatIdentifier, formatType, typesEqual } from './format.js';
import { BIGINT, BYTES, INTEGER, STRING, array, field, struct, type SqlType } from './types.js';

export type ColumnNamespace = 'KEY' | 'VALUE' | 'HEADERS';

export interface Column {
  readonly name: string;
  readonly type: SqlType;
  readonly namespace: ColumnNamespace;
  /** Position within its namespace: a value column's index in a value row. */
  readonly index: number;
  /** For a HEADER('key') column, the header key; absent for the whole-HEADERS column. */
  readonly headerKey?: string;
}

/** Name and type of a column to add, without its namespace and index. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: SqlType;
}

export const ROWKEY = 'ROWKEY';
export const ROWTIME = 'ROWTIME';
export const ROWPARTITION = 'ROWPARTITION';
export const ROWOFFSET = 'ROWOFFSET';
export const WINDOWSTART = 'WINDOWSTART';
export const WINDOWEND = 'WINDOWEND';

/** Pseudo-columns every query can read, in the order ksqlDB appends them. */
export const PSEUDO_COLUMNS: readonly ColumnSpec[] = Object.freeze([
  { name: ROWTIME, type: BIGINT },
  { name: ROWPARTITION, type: INTEGER },
  { name: ROWOFFSET, type: BIGINT },
]);

/** Window bounds of a windowed source. */
export const WINDOW_BOUNDS: readonly ColumnSpec[] = Object.freeze([
  { name: WINDOWSTART, type: BIGINT },
  { name: WINDOWEND, type: BIGINT },
]);

/** Type of a column declared `HEADERS`: every header as ARRAY<STRUCT<KEY STRING, VALUE BYTES>>. */
export const HEADERS_TYPE: SqlType = array(struct([field('KEY', STRING), field('VALUE', BYTES)]));

/** Type of a column declared `HEADER('key')`: the last header with that key. */
export const HEADER_TYPE: SqlType = BYTES;

export interface PseudoColumnOptions {
  /** Include ROWPARTITION and ROWOFFSET (ksql.rowpartition.rowoffset.enabled, default true). */
  readonly rowPartitionAndOffset?: boolean;
}

function pseudoColumns(options: PseudoColumnOptions = {}): readonly ColumnSpec[] {
  return options.rowPartitionAndOffset === false ? PSEUDO_COLUMNS.slice(0, 1) : PSEUDO_COLUMNS;
}

export function isPseudoColumnName(name: string, options?: PseudoColumnOptions): boolean {
  return pseudoColumns(options).some((c) => c.name === name);
}

export function isWindowBoundName(name: string): boolean {
  return name === WINDOWSTART || name === WINDOWEND;
}

/** Pseudo-columns and window bounds: names users cannot declare as ordinary columns. */
export function isSystemColumnName(name: string, options?: PseudoColumnOptions): boolean {
  return isPseudoColumnName(name, options) || isWindowBoundName(name);
}

const NAMESPACE_PRECEDENCE: Readonly<Record<ColumnNamespace, number>> = { KEY: 0, VALUE: 1, HEADERS: 2 };

export class LogicalSchema {
  static readonly EMPTY = new LogicalSchema([]);

  readonly keyColumns: readonly Column[];
  readonly valueColumns: readonly Column[];
  readonly headerColumns: readonly Column[];
  private readonly all: readonly Column[];

  private constructor(columns: readonly Column[]) {
    // Key columns come first, as ksqlDB orders them; the rest keep their declared order.
    const ordered = [...columns.filter((c) => c.namespace === 'KEY'), ...columns.filter((c) => c.namespace !== 'KEY')];
    this.all = Object.freeze(ordered.map((c) => Object.freeze({ ...c })));
    this.keyColumns = Object.freeze(this.all.filter((c) => c.namespace === 'KEY'));
    this.valueColumns = Object.freeze(this.all.filter((c) => c.namespace === 'VALUE'));
    this.headerColumns = Object.freeze(this.all.filter((c) => c.namespace === 'HEADERS'));
    Object.freeze(this);
  }

  static builder(): LogicalSchemaBuilder {
    return new LogicalSchemaBuilder();
  }

  /** A builder holding this schema's columns, to add more. */
  asBuilder(): LogicalSchemaBuilder {
    const builder = new LogicalSchemaBuilder();
    for (const c of this.all) {
      if (c.namespace === 'KEY') builder.keyColumn(c.name, c.type);
      else if (c.namespace === 'HEADERS') builder.headerColumn(c.name, c.headerKey);
      else builder.valueColumn(c.name, c.type);
    }
    return builder;
  }

  /** Every column, in schema order. */
  columns(): readonly Column[] {
    return this.all;
  }

  /** The column with this name; a KEY column wins over a VALUE one, which wins over HEADERS. */
  findColumn(name: string): Column | undefined {
    let found: Column | undefined;
    for (const c of this.all) {
      if (c.name === name && (!found || NAMESPACE_PRECEDENCE[c.namespace] < NAMESPACE_PRECEDENCE[found.namespace])) {
        found = c;
      }
    }
    return found;
  }

  findKeyColumn(name: string): Column | undefined {
    return this.keyColumns.find((c) => c.name === name);
  }

  findValueColumn(name: string): Column | undefined {
    return this.valueColumns.find((c) => c.name === name);
  }

  findHeaderColumn(name: string): Column | undefined {
    return this.headerColumns.find((c) => c.name === name);
  }

  /** Index of the value column with this name in a value row, or -1. */
  valueIndex(name: string): number {
    return this.findValueColumn(name)?.index ?? -1;
  }

  /** Index of the key column with this name in a key row, or -1. */
  keyIndex(name: string): number {
    return this.findKeyColumn(name)?.index ?? -1;
  }

  isKeyColumn(name: string): boolean {
    return this.findKeyColumn(name) !== undefined;
  }

  isHeaderColumn(name: string): boolean {
    return this.findHeaderColumn(name) !== undefined;
  }

  valueContainsAny(names: Iterable<string>): boolean {
    const wanted = new Set(names);
    return this.valueColumns.some((c) => wanted.has(c.name));
  }

  /**
   * The schema a query over this source sees (ksqlDB's withPseudoAndKeyColsInValue): key
   * columns; then as value columns the source's own value columns, the header columns (which
   * also stay in HEADERS), ROWTIME, ROWPARTITION, ROWOFFSET, copies of the key columns and, for
   * a windowed source, WINDOWSTART and WINDOWEND.
   */
  withPseudoAndKeyColsInValue(windowed: boolean, options?: PseudoColumnOptions): LogicalSchema {
    const ownValues = this.ownValueColumns(options);
    const columns: Column[] = [...this.keyColumns, ...ownValues, ...this.headerColumns];
    let index = ownValues.length;
    const addValue = (name: string, type: SqlType): void => {
      columns.push({ name, type, namespace: 'VALUE', index: index++ });
    };
    for (const c of this.headerColumns) addValue(c.name, c.type);
    for (const c of pseudoColumns(options)) addValue(c.name, c.type);
    for (const c of this.keyColumns) addValue(c.name, c.type);
    if (windowed) for (const c of WINDOW_BOUNDS) addValue(c.name, c.type);
    return new LogicalSchema(columns);
  }

  /** Undo withPseudoAndKeyColsInValue: keys, headers, then the source's own value columns. */
  withoutPseudoAndKeyColsInValue(options?: PseudoColumnOptions): LogicalSchema {
    return new LogicalSchema([...this.keyColumns, ...this.headerColumns, ...this.ownValueColumns(options)]);
  }

  /** Key columns, with copies of them as the only value columns. */
  withKeyColsOnly(): LogicalSchema {
    return new LogicalSchema([
      ...this.keyColumns,
      ...this.keyColumns.map((c, index): Column => ({ name: c.name, type: c.type, namespace: 'VALUE', index })),
    ]);
  }

  /**
   * Same columns in the same places, and each of this schema's types can be implicitly cast to
   * the other's (what INSERT INTO needs of a query feeding an existing sink).
   */
  compatibleSchema(other: LogicalSchema): boolean {
    const theirs = other.columns();
    return (
      this.all.length === theirs.length &&
      this.all.every((c, i) => sameSlot(c, theirs[i]) && canImplicitlyCast(c.type, theirs[i].type))
    );
  }

  equals(other: LogicalSchema): boolean {
    const theirs = other.columns();
    return (
      this.all.length === theirs.length &&
      this.all.every((c, i) => sameSlot(c, theirs[i]) && typesEqual(c.type, theirs[i].type))
    );
  }

  toString(): string {
    return formatSchema(this);
  }

  // Value columns that are not system columns, nor copies of key or header columns.
  private ownValueColumns(options?: PseudoColumnOptions): Column[] {
    return this.valueColumns
      .filter((c) => !isSystemColumnName(c.name, options) && !this.isKeyColumn(c.name) && !this.isHeaderColumn(c.name))
      .map((c, index) => ({ name: c.name, type: c.type, namespace: 'VALUE', index }));
  }
}

function sameSlot(a: Column, b: Column): boolean {
  return a.name === b.name && a.namespace === b.namespace && a.index === b.index && a.headerKey === b.headerKey;
}

export class LogicalSchemaBuilder {
  private readonly columns: Column[] = [];
  private readonly seen: Record<ColumnNamespace, Set<string>> = {
    KEY: new Set(),
    VALUE: new Set(),
    HEADERS: new Set(),
  };
  private readonly headerKeys = new Set<string>();
  private hasWholeHeaders = false;

  keyColumn(name: string, type: SqlType): this {
    return this.add({ name, type, namespace: 'KEY', index: this.seen.KEY.size });
  }

  keyColumns(columns: Iterable<ColumnSpec>): this {
    for (const c of columns) this.keyColumn(c.name, c.type);
    return this;
  }

  valueColumn(name: string, type: SqlType): this {
    return this.add({ name, type, namespace: 'VALUE', index: this.seen.VALUE.size });
  }

  valueColumns(columns: Iterable<ColumnSpec>): this {
    for (const c of columns) this.valueColumn(c.name, c.type);
    return this;
  }

  /** `name BYTES HEADER('key')` when headerKey is given, else `name ARRAY<STRUCT<...>> HEADERS`. */
  headerColumn(name: string, headerKey?: string): this {
    const index = this.seen.HEADERS.size;
    const column: Column =
      headerKey === undefined
        ? { name, type: HEADERS_TYPE, namespace: 'HEADERS', index }
        : { name, type: HEADER_TYPE, namespace: 'HEADERS', index, headerKey };
    return this.add(column);
  }

  headerColumns(columns: Iterable<{ readonly name: string; readonly headerKey?: string }>): this {
    for (const c of columns) this.headerColumn(c.name, c.headerKey);
    return this;
  }

  build(): LogicalSchema {
    return createSchema(this.columns);
  }

  private add(column: Column): this {
    const seen = this.seen[column.namespace];
    if (seen.has(column.name)) {
      throw new SqlTypeError(
        `Duplicate ${column.namespace.toLowerCase()} columns found in schema: ${formatColumn(column)}`,
      );
    }
    if (column.namespace === 'HEADERS') {
      if (this.hasWholeHeaders) throw new SqlTypeError('Schema already contains a HEADERS column.');
      if (column.headerKey === undefined) {
        this.hasWholeHeaders = true;
      } else if (this.headerKeys.has(column.headerKey)) {
        throw new SqlTypeError(`Schema already contains a HEADER('${column.headerKey}') column.`);
      } else {
        this.headerKeys.add(column.headerKey);
      }
    }
    seen.add(column.name);
    this.columns.push(column);
    return this;
  }
}

// The constructor is private to keep schemas immutable; the builder is the one way in.
function createSchema(columns: readonly Column[]): LogicalSchema {
  return new (LogicalSchema as unknown as new (columns: readonly Column[]) => LogicalSchema)(columns);
}

export interface FormatSchemaOptions {
  /** Back-quote column names (ksqlDB's LogicalSchema.toString does). Default: true. */
  readonly quoteNames?: boolean | ((name: string) => boolean);
  /** Back-quote struct field names. Default: true. */
  readonly quoteFields?: boolean | ((name: string) => boolean);
  /** Print key columns as `PRIMARY KEY` (table syntax) rather than `KEY`. Default: false. */
  readonly primaryKey?: boolean;
}

/** "`ID` BIGINT KEY, `H` BYTES HEADER('k'), `NAME` STRING": the column list ksqlDB prints. */
export function formatSchema(schema: LogicalSchema, options: FormatSchemaOptions = {}): string {
  return schema
    .columns()
    .map((c) => formatColumn(c, options))
    .join(', ');
}

export function formatColumn(column: Column, options: FormatSchemaOptions = {}): string {
  const name = formatIdentifier(column.name, options.quoteNames ?? true);
  const type = formatType(column.type, { quoteFields: options.quoteFields ?? true });
  switch (column.namespace) {
    case 'KEY':
      return `${name} ${type} ${options.primaryKey ? 'PRIMARY KEY' : 'KEY'}`;
    case 'VALUE':
      return `${name} ${type}`;
    case 'HEADERS':
      return column.headerKey === undefined
        ? `${name} ${type} HEADERS`
        : `${name} ${type} HEADER('${column.headerKey.replaceAll("'", "''")}')`;
    default: {
      const unreachable: never = column.namespace;
      throw new Error(`Unknown namespace ${String(unreachable)}`);
    }
  }
}
