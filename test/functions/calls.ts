/**
 * Helpers for function tests: resolve a call the way the planner does (argument types, NULL
 * literals) and invoke it with values, as the runtime does.
 */
import { createBuiltinRegistry, type ArgShape, type ResolvedCall } from '../../src/functions/index.js';
import { applyBindings, parsePattern } from '../../src/functions/patterns.js';
import type { SqlType } from '../../src/schema/index.js';

export const registry = createBuiltinRegistry();

/** A SQL type from its text: 'INTEGER', 'DECIMAL(4, 2)', 'ARRAY<STRING>', 'STRUCT<A INT>'. */
export function t(text: string): SqlType {
  const type = applyBindings(parsePattern(text), new Map());
  if (type === undefined) throw new Error(`Not a concrete type: ${text}`);
  return type;
}

/** Argument shapes from type texts; null stands for the NULL literal. */
export function shapes(...types: (string | null)[]): ArgShape[] {
  return types.map((x) => ({ kind: 'value', type: x === null ? null : t(x) }));
}

export function resolve(name: string, ...types: (string | null)[]): ResolvedCall {
  return registry.resolveScalar(name, shapes(...types));
}

/** Resolves name(types) once and returns an invoker taking the argument values. */
export function fn(name: string, ...types: (string | null)[]): (...values: unknown[]) => unknown {
  const call = resolve(name, ...types);
  return (...values) => call.invoke(values);
}

export function bytes(base64: string): Uint8Array {
  return Uint8Array.from(Buffer.from(base64, 'base64'));
}

export function base64(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(base64);
  return value;
}
