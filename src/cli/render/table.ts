/**
 * The table ksqlDB's CLI prints for every list (its `Table` class): a header row,
 * a dashed rule, the rows, a dashed rule. Cells are padded by one space and
 * separated by `|`; the rule is as long as a row but never longer than the
 * terminal is wide.
 */
import Table from 'cli-table3';

// No corner characters: with them the rules come out two dashes longer than the rows, and ksqlDB's are exactly as long.
const KSQL_CHARS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '-',
  'bottom-mid': '-',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '-',
  'mid-mid': '-',
  right: '',
  'right-mid': '',
  middle: '|',
} as const;

export interface TableOptions {
  /** Terminal width: the dashed rules are cut to it, as ksqlDB cuts them. Rows are never cut. */
  readonly width?: number | undefined;
}

/** The lines of one table, without line terminators. */
export function tableLines(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  opts: TableOptions = {},
): string[] {
  const table = new Table({
    head: [...head],
    chars: KSQL_CHARS,
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
  });
  for (const row of rows) table.push([...row]);
  const lines = table.toString().split('\n');
  const rule = lines[1] ?? '';
  // cli-table3 draws one rule under an empty table; ksqlDB draws both.
  if (rows.length === 0) lines.push(rule);
  const width = opts.width;
  if (width === undefined || width <= 0 || rule.length <= width) return lines;
  const cut = '-'.repeat(width);
  return lines.map((line) => (isRule(line) ? cut : line));
}

function isRule(line: string): boolean {
  return line.length > 0 && /^-+$/.test(line);
}

/** `Name                 : X`: ksqlDB's `%-20s : %s` label lines. */
export function labelLine(label: string, value: string): string {
  return `${label.padEnd(20)} : ${value}`;
}

/** Lines as printed text: every line ends with a newline, as `println` ends it. */
export function printed(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** Java's String.compareTo (UTF-16 code units), which ksqlDB's table builders sort by. */
export function byJavaString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A statement on one line, as ksqlDB's `getQuerySingleLine()` puts it. */
export function singleLine(sql: string): string {
  return sql.replace(/\r?\n/g, ' ');
}
