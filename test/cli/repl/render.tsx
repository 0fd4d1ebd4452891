/** The shared render helper of the REPL's component tests: the App over an in-memory engine. */
import { render } from 'ink-testing-library';
import { Engine } from '../../../src/engine/index.js';
import { App } from '../../../src/cli/repl/components/App.js';
import { History } from '../../../src/cli/repl/history.js';
import { stripAnsi } from '../../../src/cli/repl/ansi.js';
import type { ReplSession } from '../../../src/cli/repl/session.js';

export interface RenderedRepl {
  readonly engine: Engine;
  readonly history: History;
  session(): ReplSession;
  /** Sends raw terminal input, as a keyboard or tmux would. */
  type(raw: string): Promise<void>;
  /** Everything written so far (printed text and every redraw), without colours. */
  output(): string;
  /** The prompt area as last drawn, without trailing spaces (the cursor, at a line's end, is one). */
  screen(): string;
  waitFor(check: string | RegExp | (() => boolean), ms?: number): Promise<void>;
  exited(): boolean;
  unmount(): Promise<void>;
}

export async function renderRepl(options: { width?: number; entries?: string[] } = {}): Promise<RenderedRepl> {
  const engine = await Engine.create();
  const history = new History();
  for (const e of options.entries ?? []) history.add(e);
  let session: ReplSession | undefined;
  let exited = false;
  const r = render(
    <App
      engine={engine}
      history={history}
      version="9.9.9"
      backend="the embedded log at /tmp/x"
      width={options.width ?? 80}
      color={false}
      onExit={() => {
        exited = true;
      }}
      onSession={(s) => {
        session = s;
      }}
    />,
  );
  const output = () => stripAnsi(r.frames.join(''));
  const waitFor = async (check: string | RegExp | (() => boolean), ms = 3000) => {
    const ok =
      typeof check === 'function' ? check : typeof check === 'string' ? () => output().includes(check) : () => check.test(output());
    const until = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${String(check)}; output:\n${output()}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  };
  await waitFor(() => session !== undefined && output().includes('ksql>'));
  return {
    engine,
    history,
    session: () => session as ReplSession,
    async type(raw) {
      r.stdin.write(raw);
      await new Promise((res) => setTimeout(res, 20));
    },
    output,
    screen: () =>
      stripAnsi(r.lastFrame() ?? '')
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n'),
    waitFor,
    exited: () => exited,
    async unmount() {
      r.unmount();
      await engine.close();
    },
  };
}
