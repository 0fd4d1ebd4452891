/**
 * The interactive REPL: `startRepl` runs it on the terminal until the user
 * leaves and resolves to the exit code. The engine is the caller's (it
 * constructs and closes it).
 */
import os from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import type { Engine } from '../../engine/index.js';
import { backendLabel } from './banner.js';
import { History } from './history.js';

export { ReplSession, type Activity, type ReplSessionOptions } from './session.js';
export { History } from './history.js';

export interface ReplOptions {
  /** The embedded log's folder, named in the banner. */
  readonly dataDir: string;
  /** Where history is kept; ~/.ksqlite_history by default. */
  readonly historyFile?: string;
  readonly version: string;
  /** 'embedded' for the embedded log, else what the banner should name (e.g. `Kafka at localhost:9092`). */
  readonly backend: string;
  /** A fixed width instead of the terminal's. */
  readonly width?: number;
}

export const DEFAULT_HISTORY_FILE = path.join(os.homedir(), '.ksqlite_history');

/** Runs the REPL on this process's terminal until exit / Ctrl-D; resolves to the exit code. */
export async function startRepl(engine: Engine, options: ReplOptions): Promise<number> {
  const history = new History(options.historyFile ?? DEFAULT_HISTORY_FILE);
  const color = process.env.NO_COLOR === undefined || process.env.NO_COLOR === '';
  const { render, App } = await loadInk();
  const instance = render(
    createElement(App, {
      engine,
      history,
      version: options.version,
      backend: backendLabel(options.backend, options.dataDir),
      color,
      ...(options.width !== undefined ? { width: options.width } : {}),
    }),
    { exitOnCtrlC: false },
  );
  await instance.waitUntilExit();
  return 0;
}

/**
 * Ink decides once, when it is loaded, whether it runs in CI (the CI
 * variable): then it draws nothing until it exits. The REPL runs only on a
 * terminal, so Ink is loaded here, with the variable hidden for that moment.
 */
async function loadInk() {
  const hidden = ['CI', 'CONTINUOUS_INTEGRATION'].filter((k) => k in process.env).map((k) => [k, process.env[k]] as const);
  for (const [k] of hidden) delete process.env[k];
  try {
    const [{ render }, { App }] = await Promise.all([import('ink'), import('./components/App.js')]);
    return { render, App };
  } finally {
    for (const [k, v] of hidden) process.env[k] = v;
  }
}
