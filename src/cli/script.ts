/**
 * The non-interactive front end: runs a script's statements one after another
 * and prints each result as ksqlDB's CLI would. The first failure prints
 * "Error in statement N (line L): ..." and ends the run with exit code 1.
 */
import { StatementError, messageOf, type Engine } from '../engine/index.js';
import { renderError, renderJson, renderTabular } from './render/index.js';
import { RowPrinter } from './render/rows.js';
import type { ScriptOptions, StatementResult } from '../engine/index.js';

export type OutputFormat = 'tabular' | 'json';

export interface ScriptIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly format: OutputFormat;
  readonly width?: number;
  readonly script?: ScriptOptions;
}

/** Runs the script; resolves to the process exit code (0 all ran, 1 a statement failed). */
export async function runStatements(engine: Engine, script: string, io: ScriptIO): Promise<number> {
  try {
    for await (const executed of engine.executeScript(script, io.script)) {
      if (executed.result.type === 'rows') {
        await printRows(executed.result, io);
        continue;
      }
      if (executed.result.type === 'print') {
        for await (const line of executed.result.lines) io.out(`${line}\n`);
        continue;
      }
      const text =
        io.format === 'json' ? renderJson(executed.result) : renderTabular(executed.result, { width: io.width ?? 120 });
      if (text !== '') io.out(text.endsWith('\n') ? text : `${text}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof StatementError) {
      const lines = script.split('\n');
      io.err(
        `${renderError({
          message: err.message,
          statementIndex: err.statementIndex,
          line: err.line,
          ...(err.col !== undefined ? { col: err.col, sourceLine: lines[err.line - 1] ?? '' } : {}),
          statementText: err.statementText,
        })}\n`,
      );
      return 1;
    }
    io.err(`Internal error: ${messageOf(err)}\n`);
    return 1;
  }
}

/** Streams a transient query's rows until its LIMIT (or the end of input for a script). */
async function printRows(result: Extract<StatementResult, { type: 'rows' }>, io: ScriptIO): Promise<void> {
  if (io.format === 'json') {
    io.out(`${JSON.stringify({ header: { queryId: result.queryId, schema: result.columns.map((c) => `\`${c.name}\` ${c.type}`).join(', ') } })}\n`);
    for await (const row of result.rows) io.out(`${JSON.stringify({ row: { columns: result.json(row) } })}\n`);
    return;
  }
  const printer = new RowPrinter(result.columns.map((c) => c.name), io.width !== undefined ? { width: io.width } : {});
  io.out(printer.header());
  for await (const row of result.rows) io.out(printer.row(result.display(row)));
  if (result.limitReached()) io.out('Limit Reached\n');
  io.out('Query terminated\n');
}
