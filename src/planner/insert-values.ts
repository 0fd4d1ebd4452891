/**
 * INSERT INTO ... VALUES: which column each value goes to, typed and coerced to
 * the column's type (literals as ksqlDB reads them: '1' into an INT is 1).
 */
import type { Statement } from '../parser/index.js';
import { BIGINT, coercionTarget, formatType, type SqlType } from '../schema/index.js';
import { KsqlError } from './errors.js';
import { coerceTo, typeExpr, type TypingContext } from './expressions.js';
import type { DataSource } from './metastore.js';
import type { QueryPlanContext } from './query.js';
import type { TypedExpr } from './typed.js';

export interface InsertValuesPlan {
  readonly source: DataSource;
  /** One per key column, in order (null literal where not given). */
  readonly key: readonly TypedExpr[];
  /** One per value column, in order. */
  readonly value: readonly TypedExpr[];
  /** ROWTIME when given. */
  readonly rowtime?: TypedExpr;
}

export function planInsertValues(stmt: Extract<Statement, { type: 'insertValues' }>, ctx: QueryPlanContext): InsertValuesPlan {
  const source = ctx.metastore.getSource(stmt.target);
  if (!source) {
    const similar = ctx.metastore.similarSources(stmt.target)[0];
    const hint = similar
      ? /^[A-Z0-9_]+$/.test(similar.name)
        ? `\nDid you mean ${similar.name}? Hint: try removing double quotes from the source name.`
        : `\nDid you mean "${similar.name}"? Hint: wrap the source name in double quotes to make it case-sensitive.`
      : '';
    throw new KsqlError(`Cannot insert values into an unknown stream/table: \`${stmt.target}\`${hint}`);
  }
  if (source.isSource) throw new KsqlError(`Cannot insert values into read-only ${source.kind.toLowerCase()}: ${source.name}`);
  if (source.createdByQueryId !== undefined && source.kind === 'TABLE') {
    throw new KsqlError(`Cannot insert values into a table created by a query: ${source.name}`);
  }
  const schema = source.schema;
  const headerNames = new Set(schema.headerColumns.map((c) => c.name));
  // Without a column list, every column in schema order, header columns too (which cannot take values).
  const columns = stmt.columns ?? schema.columns().map((c) => c.name);
  if (columns.length !== stmt.values.length) {
    throw new KsqlError(
      `Expected a value for each column. Expected Columns: [${columns.join(', ')}]. Got [${stmt.values.map((v) => (v.type === 'string' ? `'${v.value}'` : v.type)).join(', ')}]`,
    );
  }
  const headers = columns.filter((c) => headerNames.has(c));
  if (headers.length > 0) throw new KsqlError(`Cannot insert into HEADER columns: ${headers.join(', ')}`);
  const typing: TypingContext = {
    scope: { resolveColumn: () => undefined },
    functions: ctx.functions,
    config: ctx.config,
    metastore: ctx.metastore,
    clause: 'VALUES',
  };
  const given = new Map<string, TypedExpr>();
  columns.forEach((name, i) => {
    const expr = typeExpr(stmt.values[i] as never, typing);
    if (given.has(name)) throw new KsqlError(`Duplicate column in INSERT: ${name}`);
    const column = name === 'ROWTIME' ? { name, type: BIGINT as SqlType } : schema.findKeyColumn(name) ?? schema.findValueColumn(name);
    if (!column) throw new KsqlError(`Column name ${name} does not exist.`);
    given.set(name, coerceValue(expr, column.type, name));
  });
  const nullOf = (type: SqlType): TypedExpr => ({ kind: 'literal', type, value: null, text: 'null' });
  return {
    source,
    key: schema.keyColumns.map((c) => given.get(c.name) ?? nullOf(c.type)),
    value: schema.valueColumns.map((c) => given.get(c.name) ?? nullOf(c.type)),
    ...(given.has('ROWTIME') ? { rowtime: given.get('ROWTIME') as TypedExpr } : {}),
  };
}

function coerceValue(expr: TypedExpr, to: SqlType, column: string): TypedExpr {
  if (expr.type === null) return { ...expr, type: to } as TypedExpr;
  const mode = expr.kind === 'literal' ? 'LAX' : 'STRICT';
  if (!coercionTarget(expr.type, to, mode)) {
    throw new KsqlError(`Expected type ${formatType(to)} for field ${column} but got ${expr.text}(${formatType(expr.type)})`);
  }
  return coerceTo(expr, to);
}
