import * as ed from '../../../src/cli/repl/editor.js';

const at = (text: string) => {
  // `|` marks the cursor.
  const cursor = text.indexOf('|');
  return { text: text.replace('|', ''), cursor };
};
const show = (b: ed.LineBuffer) => `${b.text.slice(0, b.cursor)}|${b.text.slice(b.cursor)}`;

test('insert, backspace, delete', () => {
  expect(show(ed.insert(at('SEL|T'), 'EC'))).toBe('SELEC|T');
  expect(show(ed.backspace(at('ab|c')))).toBe('a|c');
  expect(show(ed.backspace(at('|abc')))).toBe('|abc');
  expect(show(ed.deleteForward(at('ab|c')))).toBe('ab|');
});

test('Ctrl-A / Ctrl-E go to the start and end of the cursor line', () => {
  expect(show(ed.home(at('one\ntw|o\nthree')))).toBe('one\n|two\nthree');
  expect(show(ed.end(at('one\nt|wo\nthree')))).toBe('one\ntwo|\nthree');
});

test('Alt-B / Alt-F move by words', () => {
  expect(show(ed.wordLeft(at('SELECT id, url|')))).toBe('SELECT id, |url');
  expect(show(ed.wordLeft(at('SELECT id, |url')))).toBe('SELECT |id, url');
  expect(show(ed.wordRight(at('|SELECT id')))).toBe('SELECT| id');
  expect(show(ed.wordRight(at('SELECT| id')))).toBe('SELECT id|');
});

test('Ctrl-W cuts the word before the cursor; Ctrl-U to the line start; Ctrl-K to the line end', () => {
  const w = ed.killWordBack(at('SELECT * FROM pages|'));
  expect(show(w.buffer)).toBe('SELECT * FROM |');
  expect(w.killed).toBe('pages');
  expect(show(ed.killWordBack(at('a b  |')).buffer)).toBe('a |');
  const u = ed.killToLineStart(at('x\nSELECT |1'));
  expect(show(u.buffer)).toBe('x\n|1');
  expect(u.killed).toBe('SELECT ');
  const k = ed.killToLineEnd(at('SELECT| 1\nFROM'));
  expect(show(k.buffer)).toBe('SELECT|\nFROM');
  expect(show(ed.killToLineEnd(at('SELECT|\nFROM')).buffer)).toBe('SELECT|FROM');
});

test('Alt-D and Alt-Backspace cut a word forward and back', () => {
  expect(show(ed.killWordRight(at('a| bc d')).buffer)).toBe('a| d');
  expect(show(ed.killWordLeft(at('a.bc|')).buffer)).toBe('a.|');
});

test('vertical moves keep the column where the line allows', () => {
  expect(show(ed.verticalMove(at('abcdef\nab|c'), -1))).toBe('ab|cdef\nabc');
  expect(show(ed.verticalMove(at('abcd|ef\nabc'), 1))).toBe('abcdef\nabc|');
  expect(ed.cursorLine(at('a\nb|\nc'))).toEqual({ line: 1, lines: 3 });
});
