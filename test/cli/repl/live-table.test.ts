import { LiveTable, columnWidths, wrapCell } from '../../../src/cli/repl/live-table.js';
import { RowPrinter } from '../../../src/cli/render/rows.js';

const cut = { wrap: false, columnWidth: 0 };

test('with default settings the table is the non-interactive printer\u2019s', () => {
  const t = new LiveTable(['ID', 'URL'], { width: 40, ...cut });
  const p = new RowPrinter(['ID', 'URL'], { width: 40 });
  expect(t.header()).toBe(p.header());
  expect(t.row(['1', 'x'.repeat(50)])).toBe(p.row(['1', 'x'.repeat(50)]));
});

test('columns share the width; values too long end in an ellipsis', () => {
  const t = new LiveTable(['A', 'B'], { width: 21, ...cut });
  expect(t.header()).toBe('+---------+---------+\n|A        |B        |\n+---------+---------+\n');
  expect(t.row(['short', 'a value too long'])).toBe('|short    |a value …|\n');
  expect(t.row(['two\nlines', ''])).toBe('|two lines|         |\n');
});

test('a header longer than its share widens its column only while the table fits', () => {
  expect(columnWidths(['A', 'LONG_HEADER'], { width: 30, ...cut })).toEqual([13, 13]);
  expect(columnWidths(['A', 'A_VERY_LONG_HEADER_NAME'], { width: 30, ...cut })).toEqual([13, 13]);
  expect(columnWidths(['A', 'LONGER_HEADER'], { width: 40, ...cut })).toEqual([18, 18]);
  expect(columnWidths(['A', 'B'.repeat(20)], { width: 40, ...cut })).toEqual([18, 18]);
  expect(columnWidths(['A', 'B'.repeat(20)], { width: 50, ...cut })).toEqual([23, 23]);
  expect(columnWidths(['A', 'B'.repeat(25)], { width: 50, ...cut })).toEqual([23, 23]);
  expect(columnWidths(['A', 'B'.repeat(25)], { width: 52, ...cut })).toEqual([24, 25]);
});

test('COLUMN-WIDTH gives every column that width', () => {
  expect(columnWidths(['A', 'B', 'C'], { width: 100, wrap: false, columnWidth: 7 })).toEqual([7, 7, 7]);
});

test('WRAP ON: a long value takes several lines in its cell', () => {
  const t = new LiveTable(['K', 'V'], { width: 100, wrap: true, columnWidth: 6 });
  expect(t.row(['1', 'hello wide world'])).toBe('|1     |hello |\n|      |wide  |\n|      |world |\n');
  expect(wrapCell('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  expect(wrapCell('a\nb', 4)).toEqual(['a', 'b']);
});
