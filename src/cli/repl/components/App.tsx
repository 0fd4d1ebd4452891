/**
 * The interactive front end: a prompt over the REPL session (session.ts).
 * Output goes above the prompt through Ink's stdout writer, so a long result
 * or a live query's rows are printed once and scroll like any terminal
 * output; only the prompt, spinner and status line are redrawn.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, renderToString, useApp, useStdout } from 'ink';
import { endsWithCompleteStatement, type Engine } from '../../../engine/index.js';
import { banner } from '../banner.js';
import { findCommand } from '../commands/index.js';
import type { History } from '../history.js';
import type { KeyPress } from '../keys.js';
import { INITIAL_PROMPT, promptKey, type PromptDeps, type PromptEffect, type PromptState } from '../prompt.js';
import { ReplSession, type Activity } from '../session.js';
import { useKeypress } from '../hooks/useKeypress.js';
import { useTerminalWidth } from '../hooks/useTerminalWidth.js';
import { useTicker } from '../hooks/useTicker.js';
import { CompletionList } from './CompletionList.js';
import { InputPrompt } from './InputPrompt.js';
import { SearchPrompt } from './SearchPrompt.js';
import { Spinner } from './Spinner.js';
import { StatusLine } from './StatusLine.js';

export interface AppProps {
  readonly engine: Engine;
  readonly history: History;
  readonly version: string;
  /** The banner's "Running on ..." text. */
  readonly backend: string;
  /** A fixed terminal width (tests); the terminal's own otherwise. */
  readonly width?: number;
  readonly color?: boolean;
  /** Called once the user leaves; the session is closed by then. */
  readonly onExit?: () => void;
  /** The session, for tests that look inside. */
  readonly onSession?: (session: ReplSession) => void;
}

const CLEAR_SCREEN = '\u001b[2J\u001b[3J\u001b[H';

export const isComplete = (text: string): boolean => findCommand(text) !== undefined || endsWithCompleteStatement(text);

export function App({ engine, history, version, backend, width: fixedWidth, color = true, onExit, onSession }: AppProps) {
  const { write } = useStdout();
  const { exit } = useApp();
  const width = useTerminalWidth(fixedWidth);
  const widthRef = useRef(width);
  widthRef.current = width;

  const [activity, setActivity] = useState<Activity>({ kind: 'idle' });
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState(false);
  const [prompt, setPrompt] = useState<PromptState>(INITIAL_PROMPT);
  const promptRef = useRef(prompt);
  const runningRef = useRef(false);
  const queue = useRef<KeyPress[]>([]);

  const session = useMemo(
    () =>
      new ReplSession({
        engine,
        history,
        version,
        backend,
        color,
        print: write,
        activity: setActivity,
        clearScreen: () => write(CLEAR_SCREEN),
        width: () => widthRef.current,
      }),
    // One session for the life of the app.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  useEffect(() => {
    onSession?.(session);
    write(banner(version, backend, session.palette));
    void session.refreshNames();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (!done) return;
    onExit?.();
    exit();
  }, [done, exit, onExit]);

  const deps: PromptDeps = useMemo(() => ({ history, names: () => session.names, isComplete }), [history, session]);

  /** The input as it was typed, left in the scrollback above its output. */
  const echo = useCallback(
    (text: string, suffix = '') => {
      const shown = renderToString(<InputPrompt text={text} />, { columns: widthRef.current });
      write(`${shown}${suffix}\n`);
    },
    [write],
  );

  const leave = useCallback(() => {
    session.close();
    write('Exiting ksqlite.\n');
    setDone(true);
  }, [session, write]);

  const feedRef = useRef<(key: KeyPress) => void>(() => undefined);

  const drainQueue = useCallback(() => {
    while (!runningRef.current && queue.current.length > 0) feedRef.current(queue.current.shift() as KeyPress);
  }, []);

  const run = useCallback(
    (text: string) => {
      runningRef.current = true;
      setRunning(true);
      void session.submit(text).then((outcome) => {
        runningRef.current = false;
        setRunning(false);
        if (outcome === 'exit') {
          queue.current = [];
          leave();
          return;
        }
        drainQueue();
      });
    },
    [session, leave, drainQueue],
  );

  const onEffect = useCallback(
    (effect: PromptEffect) => {
      switch (effect.type) {
        case 'submit':
          echo(effect.text);
          if (effect.text.trim() !== '') run(effect.text);
          return;
        case 'cancel':
          echo(effect.text, session.palette.dim('^C'));
          return;
        case 'clearScreen':
          write(CLEAR_SCREEN);
          return;
        case 'exit':
          echo('');
          leave();
          return;
      }
    },
    [echo, run, leave, session, write],
  );

  feedRef.current = (key: KeyPress) => {
    const step = promptKey(promptRef.current, key, deps);
    promptRef.current = step.state;
    setPrompt(step.state);
    if (step.effect) onEffect(step.effect);
  };

  useKeypress((key) => {
    if (done) return;
    if (runningRef.current) {
      // Ctrl-C stops what runs and drops what was typed meanwhile; other keys wait for the prompt.
      if (key.kind === 'ctrl' && key.letter === 'c') {
        queue.current = [];
        session.interrupt();
      } else queue.current.push(key);
      return;
    }
    feedRef.current(key);
  });

  const now = useTicker(running, 100);
  if (done) return null;
  if (running) {
    return (
      <Box flexDirection="column">
        {activity.kind === 'live' ? <StatusLine what={activity.what} rows={activity.rows} since={activity.since} now={now} /> : null}
        {activity.kind === 'busy' ? <Spinner label={activity.label} since={activity.since} now={now} /> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {prompt.search ? (
        <SearchPrompt search={prompt.search} text={prompt.buffer.text} cursor={prompt.buffer.cursor} />
      ) : (
        <InputPrompt text={prompt.buffer.text} cursor={prompt.buffer.cursor} />
      )}
      {prompt.completions ? <CompletionList items={prompt.completions} width={width} /> : null}
      {prompt.hint !== undefined ? <Text color="gray">{prompt.hint}</Text> : null}
    </Box>
  );
}
