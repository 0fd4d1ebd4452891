/**
 * Errors raised by the schema layer.
 *
 * Two kinds, because ksqlDB treats them differently:
 *  - SqlTypeError: a statement is invalid (unsupported cast, bad arithmetic types,
 *    duplicate column). Raised while planning; the statement fails.
 *  - SqlValueError: one value could not be converted or computed (overflow, parse
 *    failure, division by zero). Raised while evaluating; ksqlDB logs a processing
 *    error and the enclosing top-level expression evaluates to null.
 */
export class SqlTypeError extends Error {
  override readonly name: string = 'SqlTypeError';
}

export class SqlValueError extends Error {
  override readonly name: string = 'SqlValueError';
}
