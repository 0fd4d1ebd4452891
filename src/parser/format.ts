/**
 * Prints the AST back as SQL. Parsing what it prints gives the same tree (the
 * grammar tests check that round trip); compound expressions are parenthesized.
 */
import { isKeyword } from './lexer.js';
import { assertNever } from './visit.js';
import type {
  Duration,
  Expr,
  LiteralValue,
  Property,
  Query,
  Relation,
  SelectItem,
  Statement,
  TableElement,
  TypeNode,
  WindowSpec,
  WithinSpec,
} from './ast.js';

const PLAIN = /^[A-Z_][A-Z0-9_@]*$/;
const PRIMITIVE_NAMES = new Set(['BOOLEAN', 'INT', 'INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'VARCHAR', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP', 'DECIMAL']);

/** A name as it must be written to read back the same: bare when upper-case and not a keyword. */
export function quoteIdentifier(name: string): string {
  return PLAIN.test(name) && !isKeyword(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function formatType(t: TypeNode): string {
  switch (t.type) {
    case 'primitiveType':
      return t.name;
    case 'decimalType':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'arrayType':
      return `ARRAY<${formatType(t.item)}>`;
    case 'mapType':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>`;
    case 'structType':
      return `STRUCT<${t.fields.map((f) => `${quoteIdentifier(f.name)} ${formatType(f.fieldType)}`).join(', ')}>`;
    case 'customType':
      return PRIMITIVE_NAMES.has(t.name) ? `\`${t.name}\`` : quoteIdentifier(t.name);
    default:
      return assertNever(t);
  }
}

export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'null':
      return 'NULL';
    case 'boolean':
      return e.value ? 'TRUE' : 'FALSE';
    case 'number':
      return e.text;
    case 'string':
      return quoteString(e.value);
    case 'column':
      return e.source === undefined ? quoteIdentifier(e.name) : `${quoteIdentifier(e.source)}.${quoteIdentifier(e.name)}`;
    case 'deref':
      return `${formatExpr(e.base)}->${quoteIdentifier(e.field)}`;
    case 'subscript':
      return `${formatExpr(e.base)}[${formatExpr(e.index)}]`;
    case 'call': {
      const name = quoteIdentifier(e.name);
      if (e.star) return `${name}(*)`;
      return `${name}(${e.distinct ? 'DISTINCT ' : ''}${e.args.map(formatExpr).join(', ')})`;
    }
    case 'lambda':
      return `(${e.params.map(quoteIdentifier).join(', ')}) => ${formatExpr(e.body)}`;
    case 'unary':
      return e.op === 'NOT' ? `(NOT ${formatExpr(e.operand)})` : `(${e.op}${formatExpr(e.operand)})`;
    case 'binary':
      return `(${formatExpr(e.left)} ${e.op} ${formatExpr(e.right)})`;
    case 'isNull':
      return `(${formatExpr(e.operand)} IS ${e.not ? 'NOT ' : ''}NULL)`;
    case 'between':
      return `(${formatExpr(e.operand)} ${e.not ? 'NOT ' : ''}BETWEEN ${formatExpr(e.low)} AND ${formatExpr(e.high)})`;
    case 'in':
      return `(${formatExpr(e.operand)} ${e.not ? 'NOT ' : ''}IN (${e.list.map(formatExpr).join(', ')}))`;
    case 'like': {
      const escape = e.escape === undefined ? '' : ` ESCAPE ${quoteString(e.escape)}`;
      return `(${formatExpr(e.operand)} ${e.not ? 'NOT ' : ''}LIKE ${formatExpr(e.pattern)}${escape})`;
    }
    case 'case': {
      const parts = ['CASE'];
      if (e.operand) parts.push(formatExpr(e.operand));
      for (const w of e.whens) parts.push(`WHEN ${formatExpr(w.when)} THEN ${formatExpr(w.then)}`);
      if (e.else) parts.push(`ELSE ${formatExpr(e.else)}`);
      parts.push('END');
      return parts.join(' ');
    }
    case 'cast':
      return `CAST(${formatExpr(e.operand)} AS ${formatType(e.target)})`;
    case 'arrayCtor':
      return `ARRAY[${e.items.map(formatExpr).join(', ')}]`;
    case 'mapCtor':
      return `MAP(${e.entries.map((en) => `${formatExpr(en.key)} := ${formatExpr(en.value)}`).join(', ')})`;
    case 'structCtor':
      return `STRUCT(${e.fields.map((f) => `${quoteIdentifier(f.name)} := ${formatExpr(f.value)}`).join(', ')})`;
    default:
      return assertNever(e);
  }
}

function formatDuration(d: Duration): string {
  return `${d.value} ${d.unit}`;
}

