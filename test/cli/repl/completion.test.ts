import { commonPrefix, complete, completionText, type CompletionNames } from '../../../src/cli/repl/completion.js';

const names: CompletionNames = {
  sources: ['PAGES', 'PAGEVIEWS', 'USERS'],
  columns: new Map([
    ['PAGES', ['ID', 'URL']],
    ['PAGEVIEWS', ['VIEWTIME', 'USERID', 'PAGEID']],
    ['USERS', ['USERID', 'REGION']],
  ]),
  functions: ['UCASE', 'UNIX_TIMESTAMP', 'LCASE'],
  properties: ['auto.offset.reset', 'ksql.service.id'],
  topics: ['pages', 'pageviews', 'users'],
};

const texts = (text: string, cursor = text.length) => complete(text, cursor, names).candidates.map((c) => c.text);

test('at the start: CLI commands and statement keywords, in the case typed', () => {
  expect(texts('SH')).toEqual(['SHOW']);
  expect(texts('s')).toEqual(['spool', 'select', 'set', 'show']);
  expect(texts('hi')).toEqual(['history']);
});

test('after FROM, JOIN, DESCRIBE: source names', () => {
  expect(texts('SELECT * FROM PAG')).toEqual(['PAGES', 'PAGEVIEWS']);
  expect(texts('select * from pages p join us')).toEqual(['users']);
  expect(texts('DESCRIBE EXTENDED U')).toEqual(['USERS']);
});

test('in a statement: the columns of the sources it names, sources, keywords, functions', () => {
  expect(texts('SELECT U FROM PAGES;', 'SELECT U'.length)).toEqual(['URL', 'USERS', 'UNDEFINE', 'UNSET', 'UCASE', 'UNIX_TIMESTAMP']);
  // No source named yet: every source's columns.
  expect(texts('SELECT REG')).toEqual(['REGION']);
  expect(texts('SELECT p. FROM PAGES p', 'SELECT p.'.length)).toEqual(['ID', 'URL']);
});

test('inside quotes: properties after SET, topics otherwise; the quote is closed', () => {
  expect(texts("SET 'auto")).toEqual(['auto.offset.reset']);
  expect(texts("CREATE STREAM x WITH (KAFKA_TOPIC='page")).toEqual(['pages', 'pageviews']);
  const c = complete("SET 'auto", 9, names);
  expect(completionText(c.candidates[0]!, c.prefix, c.quoted)).toBe("auto.offset.reset'");
});

test('after PRINT: topics; after SHOW: what can be shown', () => {
  expect(texts('PRINT pa')).toEqual(['pages', 'pageviews']);
  expect(texts('SHOW T')).toEqual(['TABLES', 'TOPICS', 'TYPES']);
});

test('only the statement being typed counts', () => {
  expect(texts("SELECT * FROM PAGES; SELECT 'x;' FROM US")).toEqual(['USERS']);
});

test('what a single candidate inserts: a space after keywords, ( after functions, nothing after names', () => {
  expect(completionText({ text: 'SELECT', kind: 'keyword' }, 'SEL', false)).toBe('SELECT ');
  expect(completionText({ text: 'SELECT', kind: 'keyword' }, 'sel', false)).toBe('select ');
  expect(completionText({ text: 'UCASE', kind: 'function' }, 'UC', false)).toBe('UCASE(');
  expect(completionText({ text: 'PAGES', kind: 'source' }, 'PA', false)).toBe('PAGES');
});

test('several candidates share a longer start', () => {
  expect(commonPrefix([{ text: 'PAGES', kind: 'source' }, { text: 'PAGEVIEWS', kind: 'source' }], 'P', false)).toBe('PAGE');
  expect(commonPrefix([{ text: 'PAGES', kind: 'source' }, { text: 'PAGEVIEWS', kind: 'source' }], 'p', false)).toBe('page');
});
