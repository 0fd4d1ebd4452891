import { FunctionValueError } from '../../src/functions/index.js';
import { base64, bytes, fn, resolve, t } from './calls.js';

/** Evaluates to what the runtime would produce: a failed call is NULL. */
function orNull(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof FunctionValueError) return null;
    throw e;
  }
}

describe('LCASE, UCASE, TRIM, SUBSTRING (string.json)', () => {
  const lcase = fn('LCASE', 'STRING');
  const ucase = fn('UCASE', 'STRING');
  const trim = fn('TRIM', 'STRING');
  const substring = fn('SUBSTRING', 'STRING', 'INTEGER', 'INTEGER');
  it.each([
    ['lower', 'lower', 'LOWER', 'lower', 'ower'],
    ['MiXeD', 'mixed', 'MIXED', 'MiXeD', 'iXeD'],
    [' \t with white space \t', ' \t with white space \t', ' \t WITH WHITE SPACE \t', 'with white space', '\t wit'],
    ['s', 's', 'S', 's', ''],
    ['long enough', 'long enough', 'LONG ENOUGH', 'long enough', 'ong e'],
  ])('%j', (input, lower, upper, trimmed, sub) => {
    expect(lcase(input)).toBe(lower);
    expect(ucase(input)).toBe(upper);
    expect(trim(input)).toBe(trimmed);
    expect(substring(input, 2, 5)).toBe(sub);
  });
});

describe('SUBSTRING (substring.json)', () => {
  it('takes the rest of the string from a position', () => {
    const sub = fn('SUBSTRING', 'STRING', 'INTEGER');
    expect(sub('some_string', 6)).toBe('string');
    expect(sub('another', 6)).toBe('er');
    expect(sub('short', 6)).toBe('');
    expect(sub(null, 1)).toBeNull();
    expect(fn('SUBSTRING', 'STRING', null)('some_string', null)).toBeNull();
  });

  it('counts negative positions from the end and clamps', () => {
    const sub = fn('SUBSTRING', 'STRING', 'INTEGER', 'INTEGER');
    expect(sub('some string', 0, 2)).toBe('so');
    expect(sub('some string', -6, 3)).toBe('str');
    expect(sub('abc', -10, 2)).toBe('ab');
    expect(sub('abc', 2, -1)).toBe('');
  });

  it('cuts bytes the same way', () => {
    const sub = fn('SUBSTRING', 'BYTES', 'INTEGER', 'INTEGER');
    expect(base64(sub(bytes('c29tZV9zdHJpbmc='), 6, 3))).toBe('c3Ry');
    expect(base64(sub(bytes('YW5vdGhlcg=='), 6, 3))).toBe('ZXI=');
    expect(base64(sub(bytes('c2hvcnQ='), 6, 3))).toBe('');
    expect(fn('SUBSTRING', 'BYTES', 'INTEGER', null)(bytes('c2hvcnQ='), 6, null)).toBeNull();
  });
});

describe('CONCAT and CONCAT_WS (concat.json, chr.json)', () => {
  it('skips NULL inputs', () => {
    expect(fn('concat', 'STRING', 'STRING')('"', 'foo\\')).toBe('"foo\\');
    expect(fn('CONCAT', 'STRING', 'STRING', 'STRING', 'STRING')('K', 'S', null, 'L')).toBe('KSL');
    expect(base64(fn('CONCAT', 'BYTES', null, 'BYTES')(bytes('eWVz'), null, bytes('bm8=')))).toBe('eWVzbm8=');
    expect(base64(fn('CONCAT', 'BYTES', null, 'BYTES')(bytes(''), null, bytes('bm8=')))).toBe('bm8=');
  });

  it('joins with a separator, skipping NULLs; a NULL separator gives NULL', () => {
    const ws = fn('CONCAT_WS', 'STRING', 'STRING', 'STRING', 'STRING', null, 'STRING');
    expect(ws('SEP', 'foo', 'bar', 'baz', null, 'literal')).toBe('fooSEPbarSEPbazSEPliteral');
    expect(ws('SEP', 'foo', null, 'baz', null, 'literal')).toBe('fooSEPbazSEPliteral');
    expect(ws('SEP', null, null, null, null, 'literal')).toBe('literal');
    expect(ws(null, 'foo', 'bar', 'baz', null, 'literal')).toBeNull();
  });

  it('joins bytes with a separator', () => {
    const ws = fn('CONCAT_WS', 'BYTES', 'BYTES', 'BYTES', null, 'BYTES');
    expect(base64(ws(bytes('YQ=='), bytes('Yg=='), bytes('eWVz'), null, bytes('bm8=')))).toBe('YmF5ZXNhbm8=');
    expect(base64(ws(bytes('YQ=='), bytes('Yg=='), bytes(''), null, bytes('bm8=')))).toBe('YmFhbm8=');
    expect(base64(ws(bytes('YQ=='), null, null, null, null))).toBe('');
    expect(ws(null, bytes('Yg=='), bytes('eWVz'), null, bytes('bm8='))).toBeNull();
  });

  it('needs a separator and at least one value', () => {
    expect(orNull(() => fn('CONCAT_WS', 'STRING')('x'))).toBeNull();
  });
});