function formatWindow(w: WindowSpec): string {
  const opts = (r?: Duration, g?: Duration): string =>
    `${r ? `, RETENTION ${formatDuration(r)}` : ''}${g ? `, GRACE PERIOD ${formatDuration(g)}` : ''}`;
  switch (w.type) {
    case 'TUMBLING':
      return `TUMBLING (SIZE ${formatDuration(w.size)}${opts(w.retention, w.grace)})`;
    case 'HOPPING':
      return `HOPPING (SIZE ${formatDuration(w.size)}, ADVANCE BY ${formatDuration(w.advance)}${opts(w.retention, w.grace)})`;
    case 'SESSION':
      return `SESSION (${formatDuration(w.gap)}${opts(w.retention, w.grace)})`;
    default:
      return assertNever(w);
  }
}

function formatWithin(w: WithinSpec): string {
  const grace = w.grace ? ` GRACE PERIOD ${formatDuration(w.grace)}` : '';
  return w.asymmetric
    ? ` WITHIN (${formatDuration(w.before)}, ${formatDuration(w.after)})${grace}`
    : ` WITHIN ${formatDuration(w.before)}${grace}`;
}

const JOIN_WORDS = { INNER: 'INNER JOIN', LEFT: 'LEFT JOIN', RIGHT: 'RIGHT JOIN', FULL: 'FULL OUTER JOIN' } as const;

function formatRelation(r: Relation): string {
  if (r.type === 'sourceRef') {
    return r.alias === undefined ? quoteIdentifier(r.name) : `${quoteIdentifier(r.name)} ${quoteIdentifier(r.alias)}`;
  }
  const within = r.within ? formatWithin(r.within) : '';
  return `${formatRelation(r.left)} ${JOIN_WORDS[r.joinType]} ${formatRelation(r.right)}${within} ON ${formatExpr(r.on)}`;
}

function formatSelectItem(item: SelectItem): string {
  switch (item.type) {
    case 'allColumns':
      return item.source === undefined ? '*' : `${quoteIdentifier(item.source)}.*`;
    case 'structAll':
      return `${formatExpr(item.base)}->*`;
    case 'selectExpr':
      return item.alias === undefined ? formatExpr(item.expr) : `${formatExpr(item.expr)} AS ${quoteIdentifier(item.alias)}`;
    default:
      return assertNever(item);
  }
}

function formatGrouping(list: readonly Expr[]): string {
  return list.length === 0 ? '()' : list.map(formatExpr).join(', ');
}

export function formatQuery(q: Query): string {
  const parts = [`SELECT ${q.select.map(formatSelectItem).join(', ')}`, `FROM ${formatRelation(q.from)}`];
  if (q.window) parts.push(`WINDOW ${formatWindow(q.window)}`);
  if (q.where) parts.push(`WHERE ${formatExpr(q.where)}`);
  if (q.groupBy) parts.push(`GROUP BY ${formatGrouping(q.groupBy)}`);
  if (q.partitionBy) parts.push(`PARTITION BY ${formatGrouping(q.partitionBy)}`);
  if (q.having) parts.push(`HAVING ${formatExpr(q.having)}`);
  if (q.emit) parts.push(`EMIT ${q.emit}`);
  if (q.limit !== undefined) parts.push(`LIMIT ${q.limit}`);
  return parts.join(' ');
}

function formatLiteral(v: LiteralValue): string {
  switch (v.type) {
    case 'string':
      return quoteString(v.value);
    case 'number':
      return v.text;
    case 'boolean':
      return v.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    default:
      return assertNever(v);
  }
}

function formatProperties(props: readonly Property[]): string {
  return props.length === 0 ? '' : ` WITH (${props.map((p) => `${quoteIdentifier(p.name)}=${formatLiteral(p.value)}`).join(', ')})`;
}

function formatElement(e: TableElement): string {
  const constraint =
    e.constraint === undefined
      ? ''
      : e.constraint === 'HEADER'
        ? ` HEADER(${quoteString(e.headerKey ?? '')})`
        : ` ${e.constraint}`;
  return `${quoteIdentifier(e.name)} ${formatType(e.elementType)}${constraint}`;
}

function formatElements(elements?: readonly TableElement[]): string {
  return elements === undefined ? '' : ` (${elements.map(formatElement).join(', ')})`;
}

function formatColumns(columns?: readonly string[]): string {
  return columns === undefined ? '' : ` (${columns.map(quoteIdentifier).join(', ')})`;
}

