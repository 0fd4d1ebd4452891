/**
 * Expressions as ksqlDB writes them in its messages and generated names:
 * `(A + B)`, `SUM(VALUE)`, `MAP('a':=VAL1)`, `CAST(X AS STRING)`, `true`.
 */
import { assertNever, type Expr, type TypeNode } from '../parser/index.js';

const PLAIN = /^[A-Z_][A-Z0-9_]*$/;

export function nameText(name: string): string {
  return PLAIN.test(name) ? name : `\`${name}\``;
}

export function typeText(t: TypeNode): string {
  switch (t.type) {
    case 'primitiveType':
      return t.name;
    case 'decimalType':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'arrayType':
      return `ARRAY<${typeText(t.item)}>`;
    case 'mapType':
      return `MAP<${typeText(t.key)}, ${typeText(t.value)}>`;
    case 'structType':
      return `STRUCT<${t.fields.map((f) => `${nameText(f.name)} ${typeText(f.fieldType)}`).join(', ')}>`;
    case 'customType':
      return t.name;
    default:
      return assertNever(t);
  }
}

export function exprText(e: Expr): string {
  switch (e.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return e.value ? 'true' : 'false';
    case 'number':
      return e.text;
    case 'string':
      return `'${e.value.replace(/'/g, "''")}'`;
    case 'column':
      return e.source === undefined ? nameText(e.name) : `${nameText(e.source)}.${nameText(e.name)}`;
    case 'deref':
      return `${exprText(e.base)}->${nameText(e.field)}`;
    case 'subscript':
      return `${exprText(e.base)}[${exprText(e.index)}]`;
    case 'call':
      if (e.star) return `${e.name}(*)`;
      return `${e.name}(${e.distinct ? 'DISTINCT ' : ''}${e.args.map(exprText).join(', ')})`;
    case 'lambda':
      return e.params.length === 1
        ? `${e.params[0]} => ${exprText(e.body)}`
        : `(${e.params.join(', ')}) => ${exprText(e.body)}`;
    case 'unary':
      return e.op === 'NOT' ? `(NOT ${exprText(e.operand)})` : `${e.op}${exprText(e.operand)}`;
    case 'binary':
      return `(${exprText(e.left)} ${e.op} ${exprText(e.right)})`;
    case 'isNull':
      return `(${exprText(e.operand)} IS ${e.not ? 'NOT ' : ''}NULL)`;
    case 'between':
      return `(${exprText(e.operand)} ${e.not ? 'NOT ' : ''}BETWEEN ${exprText(e.low)} AND ${exprText(e.high)})`;
    case 'in':
      return `(${exprText(e.operand)} ${e.not ? 'NOT ' : ''}IN (${e.list.map(exprText).join(', ')}))`;
    case 'like':
      return `(${exprText(e.operand)} ${e.not ? 'NOT ' : ''}LIKE ${exprText(e.pattern)}${e.escape !== undefined ? ` ESCAPE '${e.escape}'` : ''})`;
    case 'case': {
      const parts = ['(CASE'];
      if (e.operand) parts.push(exprText(e.operand));
      for (const w of e.whens) parts.push(`WHEN ${exprText(w.when)} THEN ${exprText(w.then)}`);
      if (e.else) parts.push(`ELSE ${exprText(e.else)}`);
      parts.push('END)');
      return parts.join(' ');
    }
    case 'cast':
      return `CAST(${exprText(e.operand)} AS ${typeText(e.target)})`;
    case 'arrayCtor':
      return `ARRAY[${e.items.map(exprText).join(', ')}]`;
    case 'mapCtor':
      return `MAP(${e.entries.map((en) => `${exprText(en.key)}:=${exprText(en.value)}`).join(', ')})`;
    case 'structCtor':
      return `STRUCT(${e.fields.map((f) => `${nameText(f.name)}:=${exprText(f.value)}`).join(', ')})`;
    default:
      return assertNever(e);
  }
}
