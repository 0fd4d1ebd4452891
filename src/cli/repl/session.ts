/**
 * The REPL's core, free of any UI: what happens to a line the user entered.
 * A CLI command runs here; anything else goes to the engine, statement by
 * statement, and each result is printed with the CLI's renderers. Transient
 * queries and PRINT stream until their LIMIT or until interrupt() (Ctrl-C).
 * Nothing that goes wrong in a statement ends the session.
 *
 * The front end supplies where text goes (`print`, above the prompt) and
 * shows what the session is doing (`activity`: a spinner, a live status line).
 */
import fs from 'node:fs';
import path from 'node:path';
import { StatementError, messageOf, splitStatements, type Engine, type StatementResult } from '../../engine/index.js';
import { renderError, renderErrorJson, renderJson, renderTabular } from '../render/index.js';
import { palette, stripAnsi, type Palette } from './ansi.js';
import { COMMANDS, findCommand, type CliSettings, type CommandContext } from './commands/index.js';
import { collectNames, NO_NAMES, type CompletionNames } from './completion.js';
import type { History } from './history.js';
import { LiveTable } from './live-table.js';

export type Activity =
  | { readonly kind: 'idle' }
  /** A statement is running; `label` says what for (the spinner's text). */
  | { readonly kind: 'busy'; readonly label: string; readonly since: number }
  /** A transient query or PRINT is streaming. */
  | { readonly kind: 'live'; readonly what: 'query' | 'print'; readonly rows: number; readonly since: number };

export interface ReplSessionOptions {
  readonly engine: Engine;
  readonly history: History;
  readonly version: string;
  /** What the banner says the session runs on, e.g. `embedded log at /data`. */
  readonly backend: string;
  /** Text for the terminal, above the prompt. */
  readonly print: (text: string) => void;
  readonly activity?: (activity: Activity) => void;
  readonly clearScreen?: () => void;
  /** The terminal's width now. */
  readonly width: () => number;
  readonly color?: boolean;
  readonly now?: () => number;
  /** How often streamed rows are written out, in ms (they are batched). */
  readonly flushInterval?: number;
}

type RowsResult = Extract<StatementResult, { type: 'rows' }>;
type PrintResult = Extract<StatementResult, { type: 'print' }>;

export class ReplSession implements CommandContext {
  readonly settings: CliSettings = { output: 'tabular', wrap: false, columnWidth: 0 };
  readonly palette: Palette;
  readonly history: History;
  readonly version: string;
  readonly backend: string;
  /** Names for completion, refreshed after every statement. */
  names: CompletionNames = NO_NAMES;
  private spool: { file: string; fd: number } | undefined;
  private running = false;
  private interrupted = false;
  private stopStream: (() => void) | undefined;
  private busy: Extract<Activity, { kind: 'busy' }> | undefined;
  private readonly engine: Engine;
  private readonly now: () => number;

  constructor(private readonly options: ReplSessionOptions) {
    this.engine = options.engine;
    this.history = options.history;
    this.version = options.version;
    this.backend = options.backend;
    this.palette = palette(options.color ?? true);
    this.now = options.now ?? Date.now;
  }

  get spoolFile(): string | undefined {
    return this.spool?.file;
  }

  get isRunning(): boolean {
    return this.running;
  }

  print(text: string): void {
    if (text === '') return;
    this.options.print(text);
    this.toSpool(text);
  }

  clearScreen(): void {
    this.options.clearScreen?.();
  }

  width(): number {
    return this.options.width();
  }

  startSpool(file: string): void {
    const resolved = path.resolve(file);
    const fd = fs.openSync(resolved, 'a');
    this.stopSpool();
    this.spool = { file: resolved, fd };
  }

  stopSpool(): boolean {
    if (!this.spool) return false;
    fs.closeSync(this.spool.fd);
    this.spool = undefined;
    return true;
  }

  /** Refreshes the names completion offers. */
  async refreshNames(): Promise<void> {
    try {
      this.names = await collectNames(this.engine);
    } catch {
      // Completion keeps the names it had.
    }
  }

  /**
   * Runs what the user entered: a CLI command or statements. Resolves to
   * 'exit' when the session should end; never rejects.
   */
  async submit(input: string): Promise<'exit' | 'continue'> {
    if (input.trim() === '') return 'continue';
    this.history.add(input);
    this.toSpool(`ksql> ${input.replace(/\n/g, '\n   -> ')}\n`);
    const found = findCommand(input);
    if (found) {
      try {
        return found.command.run(this, found.args) === 'exit' ? 'exit' : 'continue';
      } catch (err) {
        this.print(this.palette.red(`${messageOf(err)}\n`));
        return 'continue';
      }
    }
    this.running = true;
    this.interrupted = false;
    try {
      await this.execute(input);
    } finally {
      this.running = false;
      this.stopStream = undefined;
      this.activity({ kind: 'idle' });
    }
    await this.refreshNames();
    return 'continue';
  }

  /**
   * Ctrl-C while a statement runs: a streaming query stops; statements
   * after it in the same input are not run. False when nothing was running.
   */
  interrupt(): boolean {
    if (!this.running) return false;
    this.interrupted = true;
    if (this.stopStream) this.stopStream();
    else if (this.busy) {
      // A statement cannot be stopped halfway; say what Ctrl-C does instead.
      this.activity({ ...this.busy, label: `${this.busy.label} (Ctrl-C: the statements after it will not run)` });
    }
    return true;
  }

  /** Stops a running query and the spool: the session is over. */
  close(): void {
    this.interrupt();
    this.stopSpool();
  }

  /** The commands help lists. */
  get commands() {
    return COMMANDS;
  }

