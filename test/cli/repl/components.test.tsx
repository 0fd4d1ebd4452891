/** The small components, rendered on their own. */
import { render } from 'ink-testing-library';
import { CompletionList } from '../../../src/cli/repl/components/CompletionList.js';
import { InputPrompt } from '../../../src/cli/repl/components/InputPrompt.js';
import { Spinner, formatElapsed } from '../../../src/cli/repl/components/Spinner.js';
import { StatusLine, statusText } from '../../../src/cli/repl/components/StatusLine.js';

test('the input shows the prompt, then the continuation prompt on every further line', () => {
  const { lastFrame } = render(<InputPrompt text={"SELECT *\n  FROM pages\n  EMIT CHANGES;"} cursor={3} />);
  expect(lastFrame()).toBe('ksql> SELECT *\n   ->   FROM pages\n   ->   EMIT CHANGES;');
});

test('a long line wraps under its start, the prompt stays whole', () => {
  const text = `SELECT ${Array.from({ length: 20 }, (_, i) => `column${i}`).join(', ')} FROM t;`;
  const lines = (render(<InputPrompt text={text} />).lastFrame() ?? '').split('\n');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines[0]).toMatch(/^ksql> SELECT column0, /);
  expect(lines[1]).toMatch(/^ {6}\S/);
  expect(lines.map((l) => l.trim()).join(' ')).toBe(`ksql> ${text}`);
});

test('the spinner shows only once a wait is noticeable, with what is waited for', () => {
  expect(render(<Spinner label="CREATE STREAM s" since={1000} now={1100} />).lastFrame()).toBe('');
  expect(render(<Spinner label="CREATE STREAM s" since={1000} now={2300} />).lastFrame()).toMatch(/^. CREATE STREAM s 1\.3s$/);
  expect(formatElapsed(75_000)).toBe('1m 15s');
});

test('the status line: rows, rate, elapsed, how to stop', () => {
  expect(statusText({ what: 'query', rows: 10, since: 0, now: 4000 })).toBe('10 rows · 2.5 rows/s · 4.0s · Press Ctrl-C to stop');
  expect(statusText({ what: 'query', rows: 1, since: 0, now: 0 })).toBe('1 row · 0.0 rows/s · 0.0s · Press Ctrl-C to stop');
  expect(statusText({ what: 'print', rows: 3, since: 0, now: 1000 })).toBe('3 records · 3.0 records/s · 1.0s · Press Ctrl-C to stop');
  expect(render(<StatusLine what="query" rows={2} since={0} now={1000} />).lastFrame()).toBe(
    '2 rows · 2.0 rows/s · 1.0s · Press Ctrl-C to stop',
  );
});

test('completions are listed in columns that fit the width', () => {
  const { lastFrame } = render(<CompletionList items={['PAGES', 'PAGEVIEWS', 'PARTITION', 'PARTITIONS']} width={30} />);
  expect(lastFrame()).toBe('PAGES       PAGEVIEWS\nPARTITION   PARTITIONS');
});
