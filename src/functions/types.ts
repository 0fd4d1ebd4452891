/**
 * How functions are declared and resolved. Each family file (strings.ts,
 * math.ts, datetime.ts, ...) exports an array of FunctionDefinition; the
 * registry (registry.ts) indexes them and resolves calls at plan time, so a
 * query never looks a function up per record.
 *
 * Type patterns are strings in the SQL type syntax, plus:
 *   - generics: a single capital letter, optionally with a digit (T, U, K, V, T1)
 *     binds to any type, consistently within one call;
 *   - `DECIMAL` alone matches any DECIMAL(p, s); `STRUCT` alone matches any struct;
 *   - `LAMBDA(T, U) => V` is a lambda argument taking T and U and returning V;
 *   - `ANY` accepts a value of any type and binds nothing (ksqlDB's Object parameters);
 *   - `INTERVALUNIT` is a time-unit keyword argument (DAYS, HOURS, ...), as in DATEADD(DAYS, 1, d);
 *     the implementation receives the unit's name, upper-case.
 * Values follow the runtime representation of src/schema/types.ts (BIGINT as
 * bigint, DECIMAL as Decimal, DATE as days, TIME as ms of day, TIMESTAMP as epoch
 * ms, MAP as Map, STRUCT as a plain object, NULL as null).
 */
import type { SqlType } from '../schema/index.js';

export type FunctionKind = 'SCALAR' | 'AGGREGATE' | 'TABLE';

/** Settings a function may read when it is bound (ksql.functions.* and friends). */
export interface FunctionConfig {
  readonly property: (name: string) => string | undefined;
}

export interface ScalarVariant {
  /** Parameter type patterns, in order. */
  readonly params: readonly string[];
  /** Parameter names, for DESCRIBE FUNCTION and resolution errors (left out when absent). */
  readonly paramNames?: readonly string[];
  /**
   * true: the last parameter repeats zero or more times; a number: the parameter at that index
   * repeats (ksqlDB allows one variadic parameter anywhere). The implementation gets the repeated
   * arguments as one array, in the variadic parameter's position. The variadic parameter's pattern
   * is the element type (`'STRING'` for STRING...).
   */
  readonly variadic?: boolean | number;
  /**
   * A type pattern (generics bound from the arguments), or computed from the types the arguments
   * are passed as (a lambda's entry is its body's type). A bare NULL literal whose type nothing
   * determines is presented as STRING, or in a DECIMAL slot as the widest other DECIMAL argument.
   */
  readonly returns: string | ((argTypes: readonly SqlType[]) => SqlType);
  readonly description?: string;
  /**
   * 'propagate' (the default): a null argument makes the result null without calling impl.
   * 'pass': impl receives nulls and decides (COALESCE, CONCAT, IFNULL, ...).
   */
  readonly nulls?: 'propagate' | 'pass';
  /**
   * The implementation, called with coerced argument values (lambdas as JS functions).
   * Throwing makes the call evaluate to null and logs a processing error, as in ksqlDB.
   */
  readonly impl?: (...args: any[]) => unknown;
  /**
   * For implementations that depend on configuration or on the argument types: builds impl once
   * per call site. argTypes are what `returns` receives.
   */
  readonly bind?: (argTypes: readonly SqlType[], config: FunctionConfig) => (...args: any[]) => unknown;
}

export interface ScalarFunctionDefinition {
  readonly kind: 'SCALAR';
  /**
   * The name as ksqlDB declares it ('greatest', 'COALESCE', 'Round'): calls match it ignoring
   * case, resolution errors quote it as is, listings show it upper-case.
   */
  readonly name: string;
  /** SHOW FUNCTIONS category: STRING, MATHEMATICAL, DATE / TIME, ARRAY, MAP, STRUCT, JSON, CONDITIONAL, URL, LAMBDA, OTHER... */
  readonly category: string;
  readonly description: string;
  readonly variants: readonly ScalarVariant[];
  /** Whether arguments may be implicitly cast to parameter types (default true; ksqlDB's UDAFs say false). */
  readonly implicitCasts?: boolean;
}

