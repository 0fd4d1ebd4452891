/**
 * Helpers for aggregate tests: resolve a call as the planner does, build its aggregator with the
 * literal arguments and feed it rows as the runtime does, collecting the result after each row
 * (what a QTT case sees on the output topic).
 */
import type { Aggregator, FunctionConfig, ResolvedAggregate } from '../../../src/functions/index.js';
import { registry, shapes } from '../calls.js';

export function resolveAgg(name: string, types: readonly (string | null)[], config?: Record<string, string>): ResolvedAggregate {
  const functionConfig: FunctionConfig = { property: (p) => config?.[p] };
  return registry.resolveAggregate(name, shapes(...types), functionConfig);
}

/** name(types...) with the trailing literal values; `types` includes the literals' types. */
export function agg(name: string, types: readonly (string | null)[], literals: readonly unknown[] = [], config?: Record<string, string>): Aggregator {
  return resolveAgg(name, types, config).create(literals);
}

/** Adds each row (its column arguments) in turn; the results after each. */
export function feed(a: Aggregator, rows: readonly (readonly unknown[])[], start: unknown = a.initial()): { results: unknown[]; acc: unknown } {
  let acc = start;
  const results: unknown[] = [];
  for (const row of rows) {
    acc = a.add(acc, row);
    results.push(a.result(acc));
  }
  return { results, acc };
}

/** Results per group key, in input order, for rows tagged with their key (QTT-style). */
export function feedByKey<K>(a: Aggregator, rows: readonly (readonly [K, ...unknown[]])[]): unknown[] {
  const accs = new Map<K, unknown>();
  return rows.map(([key, ...args]) => {
    const acc = a.add(accs.has(key) ? accs.get(key) : a.initial(), args);
    accs.set(key, acc);
    return a.result(acc);
  });
}

/** The accumulator after adding the rows. */
export function accOf(a: Aggregator, rows: readonly (readonly unknown[])[]): unknown {
  return feed(a, rows).acc;
}

/** A one-argument row per value. */
export const rows = (...values: unknown[]): unknown[][] => values.map((v) => [v]);