  private activity(a: Activity): void {
    this.busy = a.kind === 'busy' ? a : undefined;
    this.options.activity?.(a);
  }

  private toSpool(text: string): void {
    if (!this.spool) return;
    try {
      fs.writeSync(this.spool.fd, stripAnsi(text));
    } catch {
      // A spool that cannot be written stops.
      this.stopSpool();
    }
  }

  private async execute(input: string): Promise<void> {
    const statements = this.engine.executeScript(input)[Symbol.asyncIterator]();
    let count = 0;
    try {
      for (;;) {
        this.activity({ kind: 'busy', label: waitingFor(input, count), since: this.now() });
        const next = await statements.next();
        if (next.done) return;
        count = next.value.index;
        const result = next.value.result;
        if (result.type === 'rows') await this.streamRows(result);
        else if (result.type === 'print') await this.streamPrint(result);
        else this.printResult(result, next.value.text);
        if (this.interrupted) {
          await statements.return?.(undefined);
          return;
        }
      }
    } catch (err) {
      this.printError(err, input);
    }
  }

  private printResult(result: Exclude<StatementResult, RowsResult | PrintResult>, text: string): void {
    if (this.settings.output === 'json') {
      this.print(`${renderJson(result, { statementText: text })}\n`);
      return;
    }
    const out = renderTabular(result, { width: this.width() });
    if (out !== '') this.print(out.endsWith('\n') ? out : `${out}\n`);
  }

  private printError(err: unknown, input: string): void {
    if (!(err instanceof StatementError)) {
      this.print(this.palette.red(`Internal error: ${messageOf(err)}\n`));
      return;
    }
    const several = splitStatements(input).length > 1;
    const lines = input.split('\n');
    const e = {
      message: err.message,
      ...(several ? { statementIndex: err.statementIndex } : {}),
      ...(several || lines.length > 1 ? { line: err.line } : {}),
      ...(err.col !== undefined ? { col: err.col, sourceLine: lines[err.line - 1] ?? '' } : {}),
      statementText: err.statementText,
    };
    if (this.settings.output === 'json') {
      this.print(this.palette.red(`${renderErrorJson(e)}\n`));
      return;
    }
    const text = renderError(e);
    this.print(this.palette.red(text.endsWith('\n') ? text : `${text}\n`));
  }

  /** A transient query: header, rows as they arrive (batched), then why it ended. */
  private async streamRows(result: RowsResult): Promise<void> {
    const json = this.settings.output === 'json';
    const table = new LiveTable(
      result.columns.map((c) => c.name),
      { width: this.width(), wrap: this.settings.wrap, columnWidth: this.settings.columnWidth },
    );
    if (json) {
      this.print(`${JSON.stringify({ header: { queryId: result.queryId, schema: result.columns.map((c) => `\`${c.name}\` ${c.type}`).join(', ') } })}\n`);
    } else {
      this.print(table.header());
    }
    const { cancelled, error } = await this.stream(result.rows, 'query', result.cancel, (row) =>
      json ? `${JSON.stringify({ row: { columns: result.json(row) } })}\n` : table.row(result.display(row)),
    );
    if (!json) this.print(table.rule());
    if (error !== undefined) this.print(this.palette.red(`Query failed: ${error}\n`));
    if (!cancelled && result.limitReached()) this.print('Limit Reached\n');
    this.print('Query terminated\n');
  }

  private async streamPrint(result: PrintResult): Promise<void> {
    const { error } = await this.stream(result.lines, 'print', result.cancel, (line) => `${line}\n`);
    if (error !== undefined) this.print(this.palette.red(`${error}\n`));
    this.print('Topic printing ceased\n');
  }

  /**
   * Drains a stream of items to the terminal, batching writes; Ctrl-C
   * (interrupt) cancels it. The status line is updated with each batch.
   */
  private async stream<T>(
    items: AsyncIterable<T>,
    what: 'query' | 'print',
    cancel: () => Promise<void>,
    format: (item: T) => string,
  ): Promise<{ rows: number; cancelled: boolean; error?: string }> {
    const since = this.now();
    let rows = 0;
    let pending = '';
    let shown = 0;
    const flush = () => {
      if (pending !== '') this.print(pending);
      pending = '';
      if (rows !== shown) this.activity({ kind: 'live', what, rows, since });
      shown = rows;
    };
    this.activity({ kind: 'live', what, rows, since });
    const timer = setInterval(flush, this.options.flushInterval ?? 50);
    let cancelled = false;
    let stop!: () => void;
    const stopped = new Promise<'stopped'>((resolve) => {
      stop = () => resolve('stopped');
    });
    this.stopStream = () => {
      cancelled = true;
      stop();
    };
    const iterator = items[Symbol.asyncIterator]();
    let error: string | undefined;
    try {
      if (this.interrupted) cancelled = true;
      while (!cancelled) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (next === 'stopped' || next.done) break;
        rows += 1;
        pending += format(next.value);
      }
    } catch (err) {
      error = messageOf(err);
    } finally {
      clearInterval(timer);
      flush();
      this.stopStream = undefined;
      if (cancelled) {
        // Stop the query, then let its iterator finish; neither may hang the prompt.
        await withTimeout(cancel().catch(() => undefined), 5000);
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
      }
    }
    return { rows, cancelled, ...(error !== undefined ? { error } : {}) };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The spinner's text: the statement being run, shortened. */
function waitingFor(input: string, done: number): string {
  const statements = input
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s !== '');
  const current = statements[done] ?? statements[statements.length - 1] ?? '';
  const head = current.split(' ').slice(0, 4).join(' ');
  return head.length > 40 ? `${head.slice(0, 39)}…` : head;
}
