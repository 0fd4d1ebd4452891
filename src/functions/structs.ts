/**
 * STRUCT functions. ksqlDB has no built-in scalar function over structs: STRUCT(...) and `->`
 * are syntax the planner handles, and the TOSTRUCT / TEST_UDF functions that struct-udfs.json
 * calls come from ksqlDB's test extension jar, not from its built-ins. The family stays here so
 * that one can be added without touching the registry.
 */
import type { FunctionDefinition } from './types.js';

export const FUNCTIONS: FunctionDefinition[] = [];
