/** The runtime's public surface: compiled expressions, pipelines and running queries. */
export { compileExpr, compilePredicate, EvaluationError, type RowFn } from './compile.js';
export { buildPipeline, type OutputRecord, type Pipeline } from './pipeline.js';
export { PersistentQuery, TransientQuery, QueryFailedError, sourceSerdes, sinkSerde, sinkSerdes, type QueryMetrics, type QueryState, type RuntimeDeps } from './query.js';
export { ProcessingLog, type ProcessingLogEntry, type ProcessingLogger } from './processing-log.js';
export { sqlCompare, sqlEquals } from './values.js';
export { windowedKey, splitWindowedKey } from './windowed.js';
export { runPullQuery } from './pull.js';
