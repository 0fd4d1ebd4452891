/** ksqlDB's query-validation test format, run on the engine: `ksqlite test`. */
export { findTestFiles, loadTestFile, type QttCase } from './cases.js';
export { runCase, memoryCaseBackend, type CaseBackend, type CaseResult, type Stage } from './runner.js';
export { kafkaCaseBackends, type KafkaCases } from './kafka.js';
