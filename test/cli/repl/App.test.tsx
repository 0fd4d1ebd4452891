/** The REPL as a terminal shows it, through ink-testing-library. */
import { renderRepl, type RenderedRepl } from './render.js';

const CREATE =
  "CREATE STREAM pages (id INT KEY, url STRING) WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON', PARTITIONS=1);";

let repl: RenderedRepl;
afterEach(async () => {
  await repl.unmount();
});

test('the banner names the version and the backend; the prompt waits', async () => {
  repl = await renderRepl();
  expect(repl.output()).toContain('ksqlite 9.9.9');
  expect(repl.output()).toContain('Running on the embedded log at /tmp/x.');
});

test('a statement typed over two lines runs at the ; and its result is printed above the prompt', async () => {
  repl = await renderRepl();
  await repl.type('CREATE STREAM pages (id INT KEY, url STRING)\r');
  expect(repl.screen()).toBe('ksql> CREATE STREAM pages (id INT KEY, url STRING)\n   ->');
  await repl.type("  WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON', PARTITIONS=1);\r");
  await repl.waitFor('Stream created');
  await repl.waitFor(() => repl.screen() === 'ksql>');
  expect(repl.output()).toContain("   ->   WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON', PARTITIONS=1);\n");
  await repl.type('SHOW STREAMS;\r');
  await repl.waitFor(/ PAGES +\| pages +\| KAFKA +\| JSON +\| false/);
});

test('a transient query shows a live table and a status line; Ctrl-C stops it and the prompt comes back', async () => {
  repl = await renderRepl({ width: 60 });
  await repl.type(`${CREATE}\r`);
  await repl.waitFor('Stream created');
  await repl.type('SELECT ID, UCASE(URL) AS U FROM PAGES EMIT CHANGES;\r');
  await repl.waitFor('|ID                          |U                           |');
  await repl.waitFor(() => /^0 rows · 0\.0 rows\/s · \d+\.\ds · Press Ctrl-C to stop$/.test(repl.screen()));
  await repl.engine.execute("INSERT INTO pages (id, url) VALUES (1, 'http://example.com/a');");
  await repl.waitFor('|1                           |HTTP://EXAMPLE.COM/A        |');
  await repl.waitFor(() => repl.screen().startsWith('1 row · '));
  // Typing while the query runs waits; Ctrl-C stops the query and drops it.
  await repl.type('ignored');
  await repl.type('\u0003');
  await repl.waitFor('Query terminated');
  await repl.waitFor(() => repl.screen() === 'ksql>');
  await repl.type('SHOW STREAMS;\r');
  await repl.waitFor('Stream Name');
});

test('keys typed while a statement runs are kept for the prompt', async () => {
  repl = await renderRepl();
  await repl.type(`${CREATE}\rSHOW STREAMS;\r`);
  await repl.waitFor('Stream Name');
  expect(repl.output().indexOf('Stream created')).toBeLessThan(repl.output().indexOf('Stream Name'));
});

test('a bad statement shows where it went wrong and the session goes on', async () => {
  repl = await renderRepl();
  await repl.type('SELEC oops;\r');
  await repl.waitFor("Error: line 1:1: Syntax Error\nUnknown statement 'SELEC'\nSELEC oops\n^\n");
  await repl.waitFor(() => repl.screen() === 'ksql>');
  await repl.type('version\r');
  await repl.waitFor('Version: 9.9.9');
});

test('Tab lists the candidates under the prompt', async () => {
  repl = await renderRepl();
  await repl.type('SHOW T\t');
  expect(repl.screen()).toBe('ksql> SHOW T\nTABLES  TOPICS  TYPES');
  await repl.type('O\t');
  expect(repl.screen()).toBe('ksql> SHOW TOPICS');
});

test('Up recalls the last entry; Ctrl-R shows the search', async () => {
  repl = await renderRepl({ entries: ['SHOW STREAMS;', 'SHOW TABLES;'] });
  await repl.type('\u001b[A');
  expect(repl.screen()).toBe('ksql> SHOW TABLES;');
  await repl.type('\u0015\u0012STR');
  expect(repl.screen()).toBe("(reverse-i-search)`STR': SHOW STREAMS;");
});

test('Ctrl-C on an empty prompt does not leave; Ctrl-D does', async () => {
  repl = await renderRepl();
  await repl.type('\u0003');
  expect(repl.screen()).toBe('ksql>\nTo leave, type exit or press Ctrl-D.');
  expect(repl.exited()).toBe(false);
  await repl.type('\u0004');
  await repl.waitFor(() => repl.exited());
  expect(repl.output()).toContain('Exiting ksqlite.');
});

test('exit leaves', async () => {
  repl = await renderRepl();
  await repl.type('exit\r');
  await repl.waitFor(() => repl.exited());
});
