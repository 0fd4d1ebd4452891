/**
 * The SELECT list and name resolution shared by every kind of query: columns
 * resolved over a flat row, `*` and `struct->*` expanded, names given as ksqlDB
 * gives them (the column or field read, else KSQL_COL_n).
 */
import type { Expr, SelectItem } from '../parser/index.js';
import { formatType } from '../schema/index.js';
import { KsqlError } from './errors.js';
import { typeExpr, type ResolvedColumn, type Scope, type TypingContext } from './expressions.js';
import type { DataSource } from './metastore.js';
import type { LayoutColumn, RowLayout } from './plan.js';
import { exprText, nameText } from './text.js';
import type { TypedExpr } from './typed.js';

/** Name resolution over a flat row: unqualified, or qualified by the source's name or alias. */
export function layoutScope(layout: RowLayout, qualifiers: ReadonlySet<string>): Scope {
  return {
    resolveColumn(qualifier: string | undefined, name: string): ResolvedColumn | undefined {
      if (qualifier !== undefined && !qualifiers.has(qualifier)) {
        throw new KsqlError(`'${qualifier}' is not a valid stream/table name or alias.`);
      }
      const index = layout.columns.findIndex((c) => c.name === name && c.origin !== 'DERIVED');
      if (index < 0) return undefined;
      const c = layout.columns[index] as LayoutColumn;
      return { index, type: c.type, name: c.name };
    },
  };
}


/** An expression that makes (part of) the output key, with the name and text ksqlDB gives it. */
export interface KeyExpr {
  expr: TypedExpr;
  source?: Expr;
  text: string;
  name: string;
  /** The key column's name in ksqlDB's intermediate schema, where it differs (joins: ALIAS_COL). */
  columnName?: string;
}

export interface SelectColumn {
  name: string;
  expr: TypedExpr;
  /** How the user wrote it, for matching against key expressions. */
  source?: Expr;
  /** True when the name was given with AS. */
  aliased: boolean;
  /** AS_VALUE(x): a copy into the value, never the key. */
  asValue: boolean;
  /** Came from `*`. */
  fromStar: boolean;
}