export interface TableFunctionDefinition {
  readonly kind: 'TABLE';
  readonly name: string;
  readonly category: string;
  readonly description: string;
  /** Like a scalar variant, but impl returns the rows to emit (an array of values) or null for none. */
  readonly variants: readonly ScalarVariant[];
  readonly implicitCasts?: boolean;
}

/** Aggregates are declared by the aggregation issue; the registry already indexes their names. */
export interface AggregateFunctionDefinition {
  readonly kind: 'AGGREGATE';
  readonly name: string;
  readonly category: string;
  readonly description: string;
  readonly variants: readonly AggregateVariant[];
  /** Default false: ksqlDB resolves UDAFs without implicit casts. */
  readonly implicitCasts?: boolean;
}

export interface AggregateVariant {
  readonly params: readonly string[];
  readonly paramNames?: readonly string[];
  readonly variadic?: boolean | number;
  /** Arguments after the first that must be literals (e.g. TOPK's k), fixed at plan time. */
  readonly literalParams?: number;
  readonly returns: string | ((argTypes: readonly SqlType[]) => SqlType);
  readonly description?: string;
  /** Builds the aggregator for one call site. */
  readonly create: (argTypes: readonly SqlType[], literals: readonly unknown[], config: FunctionConfig) => Aggregator;
}

/** One aggregate's state machine; the accumulator is opaque to the runtime but must be serializable to a changelog. */
export interface Aggregator<A = unknown> {
  /** The accumulator type, stored in the changelog. */
  readonly intermediateType?: SqlType;
  initial(): A;
  /** Adds one row's argument values. */
  add(acc: A, args: readonly unknown[]): A;
  /** Removes a row's values (table aggregation retracts the old row); absent when not undoable. */
  undo?(acc: A, args: readonly unknown[]): A;
  /** Merges two accumulators (session windows). */
  merge?(a: A, b: A): A;
  /** The output value. */
  result(acc: A): unknown;
}

export type FunctionDefinition = ScalarFunctionDefinition | TableFunctionDefinition | AggregateFunctionDefinition;

/** What a call looks like to the resolver: argument types, or lambdas it can ask to type. */
export type ArgShape =
  | { readonly kind: 'value'; /** null: the NULL literal, whose type is unknown. */ readonly type: SqlType | null }
  | {
      readonly kind: 'lambda';
      readonly arity: number;
      /** Types the lambda's body for the given parameter types (the planner does this). */
      readonly typeBody: (paramTypes: readonly SqlType[]) => SqlType;
    }
  /** A time-unit keyword (DAYS, HOURS, ...), for INTERVALUNIT parameters; passed to impl as `unit`. */
  | { readonly kind: 'intervalUnit'; readonly unit: string };

/** A call resolved at plan time. */
export interface ResolvedCall {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly returnType: SqlType;
  /**
   * The type each argument must be coerced to before the call, one entry per argument. Undefined
   * for lambdas, interval units and bare NULL literals whose type nothing determines (pass null).
   */
  readonly paramTypes: readonly (SqlType | undefined)[];
  /** For lambda arguments: the types of their parameters. Undefined entries for plain values. */
  readonly lambdaParamTypes: readonly (readonly SqlType[] | undefined)[];
  /**
   * Calls the function with one coerced value per argument (lambdas as JS functions, interval
   * units as their names); invoke itself packs a variadic run into the array impl expects.
   * Failures inside the function throw FunctionValueError (a SqlValueError).
   */
  readonly invoke: (args: readonly unknown[]) => unknown;
}

/** An aggregate call resolved at plan time. */
export interface ResolvedAggregate {
  readonly name: string;
  readonly kind: 'AGGREGATE';
  readonly returnType: SqlType;
  /** As for ResolvedCall. */
  readonly paramTypes: readonly (SqlType | undefined)[];
  /** How many arguments after the first are literals fixed at plan time (the variant's literalParams). */
  readonly literalParams: number;
  /** Builds the aggregator, given the values of the literal arguments. */
  readonly create: (literals: readonly unknown[]) => Aggregator;
}

export interface FunctionSignatureInfo {
  readonly signature: string;
  readonly returns: string;
  readonly description: string;
}

export interface FunctionInfo {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly category: string;
  readonly description: string;
  readonly variants: readonly FunctionSignatureInfo[];
}