describe('LEN (len.json)', () => {
  it('counts UTF-16 units of strings and bytes of bytes', () => {
    expect(fn('LEN', 'STRING')('ABC')).toBe(3);
    expect(fn('LEN', 'STRING')('')).toBe(0);
    expect(fn('LEN', 'STRING')(null)).toBeNull();
    expect(fn('LEN', 'BYTES')(bytes('YWJj'))).toBe(3);
  });
});

describe('INITCAP (initcap.json)', () => {
  it('capitalizes each whitespace-delimited word', () => {
    const initcap = fn('INITCAP', 'STRING');
    expect(initcap('some_string')).toBe('Some_string');
    expect(initcap('the   Quick br0wn fOx')).toBe('The   Quick Br0wn Fox');
    expect(initcap(null)).toBeNull();
    expect(initcap('  leading')).toBe('Leading');
  });
});

describe('CHR (chr.json)', () => {
  it('converts code points', () => {
    const chr = fn('CHR', 'INTEGER');
    expect(chr(75)).toBe('K');
    expect(chr(22909)).toBe('\u597d');
    expect(chr(99000)).toBe('\ud820\udeb8');
    expect(chr(-1)).toBeNull();
    expect(chr(null)).toBeNull();
  });

  it('unescapes \\u codes', () => {
    const chr = fn('CHR', 'STRING');
    expect(chr('\\u004b')).toBe('K');
    expect(chr('\\u597d')).toBe('\u597d');
    expect(chr('\\ud820\\udeb8')).toBe('\ud820\udeb8');
    for (const bad of ['75', '004b', 'bogus', '', null]) expect(chr(bad)).toBeNull();
  });
});

describe('ELT and FIELD (elt-field.json)', () => {
  const field = fn('FIELD', 'STRING', 'STRING', 'STRING');
  const elt = fn('ELT', 'INTEGER', 'STRING', 'STRING');
  it.each([
    ['hello', 'world', 1, 'hello'],
    [null, 'world', 0, null],
    ['world', 'hello', 2, 'hello'],
    [null, null, 0, null],
  ])('%j %j', (a, b, pos, hello) => {
    expect(field('hello', a, b)).toBe(pos);
    expect(elt(pos, a, b)).toBe(hello);
  });

  it('finds nothing for a NULL string', () => {
    expect(field(null, 'a', null)).toBe(0);
  });
});

describe('INSTR (instr.json)', () => {
  it('finds substrings from a position, an occurrence, or backwards', () => {
    expect(fn('INSTR', 'STRING', 'STRING')('corporate floor', 'or')).toBe(2);
    expect(fn('INSTR', 'STRING', 'STRING')('should I stay or should I go', 'or')).toBe(15);
    expect(fn('INSTR', 'STRING', 'STRING')('short', 'or')).toBe(3);
    expect(fn('INSTR', 'STRING', 'STRING')('no substring', 'or')).toBe(0);
    expect(fn('INSTR', 'STRING', 'STRING', 'INTEGER')('corporate floor', 'or', 4)).toBe(5);
    expect(fn('INSTR', 'STRING', 'STRING', 'INTEGER')('short', 'or', 4)).toBe(0);
    expect(fn('INSTR', 'STRING', 'STRING', 'INTEGER', 'INTEGER')('corporate floor', 'or', 4, 2)).toBe(14);
    expect(fn('INSTR', 'STRING', 'STRING', 'INTEGER', 'INTEGER')('short', 'or', 4, 2)).toBe(0);
    expect(fn('INSTR', 'STRING', 'STRING', 'INTEGER')('corporate floor', 'or', -4)).toBe(5);
    expect(fn('INSTR', 'STRING', 'STRING', 'INTEGER')('short', 'or', -4)).toBe(0);
    expect(fn('INSTR', 'STRING', 'STRING', 'INTEGER', 'INTEGER')('corporate floor', 'or', -4, 2)).toBe(2);
    expect(fn('INSTR', 'STRING', 'STRING', 'INTEGER', 'INTEGER')('CORPORATE FLOOR', 'OR', 3, 2)).toBe(14);
  });

  it('returns 0 for NULL strings but fails for NULL positions', () => {
    expect(fn('INSTR', 'STRING', 'STRING')(null, 'or')).toBe(0);
    expect(orNull(() => fn('INSTR', 'STRING', 'STRING', 'INTEGER')('abc', 'b', null))).toBeNull();
  });
});

