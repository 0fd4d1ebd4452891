/**
 * The AST of the ksqlDB dialect: tagged unions on `type`.
 *
 * Names: unquoted identifiers are upper-cased by the parser (as ksqlDB does);
 * quoted ones (`x` or "x") keep their case. `loc` (1-based line and column in the
 * statement text) is carried for error messages and ignored by AST equality.
 */

export interface Loc {
  readonly line: number;
  readonly col: number;
}

// ---------------------------------------------------------------- types

export type PrimitiveTypeName =
  | 'BOOLEAN'
  | 'INTEGER'
  | 'BIGINT'
  | 'DOUBLE'
  | 'STRING'
  | 'BYTES'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP';

export type TypeNode =
  | { readonly type: 'primitiveType'; readonly name: PrimitiveTypeName }
  | { readonly type: 'decimalType'; readonly precision: number; readonly scale: number }
  | { readonly type: 'arrayType'; readonly item: TypeNode }
  | { readonly type: 'mapType'; readonly key: TypeNode; readonly value: TypeNode }
  | { readonly type: 'structType'; readonly fields: readonly { readonly name: string; readonly fieldType: TypeNode }[] }
  | { readonly type: 'customType'; readonly name: string };

// ---------------------------------------------------------------- expressions

export type NumberKind = 'INTEGER' | 'BIGINT' | 'DECIMAL' | 'DOUBLE';

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '||'
  | '=' | '<>' | '<' | '<=' | '>' | '>='
  | 'AND' | 'OR'
  | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM';

export type Expr =
  | { readonly type: 'null'; loc?: Loc }
  | { readonly type: 'boolean'; readonly value: boolean; loc?: Loc }
  /** Numeric literal: text as written (sign folded in), kind from ksqlDB's literal rules. */
  | { readonly type: 'number'; readonly kind: NumberKind; readonly text: string; loc?: Loc }
  | { readonly type: 'string'; readonly value: string; loc?: Loc }
  /** A column, optionally qualified by a source name or alias: `S.COL`. */
  | { readonly type: 'column'; readonly source?: string; readonly name: string; loc?: Loc }
  /** Struct field access `base->FIELD`. */
  | { readonly type: 'deref'; readonly base: Expr; readonly field: string; loc?: Loc }
  /** Array or map subscript `base[index]`. */
  | { readonly type: 'subscript'; readonly base: Expr; readonly index: Expr; loc?: Loc }
  /** A function call; `star` for COUNT(*); `distinct` for COUNT(DISTINCT x). */
  | {
      readonly type: 'call';
      readonly name: string;
      readonly args: readonly Expr[];
      readonly star?: boolean;
      readonly distinct?: boolean;
      loc?: Loc;
    }
  | { readonly type: 'lambda'; readonly params: readonly string[]; readonly body: Expr; loc?: Loc }
  | { readonly type: 'unary'; readonly op: '-' | '+' | 'NOT'; readonly operand: Expr; loc?: Loc }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; loc?: Loc }
  | { readonly type: 'isNull'; readonly operand: Expr; readonly not: boolean; loc?: Loc }
  | {
      readonly type: 'between';
      readonly operand: Expr;
      readonly low: Expr;
      readonly high: Expr;
      readonly not: boolean;
      loc?: Loc;
    }
  | { readonly type: 'in'; readonly operand: Expr; readonly list: readonly Expr[]; readonly not: boolean; loc?: Loc }
  | {
      readonly type: 'like';
      readonly operand: Expr;
      readonly pattern: Expr;
      readonly escape?: string;
      readonly not: boolean;
      loc?: Loc;
    }
  | {
      readonly type: 'case';
      /** Present for the simple form `CASE x WHEN v THEN ...`. */
      readonly operand?: Expr;
      readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
      readonly else?: Expr;
      loc?: Loc;
    }
  | { readonly type: 'cast'; readonly operand: Expr; readonly target: TypeNode; loc?: Loc }
  | { readonly type: 'arrayCtor'; readonly items: readonly Expr[]; loc?: Loc }
  | { readonly type: 'mapCtor'; readonly entries: readonly { readonly key: Expr; readonly value: Expr }[]; loc?: Loc }
  | { readonly type: 'structCtor'; readonly fields: readonly { readonly name: string; readonly value: Expr }[]; loc?: Loc };

