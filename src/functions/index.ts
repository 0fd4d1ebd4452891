/**
 * The function layer's public surface: the registry that resolves calls at plan time, the
 * built-in functions, and the contract user functions are written against.
 */
export * from './types.js';
export { FunctionRegistry } from './registry.js';
export { createBuiltinRegistry } from './builtins.js';
export { FunctionError, FunctionValueError } from './errors.js';
export { compileDateTimePattern, timestampPattern, DEFAULT_ZONE, zoneOf, type DateTimePattern, type Zone } from './datetime.js';
