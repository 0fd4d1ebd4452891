/**
 * The REPL's core over a real (in-memory) engine: commands, statements,
 * errors that leave the session going, live queries stopped by LIMIT or Ctrl-C.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../../src/engine/index.js';
import { History } from '../../../src/cli/repl/history.js';
import { ReplSession, type Activity } from '../../../src/cli/repl/session.js';

const CREATE =
  "CREATE STREAM pages (id INT KEY, url STRING) WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON', PARTITIONS=1);";

let engine: Engine;
let out: string;
let activities: Activity[];
let session: ReplSession;
let scratch: string;

beforeEach(async () => {
  engine = await Engine.create({ scriptLoader: (p) => fs.readFileSync(path.resolve(scratch, p), 'utf8') });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-repl-'));
  out = '';
  activities = [];
  session = new ReplSession({
    engine,
    history: new History(path.join(scratch, 'history')),
    version: '9.9.9',
    backend: 'the embedded log',
    print: (t) => {
      out += t;
    },
    activity: (a) => activities.push(a),
    width: () => 60,
    color: false,
    flushInterval: 10,
  });
});

afterEach(async () => {
  session.close();
  await engine.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out; output so far:\n${out}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a statement runs and its result is printed with the CLI renderers', async () => {
  expect(await session.submit(CREATE)).toBe('continue');
  expect(out).toContain('Stream created');
  out = '';
  await session.submit('SHOW STREAMS;');
  expect(out).toMatch(/^ PAGES +\| pages +\| KAFKA +\| JSON +\| false/m);
});

test('several statements on one line run in order', async () => {
  await session.submit(`${CREATE} SHOW STREAMS;`);
  expect(out.indexOf('Stream created')).toBeLessThan(out.indexOf('PAGES'));
});

test('a parse error shows line, column and a caret, and the session goes on', async () => {
  expect(await session.submit('SELEC oops;')).toBe('continue');
  expect(out).toBe("Error: line 1:1: Syntax Error\nUnknown statement 'SELEC'\nSELEC oops\n^\n");
  out = '';
  await session.submit('SHOW STREAMS;');
  expect(out).toContain('Stream Name');
});

test('an error in a multi-line input names the line; in a multi-statement input, the statement', async () => {
  await session.submit('SHOW STREAMS;\nSELECT * FORM x;');
  expect(out).toContain('Error in statement 2 (line 2): line 2:10: Syntax Error');
  expect(out).toMatch(/SELECT \* FORM x\n {9}\^/);
});

test('a transient query streams rows into a live table; LIMIT ends it', async () => {
  await session.submit(CREATE);
  out = '';
  const running = session.submit('SELECT id, UCASE(url) AS u FROM pages EMIT CHANGES LIMIT 2;');
  await waitFor(() => out.includes('|ID'));
  await engine.execute("INSERT INTO pages (id, url) VALUES (1, 'a'); INSERT INTO pages (id, url) VALUES (2, 'b');");
  await running;
  expect(out).toBe(
    [
      '+----------------------------+----------------------------+',
      '|ID                          |U                           |',
      '+----------------------------+----------------------------+',
      '|1                           |A                           |',
      '|2                           |B                           |',
      '+----------------------------+----------------------------+',
      'Limit Reached',
      'Query terminated',
      '',
    ].join('\n'),
  );
  const live = activities.filter((a) => a.kind === 'live');
  expect(live[live.length - 1]).toMatchObject({ kind: 'live', what: 'query', rows: 2 });
  expect(activities[activities.length - 1]).toEqual({ kind: 'idle' });
});

test('Ctrl-C (interrupt) stops a transient query and the next statement runs', async () => {
  await session.submit(CREATE);
  out = '';
  const running = session.submit('SELECT * FROM pages EMIT CHANGES;');
  await waitFor(() => out.includes('|ID'));
  await engine.execute("INSERT INTO pages (id, url) VALUES (7, 'seven');");
  await waitFor(() => out.includes('|7 '));
  expect(session.isRunning).toBe(true);
  expect(session.interrupt()).toBe(true);
  await running;
  expect(out).toMatch(/\|7 +\|seven +\|\n\+-+\+-+\+\nQuery terminated\n$/);
  expect(out).not.toContain('Limit Reached');
  expect(session.isRunning).toBe(false);
  expect(session.interrupt()).toBe(false);
  out = '';
  await session.submit('SHOW QUERIES;');
  expect(out).toContain('Query ID');
});

test('Ctrl-C skips the statements after the query in the same input', async () => {
  await session.submit(CREATE);
  out = '';
  const running = session.submit('SELECT * FROM pages EMIT CHANGES; SHOW STREAMS;');
  await waitFor(() => out.includes('|ID'));
  session.interrupt();
  await running;
  expect(out).toContain('Query terminated');
  expect(out).not.toContain('Stream Name');
});

test('set cli WRAP ON wraps long values in their cells; COLUMN-WIDTH fixes the widths', async () => {
  await session.submit(CREATE);
  await session.submit('set cli WRAP ON');
  await session.submit('set cli COLUMN-WIDTH 10');
  expect(session.settings).toMatchObject({ wrap: true, columnWidth: 10 });
  out = '';
  const running = session.submit("SELECT url FROM pages EMIT CHANGES LIMIT 1;");
  await waitFor(() => out.includes('|URL'));
  await engine.execute("INSERT INTO pages (id, url) VALUES (1, 'a long value that wraps');");
  await running;
  expect(out).toContain('|a long    |\n|value that|\n|wraps     |\n');
});

test('output json prints REST entities and JSON rows', async () => {
  await session.submit('output json');
  expect(out).toBe('Output format set to JSON\n');
  out = '';
  await session.submit(CREATE);
  expect(JSON.parse(out)).toMatchObject({ '@type': 'currentStatus', statementText: CREATE.slice(0, -1) });
  out = '';
  const running = session.submit('SELECT * FROM pages EMIT CHANGES LIMIT 1;');
  await waitFor(() => out.includes('header'));
  await engine.execute("INSERT INTO pages (id, url) VALUES (3, 'c');");
  await running;
  expect(out.split('\n')[1]).toBe('{"row":{"columns":[3,"c"]}}');
  out = '';
  await session.submit('output tabular');
  await session.submit('output');
  expect(out).toBe('Output format set to TABULAR\nOutput format: TABULAR\n');
});

test('spool copies statements and output to a file until spool off', async () => {
  const file = path.join(scratch, 'session.txt');
  await session.submit(`spool ${file}`);
  await session.submit('SHOW STREAMS;');
  await session.submit('spool off');
  await session.submit('SHOW TABLES;');
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('ksql> SHOW STREAMS;\n');
  expect(text).toContain('Stream Name');
  expect(text).toContain('ksql> spool off\n');
  expect(text).not.toContain('Table Name');
});

test('history, help, version and exit are commands; a trailing ; is allowed', async () => {
  await session.submit('SHOW STREAMS;');
  out = '';
  await session.submit('history;');
  expect(out).toBe('1  SHOW STREAMS;\n2  history;\n');
  out = '';
  await session.submit('HELP');
  expect(out).toContain('CLI commands');
  expect(out).toMatch(/spool <file> +Copy/);
  out = '';
  await session.submit('version');
  expect(out).toBe('Version: 9.9.9\n');
  expect(await session.submit('exit')).toBe('exit');
  expect(await session.submit('quit;')).toBe('exit');
});

test('the history file holds the entries, one per line, across sessions', async () => {
  await session.submit('SHOW STREAMS;');
  await session.submit("CREATE STREAM s (a INT)\n  WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);");
  const file = path.join(scratch, 'history');
  expect(fs.readFileSync(file, 'utf8')).toBe(
    "SHOW STREAMS;\nCREATE STREAM s (a INT)\\n  WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);\n",
  );
  expect(new History(file).entries()).toEqual([
    'SHOW STREAMS;',
    "CREATE STREAM s (a INT)\n  WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);",
  ]);
});

test('RUN SCRIPT runs a file through the engine', async () => {
  fs.writeFileSync(path.join(scratch, 'setup.sql'), `${CREATE}\nSHOW STREAMS;\n`);
  await session.submit("RUN SCRIPT 'setup.sql';");
  expect(out).toContain('Stream created');
  expect(out).toContain('PAGES');
});

test('completion names are refreshed after each statement', async () => {
  await session.submit(CREATE);
  expect(session.names.sources).toEqual(['PAGES']);
  expect(session.names.columns.get('PAGES')).toEqual(['ID', 'URL']);
  expect(session.names.topics).toContain('pages');
  expect(session.names.functions).toContain('UCASE');
  expect(session.names.properties).toContain('auto.offset.reset');
});

test('the spinner activity names the statement being run', async () => {
  await session.submit(CREATE);
  expect(activities.find((a) => a.kind === 'busy')).toMatchObject({ kind: 'busy', label: 'CREATE STREAM pages (id' });
});

test('PRINT streams records until its LIMIT, or until Ctrl-C', async () => {
  await session.submit(CREATE);
  await engine.execute("INSERT INTO pages (id, url) VALUES (1, 'a'); INSERT INTO pages (id, url) VALUES (2, 'b');");
  out = '';
  await session.submit("PRINT 'pages' FROM BEGINNING LIMIT 2;");
  expect(out).toMatch(/^Key format: .*\n[^]*value: \{"URL":"a"\}[^]*value: \{"URL":"b"\}[^]*\nTopic printing ceased\n$/);
  out = '';
  const running = session.submit("PRINT 'pages';");
  await waitFor(() => activities.some((a) => a.kind === 'live' && a.what === 'print'));
  session.interrupt();
  await running;
  expect(out).toBe('Topic printing ceased\n');
});