describe('SPLIT (split.json)', () => {
  const split = fn('SPLIT', 'STRING', 'STRING');
  const splitBytes = fn('SPLIT', 'BYTES', 'BYTES');
  const utf8 = (s: string) => Uint8Array.from(Buffer.from(s, 'utf8'));
  it.each([
    ['.', 'a.b.c', ['a', 'b', 'c']],
    ['.', '.abc.', ['', 'abc', '']],
    ['.', '..a..', ['', '', 'a', '', '']],
    ['.', 'abc', ['abc']],
    ['.', '', ['']],
    ['$$', 'a$$b.c', ['a', 'b.c']],
    ['$$', '.abc$$', ['.abc', '']],
    ['$$', '.$$a..', ['.', 'a..']],
    ['', 'a.b.c', ['a', '.', 'b', '.', 'c']],
    ['', '', ['']],
  ])('split on %j: %j', (delimiter, input, expected) => {
    expect(split(input, delimiter)).toEqual(expected);
    expect(base64(splitBytes(utf8(input), utf8(delimiter)))).toEqual(expected.map((s) => Buffer.from(s).toString('base64')));
  });

  it('returns NULL for NULL inputs', () => {
    expect(split(null, '.')).toBeNull();
    expect(split('a', null)).toBeNull();
  });
});

describe('REGEXP_SPLIT_TO_ARRAY (split.json)', () => {
  it('splits on a Java regular expression', () => {
    const split = fn('REGEXP_SPLIT_TO_ARRAY', 'STRING', 'STRING');
    expect(split('aabcda', '(ab|cd)')).toEqual(['a', '', 'a']);
    expect(split('aabdcda', '(ab|cd)')).toEqual(['a', 'd', 'a']);
    expect(split('zxy', '(ab|cd)')).toEqual(['zxy']);
    expect(split(null, '(ab|cd)')).toBeNull();
    expect(split('zxy', null)).toBeNull();
    expect(split('abc', '')).toEqual(['a', 'b', 'c']);
    // Java's String.split: an empty match right after a match still splits.
    expect(split('a1b22c', '\\d*')).toEqual(['a', '', 'b', '', 'c']);
  });
});

