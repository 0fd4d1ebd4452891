/** Walking the AST: the direct sub-expressions of an expression, and every expression of a statement. */
import type { Expr, Query, Relation, SelectItem, Statement } from './ast.js';

export function childExprs(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
    case 'column':
      return [];
    case 'deref':
      return [e.base];
    case 'subscript':
      return [e.base, e.index];
    case 'call':
      return e.args;
    case 'lambda':
      return [e.body];
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'isNull':
      return [e.operand];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'in':
      return [e.operand, ...e.list];
    case 'like':
      return [e.operand, e.pattern];
    case 'case': {
      const out: Expr[] = e.operand ? [e.operand] : [];
      for (const w of e.whens) out.push(w.when, w.then);
      if (e.else) out.push(e.else);
      return out;
    }
    case 'cast':
      return [e.operand];
    case 'arrayCtor':
      return e.items;
    case 'mapCtor':
      return e.entries.flatMap((en) => [en.key, en.value]);
    case 'structCtor':
      return e.fields.map((f) => f.value);
    default:
      return assertNever(e);
  }
}

/** Calls fn on every expression in the tree rooted at e, parents before children. */
export function walkExpr(e: Expr, fn: (e: Expr) => void): void {
  fn(e);
  for (const c of childExprs(e)) walkExpr(c, fn);
}

function selectItemExprs(item: SelectItem): Expr[] {
  switch (item.type) {
    case 'allColumns':
      return [];
    case 'structAll':
      return [item.base];
    case 'selectExpr':
      return [item.expr];
    default:
      return assertNever(item);
  }
}

function relationExprs(r: Relation): Expr[] {
  return r.type === 'join' ? [...relationExprs(r.left), r.on] : [];
}

/** The top-level expressions of a query, clause by clause. */
export function queryExprs(q: Query): Expr[] {
  return [
    ...q.select.flatMap(selectItemExprs),
    ...relationExprs(q.from),
    ...(q.where ? [q.where] : []),
    ...(q.groupBy ?? []),
    ...(q.partitionBy ?? []),
    ...(q.having ? [q.having] : []),
  ];
}

/** Calls fn on every expression anywhere in a statement. */
export function forEachExpr(s: Statement, fn: (e: Expr) => void): void {
  const roots: Expr[] = [];
  switch (s.type) {
    case 'query':
      roots.push(...queryExprs(s));
      break;
    case 'createAsSelect':
    case 'insertInto':
      roots.push(...queryExprs(s.query));
      break;
    case 'insertValues':
    case 'assertValues':
      roots.push(...s.values);
      break;
    case 'explain':
      if (s.statement) forEachExpr(s.statement, fn);
      break;
    default:
      break;
  }
  for (const r of roots) walkExpr(r, fn);
}

export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}
