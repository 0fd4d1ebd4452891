import { highlight } from '../../../src/cli/repl/highlight.js';
import { inputLines } from '../../../src/cli/repl/input-view.js';

const kinds = (text: string) => highlight(text).map((s) => `${s.kind}:${s.text}`);

test('keywords, strings, numbers, comments and function calls', () => {
  expect(kinds("SELECT UCASE(url), 42 FROM pages WHERE x = 'a;b' -- note")).toEqual([
    'keyword:SELECT',
    'plain: ',
    'function:UCASE',
    'plain:(url), ',
    'number:42',
    'plain: ',
    'keyword:FROM',
    'plain: pages ',
    'keyword:WHERE',
    'plain: x = ',
    "string:'a;b'",
    'plain: ',
    'comment:-- note',
  ]);
});

test('the segments give back the text', () => {
  const text = "CREATE STREAM s (id INT KEY) WITH (KAFKA_TOPIC='t');\n/* c */ `Quoted` ${v} 1.5e3";
  expect(highlight(text).map((s) => s.text).join('')).toBe(text);
});

test('an unclosed string or block comment colours the rest of the input', () => {
  expect(kinds("SELECT 'abc FROM x")).toEqual(['keyword:SELECT', 'plain: ', "string:'abc FROM x"]);
  expect(kinds('SELECT /* abc')).toEqual(['keyword:SELECT', 'plain: ', 'comment:/* abc']);
});

test('a source declared with columns is not a function call; a column called ID is a name', () => {
  expect(kinds('CREATE STREAM pages (id INT)')).toContain('plain: pages (id INT)');
  expect(kinds('INSERT INTO t (a) VALUES (1)')).not.toContain('function:t');
});

test('input lines carry the cursor on one character, or a space at a line end', () => {
  const lines = inputLines('SELECT\n1;', 3);
  expect(lines).toEqual([
    [
      { text: 'SEL', kind: 'keyword' },
      { text: 'E', kind: 'keyword', cursor: true },
      { text: 'CT', kind: 'keyword' },
    ],
    [
      { text: '1', kind: 'number' },
      { text: ';', kind: 'plain' },
    ],
  ]);
  expect(inputLines('ab\ncd', 2)[0]).toEqual([
    { text: 'ab', kind: 'plain' },
    { text: ' ', kind: 'plain', cursor: true },
  ]);
  expect(inputLines('', 0)).toEqual([[{ text: ' ', kind: 'plain', cursor: true }]]);
  expect(inputLines('a\n', 2)).toEqual([[{ text: 'a', kind: 'plain' }], [{ text: ' ', kind: 'plain', cursor: true }]]);
});
