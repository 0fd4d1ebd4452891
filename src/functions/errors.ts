/**
 * Errors of the function layer, split the way ksqlDB splits them:
 *  - FunctionError: a call cannot be planned (unknown function, no matching signature, ambiguous
 *    call, a lambda whose body has the wrong type). The statement fails.
 *  - FunctionValueError: one evaluation failed inside a function. It is a SqlValueError, so the
 *    runtime treats it like any other value error: the expression yields null and a processing
 *    log entry is written.
 */
import { SqlValueError } from '../schema/index.js';

export class FunctionError extends Error {
  override readonly name: string = 'FunctionError';
}

export class FunctionValueError extends SqlValueError {
  override readonly name: string = 'FunctionValueError';
  /** The function that failed, as declared (e.g. 'substring'). */
  readonly functionName: string;

  constructor(functionName: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Failed to invoke function ${functionName.toUpperCase()}: ${detail}`, { cause });
    this.functionName = functionName;
  }
}

/** ksqlDB's message for a name no registry knows. */
export function unknownFunction(name: string): FunctionError {
  return new FunctionError(`Can't find any functions with the name '${name}'`);
}
