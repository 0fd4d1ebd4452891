/** What the REPL prints when it starts. */
import type { Palette } from './ansi.js';

export function banner(version: string, backend: string, p: Palette): string {
  return [
    `${p.bold(`ksqlite ${version}`)} ${p.dim('· ksqlDB-compatible streaming SQL')}`,
    `Running on ${backend}.`,
    p.dim(`Statements end with ;  Type ${p.bold('help')} for commands, Tab to complete, ${p.bold('exit')} or Ctrl-D to leave.`),
    '',
  ].join('\n') + '\n';
}

/** The banner's "Running on ..." for an embedded log in `dataDir`, or a Kafka cluster. */
export function backendLabel(backend: string, dataDir: string): string {
  if (backend === '' || backend === 'embedded' || backend === 'local') return `the embedded log at ${dataDir}`;
  return backend;
}