describe('REGEXP_REPLACE, REGEXP_EXTRACT, REGEXP_EXTRACT_ALL (replace.json, regex.json)', () => {
  it('replaces every match', () => {
    const replace = fn('REGEXP_REPLACE', 'STRING', 'STRING', 'STRING');
    expect(replace('baababaa', '(ab)+', 'cat')).toBe('bacataa');
    expect(replace('baabbabaa', '(ab)+', 'cat')).toBe('bacatbcataa');
    expect(replace(null, '(ab)+', 'cat')).toBeNull();
    expect(replace('baababaa', null, 'cat')).toBeNull();
  });

  it('uses Java replacement syntax', () => {
    const replace = fn('REGEXP_REPLACE', 'STRING', 'STRING', 'STRING');
    expect(replace('john smith', '(\\w+) (\\w+)', '$2, $1')).toBe('smith, john');
    expect(replace('a.b', '\\.', '\\$')).toBe('a$b');
    expect(replace('price', 'p(?<rest>.*)', '${rest}!')).toBe('rice!');
    expect(orNull(() => replace('abc', 'b', '$1'))).toBeNull();
  });

  it('extracts the first match or a group of it', () => {
    const extract = fn('REGEXP_EXTRACT', 'STRING', 'STRING');
    expect(extract('test.', 'some_test_string')).toBe('test_');
    expect(extract('test.', 'anothertest')).toBeNull();
    expect(extract('test.', 'testa')).toBe('testa');
    expect(extract('test.', null)).toBeNull();
    const group = fn('REGEXP_EXTRACT', 'STRING', 'STRING', 'INTEGER');
    expect(group('(.*) (.*)', 'steven zhang', 2)).toBe('zhang');
    expect(group('(.*) (.*)', 'agavra', 2)).toBeNull();
    expect(group('(.*) (.*)', 'a b', 3)).toBeNull();
  });

  it('extracts all matches', () => {
    const all = fn('REGEXP_EXTRACT_ALL', 'STRING', 'STRING');
    expect(all('test.', 'some_test_string_testabab')).toEqual(['test_', 'testa']);
    expect(all('test.', 'anothertest')).toEqual([]);
    expect(all('test.', null)).toBeNull();
    expect(fn('REGEXP_EXTRACT_ALL', 'STRING', 'STRING', 'INTEGER')('(\\w+) (\\w+)', 'hello there nice day', 2)).toEqual(['there', 'day']);
  });

  it('fails on invalid patterns', () => {
    expect(orNull(() => fn('REGEXP_EXTRACT', 'STRING', 'STRING')('(', 'x'))).toBeNull();
  });

  it('follows Java rather than JavaScript where they differ', () => {
    const extract = fn('REGEXP_EXTRACT', 'STRING', 'STRING');
    expect(extract('\\Qa.b\\E', 'xa.by')).toBe('a.b');
    expect(extract('\\s+', 'a\u00a0 b')).toBe(' ');
    expect(extract('(?i)ABC', 'xabc')).toBe('abc');
    expect(extract('\\p{Upper}+', 'abCDe')).toBe('CD');
    expect(extract('\\p{Lu}+', 'abÉCe')).toBe('ÉC');
    expect(extract('b$', 'ab\n')).toBe('b');
    expect(extract('a\\z', 'a\n')).toBeNull();
    expect(extract('x*+y', 'xxy')).toBe('xxy');
  });
});

describe('REPLACE', () => {
  it('replaces literally, including $ signs', () => {
    const replace = fn('REPLACE', 'STRING', 'STRING', 'STRING');
    expect(replace('a.b.c', '.', '$&')).toBe('a$&b$&c');
    expect(replace('abc', '', '-')).toBe('-a-b-c-');
    expect(replace(null, 'a', 'b')).toBeNull();
  });
});

describe('LPAD and RPAD (string-lpad-rpad.json, bytes-lpad-rpad.json)', () => {
  it('pads strings', () => {
    expect(fn('LPAD', 'STRING', 'INTEGER', 'STRING')('foo', 7, 'Bar')).toBe('BarBfoo');
    const rpad = fn('RPAD', 'STRING', 'INTEGER', 'STRING');
    expect(rpad('foo', 7, 'Bar')).toBe('fooBarB');
    expect(rpad('foo', 5, 'Bar')).toBe('fooBa');
    expect(rpad('foo', 2, 'Bar')).toBe('fo');
    expect(rpad('foo', -1, 'Bar')).toBeNull();
    expect(rpad('foo', 5, null)).toBeNull();
    expect(rpad('foo', null, 'Bar')).toBeNull();
    expect(rpad(null, -5, 'Bar')).toBeNull();
    expect(rpad('foo', 7, '')).toBeNull();
    expect(rpad('', 7, 'Bar')).toBe('BarBarB');
    expect(fn('LPAD', 'STRING', 'INTEGER', 'STRING')('123', 5, '0')).toBe('00123');
  });

  it('pads bytes', () => {
    const lpad = fn('LPAD', 'BYTES', 'INTEGER', 'BYTES');
    const yes = bytes('eWVz');
    const no = bytes('bm8=');
    expect(base64(lpad(yes, 8, no))).toBe('bm9ub255ZXM=');
    expect(base64(lpad(yes, 5, no))).toBe('bm95ZXM=');
    expect(base64(lpad(yes, 3, no))).toBe('eWVz');
    expect(base64(lpad(yes, 2, no))).toBe('eWU=');
    expect(base64(lpad(yes, 0, no))).toBe('');
    expect(lpad(yes, -1, no)).toBeNull();
    expect(lpad(yes, 3, bytes(''))).toBeNull();
    expect(lpad(null, 8, no)).toBeNull();
    expect(base64(fn('RPAD', 'BYTES', 'INTEGER', 'BYTES')(yes, 8, no))).toBe(Buffer.from('yesnonon').toString('base64'));
  });
});