export function expandSelect(
  select: readonly SelectItem[],
  ctx: TypingContext,
  layout: RowLayout,
  alias: string,
  source: DataSource,
  /** The KSQL_COL_n counter, shared when a SELECT list is expanded item by item. */
  naming: { generated: number } = { generated: 0 },
  /** For joins: the aliases of the joined sources. Columns are then named ALIAS_COL where the name alone would be ambiguous. */
  join?: JoinNaming,
): SelectColumn[] {
  const out: SelectColumn[] = [];
  const isData = (c: LayoutColumn) => c.origin === 'KEY' || c.origin === 'VALUE' || c.origin === 'HEADERS' || c.origin === 'HEADER';
  // How many joined sources have a column of each name (pseudo-columns too): such names get their alias as a prefix.
  const owners = new Map<string, Set<string>>();
  if (join) for (const c of layout.columns) if (c.origin !== 'DERIVED' && c.qualifier) owners.set(c.name, (owners.get(c.name) ?? new Set()).add(c.qualifier));
  for (const item of select) {
    switch (item.type) {
      case 'allColumns': {
        if (join) {
          const wanted = item.source === undefined ? undefined : join.aliases.get(item.source);
          if (item.source !== undefined && wanted === undefined) throw new KsqlError(`'${item.source}' is not a valid stream/table name or alias.`);
          // A synthetic join key comes first, and only with an unqualified star.
          const synthetic = wanted === undefined && join.syntheticKey !== undefined ? layout.columns[join.syntheticKey] : undefined;
          if (synthetic) {
            out.push({
              name: synthetic.name,
              expr: { kind: 'column', type: synthetic.type, index: join.syntheticKey as number, text: synthetic.name },
              aliased: false,
              asValue: false,
              fromStar: true,
            });
          }
          for (const index of joinStarColumns(layout, wanted, join.partitioned === true)) {
            const c = layout.columns[index] as LayoutColumn;
            const name = `${c.qualifier}_${c.name}`;
            out.push({ name, expr: { kind: 'column', type: c.type, index, text: `${c.qualifier}.${c.name}` }, aliased: false, asValue: false, fromStar: true });
          }
          break;
        }
        if (item.source !== undefined && item.source !== alias && item.source !== source.name) {
          throw new KsqlError(`'${item.source}' is not a valid stream/table name or alias.`);
        }
        layout.columns.forEach((c, index) => {
          if (isData(c)) {
            out.push({ name: c.name, expr: { kind: 'column', type: c.type, index, text: c.name }, aliased: false, asValue: false, fromStar: true });
          }
        });
        break;
      }
      case 'structAll': {
        const base = typeExpr(item.base, ctx);
        if (base.type === null || base.type.kind !== 'STRUCT') {
          throw new KsqlError(`Expected STRUCT type for ${base.text}->*, got ${base.type === null ? 'null' : formatType(base.type)}`);
        }
        for (const f of base.type.fields) {
          out.push({
            name: f.name,
            expr: { kind: 'deref', type: f.type, base, field: f.name, text: `${base.text}->${nameText(f.name)}` },
            aliased: false,
            asValue: false,
            fromStar: false,
          });
        }
        break;
      }
      case 'selectExpr': {
        // AS_VALUE(x) copies x into the value, unless the whole call is itself a GROUP BY expression.
        const asValue = item.expr.type === 'call' && item.expr.name === 'AS_VALUE' && !ctx.substitute?.(item.expr, exprText(item.expr));
        const inner = asValue && item.expr.type === 'call' ? item.expr.args[0] : item.expr;
        if (asValue && (item.expr.type !== 'call' || item.expr.args.length !== 1)) {
          throw new KsqlError(`Function 'as_value' accepts exactly one argument: ${exprText(item.expr)}`);
        }
        const expr = typeExpr(inner as Expr, ctx);
        if (expr.type === null) {
          throw new KsqlError(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`);
        }
        let name = item.alias;
        if (name === undefined) {
          const derived = derivedName(item.expr);
          const col = expr.kind === 'column' ? layout.columns[expr.index] : undefined;
          if (join && item.expr.type === 'column' && col?.qualifier && (owners.get(col.name)?.size ?? 0) > 1) name = `${col.qualifier}_${col.name}`;
          else if (derived !== undefined && item.expr.type === 'deref') {
            // A field's name, unless a source column or an earlier item has it: then NAME_1, NAME_2, ...
            const taken = (n: string) => layout.columns.some((c) => c.name === n) || out.some((o) => o.name === n);
            name = derived;
            for (let i = 1; taken(name); i++) name = `${derived}_${i}`;
          } else if (derived !== undefined) name = derived;
          else {
            // Generated names skip any the source already uses.
            do name = `KSQL_COL_${naming.generated++}`;
            while (layout.columns.some((c) => c.name === name));
          }
        }
        out.push({ name, expr, source: inner as Expr, aliased: item.alias !== undefined, asValue, fromStar: false });
        break;
      }
      default: {
        const unreachable: never = item;
        throw new KsqlError(`Unknown select item ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return out;
}

/** How the SELECT list of a join names and expands columns. */
export interface JoinNaming {
  /** Alias or source name -> alias. */
  readonly aliases: ReadonlyMap<string, string>;
  /** The position of the join's synthetic key column, which an unqualified `*` selects first. */
  readonly syntheticKey?: number;
  /**
   * PARTITION BY repartitions the joined rows, whose values are each source's value
   * columns, pseudo-columns and key columns: `*` then selects them in that order.
   */
  readonly partitioned?: boolean;
}

/**
 * The columns `*` selects from a join, source by source (or from one source, `wanted`):
 * key columns, window bounds of a windowed source, value and header columns; with
 * PARTITION BY, value and header columns, ROWTIME, ROWPARTITION, ROWOFFSET, key columns.
 */
function joinStarColumns(layout: RowLayout, wanted: string | undefined, partitioned: boolean): number[] {
  const order: Record<string, number> = partitioned
    ? { VALUE: 0, HEADERS: 0, HEADER: 0, ROWTIME: 1, ROWPARTITION: 2, ROWOFFSET: 3, KEY: 4 }
    : { KEY: 0, WINDOWSTART: 1, WINDOWEND: 2, VALUE: 3, HEADERS: 3, HEADER: 3 };
  const aliases: string[] = [];
  for (const c of layout.columns) if (c.qualifier !== undefined && !aliases.includes(c.qualifier)) aliases.push(c.qualifier);
  const out: number[] = [];
  for (const alias of aliases) {
    if (wanted !== undefined && alias !== wanted) continue;
    const mine = layout.columns.flatMap((c, i) => (c.qualifier === alias && order[c.origin] !== undefined ? [i] : []));
    mine.sort((x, y) => (order[(layout.columns[x] as LayoutColumn).origin] as number) - (order[(layout.columns[y] as LayoutColumn).origin] as number) || x - y);
    out.push(...mine);
  }
  return out;
}

/** ksqlDB names a selected column after the column or struct field it reads; otherwise it generates one. */
export function derivedName(e: Expr): string | undefined {
  if (e.type === 'column') return e.name;
  if (e.type === 'deref') return e.field;
  return undefined;
}

/** Structural equality of typed expressions (positions, not spelling). */
export function sameExpr(a: TypedExpr, b: TypedExpr): boolean {
  if (a.kind === 'column' && b.kind === 'column') return a.index === b.index;
  if (a.kind !== b.kind) return false;
  return canonical(a) === canonical(b);
}

function canonical(e: TypedExpr): string {
  return JSON.stringify(e, (k, v: unknown) => {
    if (k === 'text' || k === 'fn') return undefined;
    if (typeof v === 'bigint') return `${v}n`;
    return v;
  });
}

/** How ksqlDB names a partitioning expression in messages: columns qualified by their source. */
export function qualifiedText(e: Expr, alias: string): string {
  if (e.type === 'column' && e.source === undefined) return `${alias}.${nameText(e.name)}`;
  return exprText(e);
}

