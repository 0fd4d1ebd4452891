/**
 * The REPL in a real terminal, as a person uses it: tmux runs it, keys are
 * sent with send-keys and the screen is read with capture-pane.
 *
 * It runs the compiled code (npm run build first). Until main.ts starts the
 * REPL, it drives fixtures/repl-driver.mjs (startRepl over an engine), whose
 * --inject file stands in for a second client; once `ksqlite` itself starts
 * the REPL, it runs bin/ksqlite and inserts with a second `ksqlite -e`
 * process. KSQLITE_REPL_E2E=driver|bin forces one or the other.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../support/paths.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const bin = path.join(repoRoot, 'bin/ksqlite');
const driver = path.join(repoRoot, 'test/cli/repl/fixtures/repl-driver.mjs');
const built = fs.existsSync(path.join(repoRoot, 'dist/cli/repl/index.js'));
const mainStartsRepl = (() => {
  try {
    return fs.readFileSync(path.join(repoRoot, 'dist/cli/main.js'), 'utf8').includes('startRepl');
  } catch {
    return false;
  }
})();
const mode = process.env.KSQLITE_REPL_E2E ?? (mainStartsRepl ? 'bin' : 'driver');

if (!hasTmux) console.warn('tmux is not installed: the REPL end-to-end test is skipped (apt-get install -y tmux).');

const socket = `ksqlite-test-${process.pid}`;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ksqlite-tmux-'));
const home = path.join(scratch, 'home');
const dataDir = path.join(scratch, 'data');
const inject = path.join(scratch, 'inject.sql');
fs.mkdirSync(home);
fs.mkdirSync(dataDir);

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
  fs.rmSync(scratch, { recursive: true, force: true });
});

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Types text literally (tmux reads a final `;` as its own separator unless escaped). */
function type(text: string): void {
  tmux('send-keys', '-t', 'repl', '-l', text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text);
}

function press(...keys: string[]): void {
  tmux('send-keys', '-t', 'repl', ...keys);
}

/** The screen and its scrollback, trailing blanks trimmed. */
function screen(): string {
  return tmux('capture-pane', '-p', '-t', 'repl', '-S', '-300')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

async function waitFor(what: RegExp | string, ms = 5000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (typeof what === 'string' ? s.includes(what) : what.test(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${String(what)}; the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The last line on the screen is an empty prompt. */
const atPrompt = /\nksql>$/;

async function insertFromOutside(sql: string): Promise<void> {
  if (mode === 'bin') {
    const r = spawnSync(process.execPath, [bin, '--data-dir', dataDir, '-e', sql], {
      encoding: 'utf8',
      env: { ...process.env, HOME: home },
    });
    if (r.status !== 0) throw new Error(`second ksqlite process failed: ${r.stderr}`);
  } else {
    fs.appendFileSync(inject, `${sql}\n`);
  }
}

const run = hasTmux ? test : test.skip;

run(
  'a session in tmux: multi-line CREATE, a live query fed from outside, Ctrl-C, an error, SHOW STREAMS, exit, history',
  async () => {
    if (!built) throw new Error('dist/ is missing: run npm run build first');
    const env = `env HOME='${home}' TERM=xterm-256color`;
    const command =
      mode === 'bin'
        ? `${env} '${process.execPath}' '${bin}' --data-dir '${dataDir}'`
        : `${env} '${process.execPath}' '${driver}' --data-dir '${dataDir}' --inject '${inject}'`;
    tmux('new-session', '-d', '-s', 'repl', '-x', '110', '-y', '40', `${command}; echo "[exited $?]"; sleep 60`);

    await waitFor(/Running on [^]*\nksql>/, 10000);

    type('CREATE STREAM PAGES (ID INT KEY, URL STRING)');
    press('Enter');
    await waitFor(/\n {3}->$/);
    type("  WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON', PARTITIONS=1);");
    press('Enter');
    await waitFor(/Stream created[^]*\nksql>$/);

    type('SELECT ID, UCASE(URL) AS U FROM PAGES EMIT CHANGES;');
    press('Enter');
    await waitFor(/\|ID +\|U +\|\n\+-+\+-+\+\n0 rows · [^]*Press Ctrl-C to stop$/);

    await insertFromOutside("INSERT INTO PAGES (ID, URL) VALUES (1, 'http://example.com/one');");
    const inserted = Date.now();
    await waitFor('|1 ', 3000);
    expect(Date.now() - inserted).toBeLessThan(1500);
    const live = await waitFor(/\|1 +\|HTTP:\/\/EXAMPLE\.COM\/ONE +\|\n1 row · [\d.]+ rows\/s · [\d.]+s · Press Ctrl-C to stop$/);
    expect(live).toContain('ksql> SELECT ID, UCASE(URL) AS U FROM PAGES EMIT CHANGES;');

    press('C-c');
    await waitFor(/Query terminated\nksql>$/);

    type('SELEC oops;');
    press('Enter');
    await waitFor(/line 1:1: Syntax Error\nUnknown statement 'SELEC'\nSELEC oops\n\^\nksql>$/);

    type('SHOW STREAMS;');
    press('Enter');
    await waitFor(/ PAGES +\| pages +\| KAFKA +\| JSON +\| false[^]*\nksql>$/);

    // Ctrl-C on an empty prompt does not end the session.
    press('C-c');
    await waitFor(/To leave, type exit or press Ctrl-D\.$/);

    type('exit');
    press('Enter');
    await waitFor('[exited 0]');

    const history = fs.readFileSync(path.join(home, '.ksqlite_history'), 'utf8').split('\n');
    expect(history).toEqual([
      "CREATE STREAM PAGES (ID INT KEY, URL STRING)\\n  WITH (KAFKA_TOPIC='pages', VALUE_FORMAT='JSON', PARTITIONS=1);",
      'SELECT ID, UCASE(URL) AS U FROM PAGES EMIT CHANGES;',
      'SELEC oops;',
      'SHOW STREAMS;',
      'exit',
      '',
    ]);
  },
  30000,
);