describe('MASK functions', () => {
  it('masks with the default characters (documented examples)', () => {
    expect(fn('MASK', 'STRING')('My Test $123')).toBe('Xx-Xxxx--nnn');
    expect(fn('MASK_KEEP_LEFT', 'STRING', 'INTEGER')('My Test $123', 4)).toBe('My Txxx--nnn');
    expect(fn('MASK_KEEP_RIGHT', 'STRING', 'INTEGER')('My Test $123', 4)).toBe('Xx-Xxxx-$123');
    expect(fn('MASK_LEFT', 'STRING', 'INTEGER')('My Test $123', 4)).toBe('Xx-Xest $123');
    expect(fn('MASK_RIGHT', 'STRING', 'INTEGER')('My Test $123', 4)).toBe('My Test -nnn');
  });

  it('leaves characters whose mask is NULL alone', () => {
    expect(fn('MASK', 'STRING', 'STRING', null, 'STRING', null)('My Test $123', '*', null, '1', null)).toBe('*y *est $111');
    expect(fn('MASK_LEFT', 'STRING', 'INTEGER', 'STRING', 'STRING', 'STRING', 'STRING')('AbC1', 3, 'U', 'l', 'd', 'o')).toBe('UlU1');
  });

  it('rejects bad mask characters and negative counts', () => {
    expect(orNull(() => fn('MASK', 'STRING', 'STRING', 'STRING', 'STRING', 'STRING')('a', 'XX', 'x', 'n', '-'))).toBeNull();
    expect(orNull(() => fn('MASK_LEFT', 'STRING', 'INTEGER')('abc', -1))).toBeNull();
    expect(fn('MASK_LEFT', 'STRING', 'INTEGER')(null, 2)).toBeNull();
  });
});

describe('ENCODE (encode.json)', () => {
  const hex = (to: string) => fn('ENCODE', 'STRING', 'STRING', 'STRING');
  it.each([
    ['4578616d706C6521', 'Example!', 'Example!', 'RXhhbXBsZSE='],
    ['ce95cebbcebbceacceb4ceb1', '\ufffd'.repeat(12), '\u0395\u03bb\u03bb\u03ac\u03b4\u03b1', 'zpXOu867zqzOtM6x'],
    ['c39c6265726d656e736368', '\ufffd\ufffdbermensch', '\u00dcbermensch', 'w5xiZXJtZW5zY2g='],
    ['0x4578616d706C6521', 'Example!', 'Example!', 'RXhhbXBsZSE='],
    ["X'4578616d706C6521'", 'Example!', 'Example!', 'RXhhbXBsZSE='],
    ["x'4578616d706C6521'", 'Example!', 'Example!', 'RXhhbXBsZSE='],
    ['0x', '', '', ''],
    ["X''", '', '', ''],
    ['0x0x', null, null, null],
    ["X'", null, null, null],
    ["x'4578616d706C6521", null, null, null],
    ["x'578616d706C6521'", null, null, null],
    ['0x578616d706C6521', '\u0005xample!', '\u0005xample!', 'BXhhbXBsZSE='],
    ['578616d706C6521', null, null, null],
  ])('from hex %j', (input, ascii, utf8, b64) => {
    const encode = hex('');
    expect(orNull(() => encode(input, 'hex', 'ascii'))).toBe(ascii);
    expect(orNull(() => encode(input, 'hex', 'utf8'))).toBe(utf8);
    expect(orNull(() => encode(input, 'hex', 'base64'))).toBe(b64);
  });

  it('from ascii and base64', () => {
    const encode = fn('ENCODE', 'STRING', 'STRING', 'STRING');
    expect(encode('Example!', 'ascii', 'hex')).toBe('4578616d706c6521');
    expect(encode('\u0395\u03bb\u03bb\u03ac\u03b4\u03b1', 'ascii', 'hex')).toBe('3f3f3f3f3f3f');
    expect(encode('\u0395\u03bb\u03bb\u03ac\u03b4\u03b1', 'ascii', 'utf8')).toBe('??????');
    expect(encode('\u0395\u03bb\u03bb\u03ac\u03b4\u03b1', 'ascii', 'base64')).toBe('Pz8/Pz8/');
    expect(encode('zpXOu867zqzOtM6x', 'base64', 'hex')).toBe('ce95cebbcebbceacceb4ceb1');
    expect(encode('zpXOu867zqzOtM6x', 'base64', 'utf8')).toBe('\u0395\u03bb\u03bb\u03ac\u03b4\u03b1');
    expect(encode('RXhhbXBsZSE=', 'BASE64', 'ascii')).toBe('Example!');
    expect(encode(null, 'base64', 'ascii')).toBeNull();
  });

  it('fails for unknown encodings', () => {
    expect(orNull(() => fn('ENCODE', 'STRING', 'STRING', 'STRING')('RXhhbXBsZSE=', 'base64', 'null'))).toBeNull();
  });
});