/** The statement as SQL, without a trailing `;`. */
export function formatStatement(s: Statement): string {
  switch (s.type) {
    case 'query':
      return formatQuery(s);
    case 'createSource':
      return `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.isSource ? 'SOURCE ' : ''}${s.kind} ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(s.name)}${formatElements(s.elements)}${formatProperties(s.properties)}`;
    case 'createAsSelect':
      return `CREATE ${s.orReplace ? 'OR REPLACE ' : ''}${s.kind} ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(s.name)}${formatProperties(s.properties)} AS ${formatQuery(s.query)}`;
    case 'insertInto':
      return `INSERT INTO ${quoteIdentifier(s.target)}${formatProperties(s.properties)} ${formatQuery(s.query)}`;
    case 'insertValues':
      return `INSERT INTO ${quoteIdentifier(s.target)}${formatColumns(s.columns)} VALUES (${s.values.map(formatExpr).join(', ')})`;
    case 'show': {
      const what = s.what === 'CONNECTORS' && s.connectorType ? `${s.connectorType} CONNECTORS` : s.what;
      return `SHOW ${s.all ? 'ALL ' : ''}${what}${s.extended ? ' EXTENDED' : ''}`;
    }
    case 'describeSource':
      return `DESCRIBE ${s.extended ? 'EXTENDED ' : ''}${quoteIdentifier(s.name)}`;
    case 'describeSources':
      return `DESCRIBE ${s.kind}${s.extended ? ' EXTENDED' : ''}`;
    case 'describeFunction':
      return `DESCRIBE FUNCTION ${quoteIdentifier(s.name)}`;
    case 'describeConnector':
      return `DESCRIBE CONNECTOR ${quoteIdentifier(s.name)}`;
    case 'explain':
      return `EXPLAIN ${s.statement ? formatStatement(s.statement) : quoteIdentifier(s.queryId ?? '')}`;
    case 'print':
      return `PRINT ${quoteString(s.topic)}${s.fromBeginning ? ' FROM BEGINNING' : ''}${s.interval !== undefined ? ` INTERVAL ${s.interval}` : ''}${s.limit !== undefined ? ` LIMIT ${s.limit}` : ''}`;
    case 'terminate':
      return `TERMINATE ${s.all ? 'ALL' : quoteIdentifier(s.queryId ?? '')}`;
    case 'pauseQuery':
      return `PAUSE ${s.all ? 'ALL' : quoteIdentifier(s.queryId ?? '')}`;
    case 'resumeQuery':
      return `RESUME ${s.all ? 'ALL' : quoteIdentifier(s.queryId ?? '')}`;
    case 'dropSource':
      return `DROP ${s.kind} ${s.ifExists ? 'IF EXISTS ' : ''}${quoteIdentifier(s.name)}${s.deleteTopic ? ' DELETE TOPIC' : ''}`;
    case 'alterSource':
      return `ALTER ${s.kind} ${quoteIdentifier(s.name)} ${s.columns.map((c) => `ADD COLUMN ${quoteIdentifier(c.name)} ${formatType(c.columnType)}`).join(', ')}`;
    case 'createType':
      return `CREATE TYPE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(s.name)} AS ${formatType(s.definition)}`;
    case 'dropType':
      return `DROP TYPE ${s.ifExists ? 'IF EXISTS ' : ''}${quoteIdentifier(s.name)}`;
    case 'setProperty':
      return `SET ${quoteString(s.name)} = ${quoteString(s.value)}`;
    case 'unsetProperty':
      return `UNSET ${quoteString(s.name)}`;
    case 'defineVariable':
      return `DEFINE ${quoteIdentifier(s.name)} = ${quoteString(s.value)}`;
    case 'undefineVariable':
      return `UNDEFINE ${quoteIdentifier(s.name)}`;
    case 'runScript':
      return `RUN SCRIPT ${quoteString(s.path)}`;
    case 'assertTopic':
      return `ASSERT ${s.not ? 'NOT EXISTS ' : ''}TOPIC ${quoteString(s.topic)}${formatProperties(s.properties)}${s.timeout ? ` TIMEOUT ${formatDuration(s.timeout)}` : ''}`;
    case 'assertSchema':
      return `ASSERT ${s.not ? 'NOT EXISTS ' : ''}SCHEMA${s.subject !== undefined ? ` SUBJECT ${quoteString(s.subject)}` : ''}${s.id !== undefined ? ` ID ${s.id}` : ''}${s.timeout ? ` TIMEOUT ${formatDuration(s.timeout)}` : ''}`;
    case 'assertSource':
      return `ASSERT ${s.kind} ${quoteIdentifier(s.name)}${formatElements(s.elements)}${formatProperties(s.properties)}`;
    case 'assertValues':
      return s.isNull
        ? `ASSERT NULL VALUES ${quoteIdentifier(s.target)}${formatColumns(s.columns)} KEY (${s.values.map(formatExpr).join(', ')})`
        : `ASSERT VALUES ${quoteIdentifier(s.target)}${formatColumns(s.columns)} VALUES (${s.values.map(formatExpr).join(', ')})`;
    case 'createConnector':
      return `CREATE ${s.connectorType} CONNECTOR ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(s.name)}${formatProperties(s.properties)}`;
    case 'dropConnector':
      return `DROP CONNECTOR ${s.ifExists ? 'IF EXISTS ' : ''}${quoteIdentifier(s.name)}`;
    default:
      return assertNever(s);
  }
}
