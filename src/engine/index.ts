/** The engine's public surface: what the CLI and other front ends use. */
export { Engine, type EngineOptions, type ExecutedStatement, type ScriptOptions } from './engine.js';
export { StatementError, KsqlError, ParseError, messageOf } from './errors.js';
export { SessionProperties, PROPERTY_DEFS } from './properties.js';
export type * from './results.js';
export { splitStatements, endsWithCompleteStatement, caretExcerpt, KEYWORDS, NON_RESERVED, isReserved, lexerRules } from '../parser/index.js';
export * from './qtt/index.js';
export {
  openEmbeddedBackend,
  openKafkaBackend,
  parseProperties,
  maskSecrets,
  BackendError,
  type Backend,
  type EmbeddedOptions,
  type KafkaBackendOptions,
} from './backend.js';
export { produceLines, produceBytes, type ProduceOptions, type ProduceReport, type ProduceKeyFormat, type ProduceValueFormat } from './produce.js';