// ---------------------------------------------------------------- query

export type SelectItem =
  | { readonly type: 'allColumns'; readonly source?: string; loc?: Loc }
  /** `STRUCTCOL->*`: every field of a struct as its own column. */
  | { readonly type: 'structAll'; readonly base: Expr; loc?: Loc }
  | { readonly type: 'selectExpr'; readonly expr: Expr; readonly alias?: string; loc?: Loc };

export interface Duration {
  readonly value: number;
  /** Canonical plural unit: MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS (also WEEKS, MONTHS, YEARS, ...). */
  readonly unit: string;
}

export type WindowSpec =
  | {
      readonly type: 'TUMBLING';
      readonly size: Duration;
      readonly retention?: Duration;
      readonly grace?: Duration;
      loc?: Loc;
    }
  | {
      readonly type: 'HOPPING';
      readonly size: Duration;
      readonly advance: Duration;
      readonly retention?: Duration;
      readonly grace?: Duration;
      loc?: Loc;
    }
  | {
      readonly type: 'SESSION';
      readonly gap: Duration;
      readonly retention?: Duration;
      readonly grace?: Duration;
      loc?: Loc;
    };

export interface SourceRef {
  readonly type: 'sourceRef';
  readonly name: string;
  readonly alias?: string;
  loc?: Loc;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface WithinSpec {
  readonly before: Duration;
  readonly after: Duration;
  /** True when written `WITHIN (before, after)`. */
  readonly asymmetric: boolean;
  readonly grace?: Duration;
}

export interface JoinRelation {
  readonly type: 'join';
  readonly joinType: JoinType;
  readonly left: Relation;
  readonly right: SourceRef;
  readonly within?: WithinSpec;
  readonly on: Expr;
  loc?: Loc;
}

export type Relation = SourceRef | JoinRelation;

export interface Query {
  readonly type: 'query';
  readonly select: readonly SelectItem[];
  readonly from: Relation;
  readonly window?: WindowSpec;
  readonly where?: Expr;
  readonly groupBy?: readonly Expr[];
  readonly having?: Expr;
  readonly partitionBy?: readonly Expr[];
  readonly emit?: 'CHANGES' | 'FINAL';
  readonly limit?: number;
  loc?: Loc;
}

// ---------------------------------------------------------------- statements

export type LiteralValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly kind: NumberKind; readonly text: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' };

export interface Property {
  readonly name: string;
  readonly value: LiteralValue;
  loc?: Loc;
}

export type ColumnConstraint = 'KEY' | 'PRIMARY KEY' | 'HEADERS' | 'HEADER';

export interface TableElement {
  readonly name: string;
  readonly elementType: TypeNode;
  readonly constraint?: ColumnConstraint;
  /** For `HEADER('k')`: the header key. */
  readonly headerKey?: string;
  loc?: Loc;
}

export type SourceKind = 'STREAM' | 'TABLE';

export interface CreateSource {
  readonly type: 'createSource';
  readonly kind: SourceKind;
  readonly orReplace: boolean;
  readonly isSource: boolean;
  readonly ifNotExists: boolean;
  readonly name: string;
  readonly elements?: readonly TableElement[];
  readonly properties: readonly Property[];
  loc?: Loc;
}

export interface CreateAsSelect {
  readonly type: 'createAsSelect';
  readonly kind: SourceKind;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly name: string;
  readonly properties: readonly Property[];
  readonly query: Query;
  loc?: Loc;
}

export interface InsertInto {
  readonly type: 'insertInto';
  readonly target: string;
  readonly properties: readonly Property[];
  readonly query: Query;
  loc?: Loc;
}

export interface InsertValues {
  readonly type: 'insertValues';
  readonly target: string;
  readonly columns?: readonly string[];
  readonly values: readonly Expr[];
  loc?: Loc;
}

export type ShowWhat =
  | 'STREAMS'
  | 'TABLES'
  | 'QUERIES'
  | 'TOPICS'
  | 'PROPERTIES'
  | 'FUNCTIONS'
  | 'TYPES'
  | 'VARIABLES'
  | 'CONNECTORS'
  | 'PLUGINS';

export interface Show {
  readonly type: 'show';
  readonly what: ShowWhat;
  readonly extended: boolean;
  /** SHOW ALL TOPICS: include internal topics. */
  readonly all: boolean;
  /** SHOW SOURCE|SINK CONNECTORS. */
  readonly connectorType?: 'SOURCE' | 'SINK';
  loc?: Loc;
}

export type Statement =
  | CreateSource
  | CreateAsSelect
  | InsertInto
  | InsertValues
  | (Query & { loc?: Loc })
  | Show
  | { readonly type: 'describeSource'; readonly name: string; readonly extended: boolean; loc?: Loc }
  | { readonly type: 'describeSources'; readonly kind: 'STREAMS' | 'TABLES'; readonly extended: boolean; loc?: Loc }
  | { readonly type: 'describeFunction'; readonly name: string; loc?: Loc }
  | { readonly type: 'describeConnector'; readonly name: string; loc?: Loc }
  | { readonly type: 'explain'; readonly statement?: Statement; readonly queryId?: string; loc?: Loc }
  | {
      readonly type: 'print';
      readonly topic: string;
      readonly fromBeginning: boolean;
      readonly interval?: number;
      readonly limit?: number;
      loc?: Loc;
    }
  | { readonly type: 'terminate'; readonly queryId?: string; readonly all: boolean; loc?: Loc }
  | { readonly type: 'pauseQuery'; readonly queryId?: string; readonly all: boolean; loc?: Loc }
  | { readonly type: 'resumeQuery'; readonly queryId?: string; readonly all: boolean; loc?: Loc }
  | {
      readonly type: 'dropSource';
      readonly kind: SourceKind;
      readonly ifExists: boolean;
      readonly name: string;
      readonly deleteTopic: boolean;
      loc?: Loc;
    }
  | {
      readonly type: 'alterSource';
      readonly kind: SourceKind;
      readonly name: string;
      readonly columns: readonly { readonly name: string; readonly columnType: TypeNode }[];
      loc?: Loc;
    }
  | { readonly type: 'createType'; readonly name: string; readonly definition: TypeNode; readonly ifNotExists: boolean; loc?: Loc }
  | { readonly type: 'dropType'; readonly name: string; readonly ifExists: boolean; loc?: Loc }
  | { readonly type: 'setProperty'; readonly name: string; readonly value: string; loc?: Loc }
  | { readonly type: 'unsetProperty'; readonly name: string; loc?: Loc }
  | { readonly type: 'defineVariable'; readonly name: string; readonly value: string; loc?: Loc }
  | { readonly type: 'undefineVariable'; readonly name: string; loc?: Loc }
  | { readonly type: 'runScript'; readonly path: string; loc?: Loc }
  | {
      readonly type: 'assertTopic';
      readonly not: boolean;
      readonly topic: string;
      readonly properties: readonly Property[];
      readonly timeout?: Duration;
      loc?: Loc;
    }
  | {
      readonly type: 'assertSchema';
      readonly not: boolean;
      readonly subject?: string;
      readonly id?: number;
      readonly timeout?: Duration;
      loc?: Loc;
    }
  | {
      readonly type: 'assertSource';
      readonly kind: SourceKind;
      readonly name: string;
      readonly elements?: readonly TableElement[];
      readonly properties: readonly Property[];
      loc?: Loc;
    }
  | {
      readonly type: 'assertValues';
      /** ASSERT NULL VALUES: the key must have been deleted. */
      readonly isNull: boolean;
      readonly target: string;
      readonly columns?: readonly string[];
      readonly values: readonly Expr[];
      loc?: Loc;
    }
  | {
      readonly type: 'createConnector';
      readonly connectorType: 'SOURCE' | 'SINK';
      readonly ifNotExists: boolean;
      readonly name: string;
      readonly properties: readonly Property[];
      loc?: Loc;
    }
  | { readonly type: 'dropConnector'; readonly ifExists: boolean; readonly name: string; loc?: Loc };

export type StatementType = Statement['type'];
