/** What planning needs from the engine: the metastore, session properties, functions and topics. */
import type { FunctionConfig, FunctionRegistry } from '../functions/index.js';
import type { MetaStore } from './metastore.js';

export interface PlanContext {
  readonly metastore: MetaStore;
  /** A session property's effective value. */
  readonly property: (name: string) => string | undefined;
}

export interface QueryPlanContext extends PlanContext {
  readonly functions: FunctionRegistry;
  readonly config: FunctionConfig;
  /** Partition and replica counts of an existing topic, for sink defaults. */
  readonly topicInfo: (name: string) => { partitions: number; replicas: number } | undefined;
  /** The id the query will get, recorded on a created sink. */
  readonly queryId?: string;
}