describe('TO_BYTES and FROM_BYTES (bytes-and-strings.json)', () => {
  const from = fn('FROM_BYTES', 'BYTES', 'STRING');
  const to = fn('TO_BYTES', 'STRING', 'STRING');
  it('round-trips hex, upper-casing it', () => {
    expect(from(bytes('IQ=='), 'hex')).toBe('21');
    expect(base64(to('21', 'hex'))).toBe('IQ==');
    expect(base64(to('1aB2', 'hex'))).toBe('GrI=');
    expect(from(to('1aB2', 'hex'), 'hex')).toBe('1AB2');
  });

  it('handles ascii, utf8 and base64', () => {
    expect(from(bytes('IQ=='), 'ascii')).toBe('!');
    expect(from(bytes('Iw=='), 'utf8')).toBe('#');
    expect(from(bytes('IQ=='), 'base64')).toBe('IQ==');
    expect(base64(to('IQ==', 'base64'))).toBe('IQ==');
    expect(base64(to('hello', 'ascii'))).toBe('aGVsbG8=');
  });

  it('writes long base64 in MIME lines', () => {
    expect(from(new Uint8Array(60), 'base64')).toBe(`${'A'.repeat(76)}\r\n${'A'.repeat(4)}`);
  });

  it('returns NULL for NULL values and fails for unknown encodings', () => {
    expect(from(null, 'hex')).toBeNull();
    expect(to(null, null)).toBeNull();
    expect(orNull(() => to('x', 'ebcdic'))).toBeNull();
    expect(orNull(() => to('abc', 'hex'))).toBeNull();
  });
});

describe('UUID and MD5 (md5.json)', () => {
  it('makes random version-4 UUIDs', () => {
    expect(fn('UUID')()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('formats 16 bytes as a UUID', () => {
    const uuid = fn('UUID', 'BYTES');
    expect(uuid(Uint8Array.from(Buffer.from('237e9877e79b12d4a765321741963000', 'hex')))).toBe('237e9877-e79b-12d4-a765-321741963000');
    expect(uuid(new Uint8Array(3))).toBeNull();
  });

  it('hashes UTF-8 text', () => {
    const md5 = fn('MD5', 'STRING');
    expect(md5('r1')).toBe('7c92cf1eee8d99cc85f8355a3d6e4b86');
    expect(md5('r2')).toBe('d279186428a75016b17e4df5ea43d080');
    expect(md5('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5(' ')).toBe('7215ee9c7d9dc229d2921a40e899ec5f');
    expect(md5('  ')).toBe('23b58def11b45727d3351702515f86af');
    expect(md5(null)).toBeNull();
  });
});

describe('types', () => {
  it('returns ksqlDB result types', () => {
    expect(resolve('SPLIT', 'BYTES', 'BYTES').returnType).toEqual(t('ARRAY<BYTES>'));
    expect(resolve('REGEXP_EXTRACT_ALL', 'STRING', 'STRING').returnType).toEqual(t('ARRAY<STRING>'));
    expect(resolve('INSTR', 'STRING', 'STRING').returnType).toEqual(t('INTEGER'));
    expect(resolve('TO_BYTES', 'STRING', 'STRING').returnType).toEqual(t('BYTES'));
  });
});
