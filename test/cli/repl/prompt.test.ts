/** The prompt's keys, without a terminal: editing, Enter, history, Ctrl-R, Tab, Ctrl-C/D. */
import { NO_NAMES, type CompletionNames } from '../../../src/cli/repl/completion.js';
import { History } from '../../../src/cli/repl/history.js';
import { decodeKeys } from '../../../src/cli/repl/keys.js';
import { EXIT_HINT, INITIAL_PROMPT, promptKey, type PromptEffect, type PromptState } from '../../../src/cli/repl/prompt.js';
import { isComplete } from '../../../src/cli/repl/components/App.js';

function driver(entries: string[] = [], names: CompletionNames = NO_NAMES) {
  const history = new History();
  for (const e of entries) history.add(e);
  let state: PromptState = INITIAL_PROMPT;
  const effects: PromptEffect[] = [];
  return {
    /** Feeds raw terminal input. */
    type(raw: string) {
      // Ink hands over escape sequences one by one, and runs of text between them.
      const events = raw.match(/\u001b(?:\[[0-9;]*[A-Za-z~]|O.|[^]?)|[^\u001b]+/g) ?? [];
      for (const key of events.flatMap(decodeKeys)) {
        const step = promptKey(state, key, { history, names: () => names, isComplete });
        state = step.state;
        if (step.effect) effects.push(step.effect);
      }
      return this;
    },
    get state() {
      return state;
    },
    /** The buffer with `|` at the cursor. */
    get shown() {
      return `${state.buffer.text.slice(0, state.buffer.cursor)}|${state.buffer.text.slice(state.buffer.cursor)}`;
    },
    effects,
  };
}

const UP = '\u001b[A';
const DOWN = '\u001b[B';

test('Enter runs a statement once a ; ends it outside quotes and comments; before that it starts a new line', () => {
  const d = driver().type('SELECT *\rFROM t\r');
  expect(d.shown).toBe('SELECT *\nFROM t\n|');
  expect(d.effects).toEqual([]);
  d.type("WHERE x = ';'\r");
  expect(d.effects).toEqual([]);
  d.type('-- done;\r');
  expect(d.effects).toEqual([]);
  d.type(';\r');
  expect(d.effects).toEqual([{ type: 'submit', text: "SELECT *\nFROM t\nWHERE x = ';'\n-- done;\n;" }]);
  expect(d.shown).toBe('|');
});

test('CLI commands run without a ;', () => {
  expect(driver().type('help\r').effects).toEqual([{ type: 'submit', text: 'help' }]);
  expect(driver().type('set cli wrap on\r').effects).toEqual([{ type: 'submit', text: 'set cli wrap on' }]);
  expect(driver().type('\r').effects).toEqual([{ type: 'submit', text: '' }]);
});

test('Alt-Enter always starts a new line', () => {
  expect(driver().type('SELECT 1;\u001b\r').shown).toBe('SELECT 1;\n|');
});

test('emacs keys edit the line', () => {
  const d = driver().type('SELECT id FROM t');
  d.type('\u0001');
  expect(d.shown).toBe('|SELECT id FROM t');
  d.type('\u0005\u0017');
  expect(d.shown).toBe('SELECT id FROM |');
  d.type('\u0019');
  expect(d.shown).toBe('SELECT id FROM t|');
  d.type('\u001bb\u001bb\u001bb');
  expect(d.shown).toBe('SELECT |id FROM t');
  d.type('\u000b');
  expect(d.shown).toBe('SELECT |');
  d.type('\u001bf').type('x\u0015');
  expect(d.shown).toBe('|');
  d.type('abc\u0002\u0002\u007f');
  expect(d.shown).toBe('|bc');
  d.type('\u0006\u0004');
  expect(d.shown).toBe('b|');
});

test('Up and Down walk the history and come back to what was being typed', () => {
  const d = driver(['SHOW STREAMS;', 'SHOW TABLES;']).type('SEL');
  d.type(UP);
  expect(d.shown).toBe('SHOW TABLES;|');
  d.type(UP).type(UP);
  expect(d.shown).toBe('SHOW STREAMS;|');
  d.type(DOWN);
  expect(d.shown).toBe('SHOW TABLES;|');
  d.type(DOWN);
  expect(d.shown).toBe('SEL|');
  d.type('\u0010');
  expect(d.shown).toBe('SHOW TABLES;|');
});

test('in a multi-line entry Up moves between its lines before leaving it', () => {
  const d = driver(['older;', 'SELECT *\nFROM t;']).type(UP);
  expect(d.shown).toBe('SELECT *\nFROM t;|');
  d.type(UP);
  expect(d.shown).toBe('SELECT |*\nFROM t;');
  d.type(UP);
  expect(d.shown).toBe('older;|');
});

test('Ctrl-R searches the history backwards; Enter runs the match', () => {
  const d = driver(['SELECT a FROM t;', 'SHOW STREAMS;', 'SELECT b FROM t;']);
  d.type('\u0012sel');
  expect(d.state.search).toMatchObject({ query: 'sel', match: 2 });
  expect(d.shown).toBe('|SELECT b FROM t;');
  d.type('\u0012');
  expect(d.state.search?.match).toBe(0);
  d.type('\u0012');
  expect(d.state.search?.match).toBe(0);
  d.type('\r');
  expect(d.effects).toEqual([{ type: 'submit', text: 'SELECT a FROM t;' }]);
  expect(d.state.search).toBeUndefined();
});

test('Ctrl-R then Ctrl-G gives back the line; an arrow accepts the match for editing', () => {
  const d = driver(['SHOW STREAMS;']).type('draft\u0012show');
  expect(d.shown).toBe('|SHOW STREAMS;');
  d.type('\u0007');
  expect(d.shown).toBe('draft|');
  d.type('\u0012str\u001b[C');
  expect(d.state.search).toBeUndefined();
  expect(d.shown).toBe('SHOW S|TREAMS;');
  d.type('\u0012nomatch');
  expect(d.state.search?.match).toBe(-1);
});

test('Tab completes one candidate, a shared start, or lists them', () => {
  const names: CompletionNames = { ...NO_NAMES, sources: ['PAGES', 'PAGEVIEWS'] };
  const d = driver([], names).type('sel\t');
  expect(d.shown).toBe('select |');
  d.type('* from p\t');
  expect(d.shown).toBe('select * from page|');
  d.type('\t');
  expect(d.state.completions).toEqual(['pages', 'pageviews']);
  d.type('v');
  expect(d.state.completions).toBeUndefined();
  d.type('\t');
  expect(d.shown).toBe('select * from pageviews|');
});

test('Ctrl-C drops the line; on an empty line it only says how to leave; Ctrl-D there exits', () => {
  const d = driver().type('SELECT oops\u0003');
  expect(d.effects).toEqual([{ type: 'cancel', text: 'SELECT oops' }]);
  expect(d.shown).toBe('|');
  d.type('\u0003');
  expect(d.state.hint).toBe(EXIT_HINT);
  expect(d.effects).toHaveLength(1);
  d.type('x');
  expect(d.state.hint).toBeUndefined();
  d.type('\u007f\u0004');
  expect(d.effects[1]).toEqual({ type: 'exit' });
});
