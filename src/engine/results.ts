/**
 * What executing a statement returns: one typed result per statement, the data
 * the CLI renders (as ksqlDB's tables, or JSON). Nothing here is formatted text
 * except where ksqlDB itself answers with a message.
 */

/** A column as DESCRIBE shows it. */
export interface FieldInfo {
  readonly name: string;
  /** The type as ksqlDB prints it, e.g. `VARCHAR(STRING)`, `ARRAY<INTEGER>`. */
  readonly type: string;
  /** `KEY` / `PRIMARY KEY` for key columns, `HEADERS` / `HEADER('k')` for header columns. */
  readonly role?: 'KEY' | 'PRIMARY KEY' | 'HEADERS' | 'HEADER';
  readonly headerKey?: string;
}

export interface SourceSummary {
  readonly name: string;
  readonly kind: 'STREAM' | 'TABLE';
  readonly topic: string;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly windowed: boolean;
  readonly isSource: boolean;
}

/** Runtime statistics of one source, as DESCRIBE EXTENDED's "Local runtime statistics". */
export interface SourceStatistics {
  readonly messagesPerSec: number;
  readonly totalMessages: number;
  readonly lastMessage?: number;
  readonly failedMessages: number;
  readonly failedMessagesPerSec: number;
  readonly lastFailed?: number;
}

export interface QuerySummary {
  readonly id: string;
  readonly queryType: 'PERSISTENT' | 'PUSH';
  /** RUNNING, PAUSED, ERROR... with ksqlDB's ":<count>" of hosts. */
  readonly state: string;
  readonly sinks: readonly string[];
  readonly sinkTopics: readonly string[];
  readonly sql: string;
}

/** EXPLAIN: a query in full. */
export interface QueryDescription {
  /** Empty for a statement that was only planned (EXPLAIN <statement>). */
  readonly id: string;
  readonly queryType: 'PERSISTENT' | 'PUSH';
  readonly sql: string;
  /** RUNNING, PAUSED, ERROR...; absent when the query does not run. */
  readonly state?: string;
  /** The query's output columns. */
  readonly fields: readonly FieldInfo[];
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
  /** The steps, sink first, one per line, indented by depth. */
  readonly executionPlan: string;
}

export interface SourceDescription extends SourceSummary {
  readonly fields: readonly FieldInfo[];
  readonly statement: string;
  readonly timestampColumn?: string;
  readonly windowType?: string;
  readonly partitions?: number;
  readonly replicas?: number;
  readonly readQueries: readonly QuerySummary[];
  readonly writeQueries: readonly QuerySummary[];
  readonly statistics?: SourceStatistics;
}

export interface PropertyInfo {
  readonly name: string;
  /** KSQL, STREAMS, CONSUMER, PRODUCER ... */
  readonly scope: string;
  /** SERVER or SESSION: where the effective value came from. */
  readonly level: 'SERVER' | 'SESSION';
  readonly defaultOverride?: string;
  readonly value: string;
}

export interface TopicInfo {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly consumers?: number;
  readonly consumerGroups?: number;
  /** EXTENDED: each consumer group reading the topic, with its members and lag over the topic's partitions. */
  readonly groups?: readonly TopicGroupInfo[];
}

export interface TopicGroupInfo {
  readonly groupId: string;
  readonly members: number;
  /** Per partition: committed offset (null: none yet), end offset, lag (null: nothing committed). */
  readonly partitions: readonly { readonly partition: number; readonly committed: number | null; readonly end: number; readonly lag: number | null }[];
  /** Sum of the partitions' lags (those with a committed offset). */
  readonly totalLag: number;
}

export interface FunctionSummary {
  readonly name: string;
  readonly category: string;
  readonly type: 'SCALAR' | 'AGGREGATE' | 'TABLE';
}

export interface FunctionDescription {
  readonly name: string;
  readonly type: 'SCALAR' | 'AGGREGATE' | 'TABLE';
  readonly description: string;
  readonly author: string;
  readonly version: string;
  readonly variants: readonly { readonly signature: string; readonly returns: string; readonly description: string }[];
}

export type StatementResult =
  /** A confirmation ksqlDB gives as a message: "Stream created", "Created query with ID ...". */
  | { readonly type: 'message'; readonly message: string; readonly queryId?: string; readonly warnings?: readonly string[] }
  /** PRINT: lines in ksqlDB's PRINT layout, as records arrive, until LIMIT or cancel(). */
  | { readonly type: 'print'; readonly topic: string; readonly lines: AsyncIterable<string>; readonly cancel: () => Promise<void> }
  /** A transient push query: rows arrive as the query runs, until LIMIT or cancel(). */
  | {
      readonly type: 'rows';
      readonly queryId: string;
      readonly columns: readonly { readonly name: string; readonly type: string }[];
      readonly rows: AsyncIterable<readonly unknown[]>;
      /** Stops the query; the row stream then ends. */
      readonly cancel: () => Promise<void>;
      /** True when the stream ended because LIMIT rows were delivered. */
      readonly limitReached: () => boolean;
      /** A row's values as the CLI prints them. */
      readonly display: (row: readonly unknown[]) => string[];
      /** A row's values in JSON-compatible form. */
      readonly json: (row: readonly unknown[]) => unknown[];
    }
  /** SET / UNSET / DEFINE: ksqlDB's CLI prints nothing or one line. */
  | { readonly type: 'propertyChanged'; readonly name: string; readonly oldValue?: string; readonly newValue?: string }
  | { readonly type: 'variableChanged'; readonly name: string; readonly value?: string }
  | { readonly type: 'sources'; readonly kind: 'STREAM' | 'TABLE'; readonly extended: boolean; readonly sources: readonly SourceSummary[] }
  | { readonly type: 'sourceDescription'; readonly extended: boolean; readonly description: SourceDescription }
  | { readonly type: 'sourceDescriptions'; readonly extended: boolean; readonly descriptions: readonly SourceDescription[] }
  | { readonly type: 'queries'; readonly extended: boolean; readonly queries: readonly QuerySummary[] }
  | { readonly type: 'queryDescription'; readonly description: QueryDescription }
  | { readonly type: 'properties'; readonly properties: readonly PropertyInfo[] }
  | { readonly type: 'topics'; readonly extended: boolean; readonly topics: readonly TopicInfo[] }
  | { readonly type: 'types'; readonly types: readonly { readonly name: string; readonly schema: string }[] }
  | { readonly type: 'variables'; readonly variables: readonly { readonly name: string; readonly value: string }[] }
  | { readonly type: 'functions'; readonly functions: readonly FunctionSummary[] }
  | { readonly type: 'functionDescription'; readonly description: FunctionDescription };

export type StatementResultType = StatementResult['type'];
