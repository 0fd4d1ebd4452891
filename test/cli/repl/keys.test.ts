import { decodeKeys } from '../../../src/cli/repl/keys.js';

test('a run of text with a return in it (tmux send-keys, a paste) is text then Enter', () => {
  expect(decodeKeys('SELECT 1;\r')).toEqual([
    { kind: 'text', text: 'SELECT 1;' },
    { kind: 'key', name: 'return' },
  ]);
  expect(decodeKeys('a\nb')).toEqual([
    { kind: 'text', text: 'a' },
    { kind: 'key', name: 'return' },
    { kind: 'text', text: 'b' },
  ]);
});

test('control characters are Ctrl + letter; DEL and ^H are Backspace', () => {
  expect(decodeKeys('\u0001\u0005\u0017\u0015\u000b\u0012\u0003\u0004')).toEqual(
    ['a', 'e', 'w', 'u', 'k', 'r', 'c', 'd'].map((letter) => ({ kind: 'ctrl', letter })),
  );
  expect(decodeKeys('\u007f')).toEqual([{ kind: 'key', name: 'backspace' }]);
  expect(decodeKeys('\b')).toEqual([{ kind: 'key', name: 'backspace' }]);
  expect(decodeKeys('\t')).toEqual([{ kind: 'key', name: 'tab' }]);
});

test('escape sequences: arrows, Home/End, Delete, Alt-B/F/D, Alt-Backspace, Alt-Enter', () => {
  const name = (raw: string) => decodeKeys(raw)[0];
  expect(name('\u001b[A')).toEqual({ kind: 'key', name: 'up' });
  expect(name('\u001bOB')).toEqual({ kind: 'key', name: 'down' });
  expect(name('\u001b[H')).toEqual({ kind: 'key', name: 'home' });
  expect(name('\u001b[4~')).toEqual({ kind: 'key', name: 'end' });
  expect(name('\u001b[3~')).toEqual({ kind: 'key', name: 'delete' });
  expect(name('\u001bb')).toEqual({ kind: 'key', name: 'wordLeft' });
  expect(name('\u001bf')).toEqual({ kind: 'key', name: 'wordRight' });
  expect(name('\u001bd')).toEqual({ kind: 'key', name: 'killWordRight' });
  expect(name('\u001b\u007f')).toEqual({ kind: 'key', name: 'killWordLeft' });
  expect(name('\u001b\r')).toEqual({ kind: 'key', name: 'newline' });
  expect(name('\u001b[1;5C')).toEqual({ kind: 'key', name: 'wordRight' });
  expect(name('\u001b')).toEqual({ kind: 'key', name: 'escape' });
  expect(decodeKeys('\u001b[15~')).toEqual([]);
});
