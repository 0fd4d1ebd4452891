import { compileJavaRegex, findAll, javaReplaceAll, javaSplit, splitKeepingEmpty } from '../../src/functions/regex.js';

const matches = (pattern: string, input: string) => [...findAll(compileJavaRegex(pattern), input)].map((m) => m.groups[0]);

describe('compileJavaRegex', () => {
  it('counts capturing groups', () => {
    expect(compileJavaRegex('(a)(?:b)(?<c>c)').groupCount).toBe(2);
    expect(compileJavaRegex('\\(x\\)').groupCount).toBe(0);
  });

  it('keeps Java meanings of ., $, \\s and friends', () => {
    expect(matches('.', 'a\u0085b')).toEqual(['a', 'b']);
    expect(matches('(?s).', 'a\u0085')).toEqual(['a', '\u0085']);
    expect(matches('\\s', 'a b\u00a0c')).toEqual([' ']);
    expect(matches('a$', 'a\na')).toEqual(['a']);
    expect(matches('(?m)a$', 'a\na')).toEqual(['a', 'a']);
    expect(matches('\\Aa', 'aa')).toEqual(['a']);
    expect(matches('a\\Z', 'a\n')).toEqual(['a']);
    expect(matches('\\Q.*\\E', 'x.*y')).toEqual(['.*']);
    expect(matches('[\\Q]\\E]', 'a]')).toEqual([']']);
    expect(matches('\\p{Alpha}+', 'ab1c')).toEqual(['ab', 'c']);
    expect(matches('\\P{Digit}+', 'ab1c')).toEqual(['ab', 'c']);
    expect(matches('\\p{L}+', 'né1')).toEqual(['né']);
    expect(matches('[\\p{Lower}\\d]+', 'aB1')).toEqual(['a', '1']);
    expect(matches('\\h', 'a\tb')).toEqual(['\t']);
    expect(matches('\\R', 'a\r\nb')).toEqual(['\r\n']);
    expect(matches('\\x{41}', 'A')).toEqual(['A']);
    expect(matches('\\0101', 'A')).toEqual(['A']);
    expect(matches('(?x) a b # comment', 'ab')).toEqual(['ab']);
    expect(matches('a(?i:B)', 'ab')).toEqual(['ab']);
    expect(matches('a++b', 'aab')).toEqual(['aab']);
  });

  it('moves on by one char after an empty match', () => {
    expect(matches('x*', 'axb')).toEqual(['', 'x', '', '']);
  });

  it('rejects what JavaScript cannot express', () => {
    expect(() => compileJavaRegex('\\Ga')).toThrow(SyntaxError);
    expect(() => compileJavaRegex('[a-z&&[^b]]')).toThrow(SyntaxError);
    expect(() => compileJavaRegex('(')).toThrow(SyntaxError);
  });
});

describe('javaReplaceAll', () => {
  const p = compileJavaRegex('(a)(b)?');
  it('understands $n, ${name} and backslash escapes', () => {
    expect(javaReplaceAll(p, 'xaby', '[$1$2]')).toBe('x[ab]y');
    expect(javaReplaceAll(p, 'xay', '[$2]')).toBe('x[]y');
    expect(javaReplaceAll(p, 'xay', '\\$1')).toBe('x$1y');
    expect(javaReplaceAll(p, 'xay', '$12')).toBe('xa2y');
    expect(javaReplaceAll(compileJavaRegex('(?<w>a)'), 'xay', '${w}${w}')).toBe('xaay');
    expect(() => javaReplaceAll(p, 'a', '$3')).toThrow('No group 3');
    expect(() => javaReplaceAll(p, 'a', '$')).toThrow(/group index is missing/);
    expect(() => javaReplaceAll(p, 'a', 'x\\')).toThrow(/character to be escaped is missing/);
  });
});

describe('splitting', () => {
  it('splits like String.split and like Guava', () => {
    expect(javaSplit(compileJavaRegex(','), 'a,b,,')).toEqual(['a', 'b']);
    expect(javaSplit(compileJavaRegex(''), 'ab')).toEqual(['a', 'b']);
    expect(javaSplit(compileJavaRegex(','), '')).toEqual(['']);
    expect(splitKeepingEmpty(compileJavaRegex(','), ',a,,')).toEqual(['', 'a', '', '']);
  });
});
