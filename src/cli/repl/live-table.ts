/**
 * The live table of a transient query, in ksqlDB's CLI layout, sized to the
 * terminal: columns share its width equally (or take COLUMN-WIDTH each);
 * a value too long is cut with an ellipsis, or wrapped inside its cell when
 * WRAP is ON.
 *
 *     +-----------+-----------+
 *     |ID         |NAME       |
 *     +-----------+-----------+
 *     |1          |alice      |
 */

export interface LiveTableOptions {
  /** Terminal width. */
  readonly width: number;
  /** Wrap long values inside their cell instead of cutting them. */
  readonly wrap: boolean;
  /** Width of every column; 0 shares the terminal width. */
  readonly columnWidth: number;
}

export class LiveTable {
  readonly widths: readonly number[];

  constructor(
    private readonly columns: readonly string[],
    private readonly options: LiveTableOptions,
  ) {
    this.widths = columnWidths(columns, options);
  }

  rule(): string {
    return `+${this.widths.map((w) => '-'.repeat(w)).join('+')}+\n`;
  }

  header(): string {
    return `${this.rule()}${this.lines(this.columns)}${this.rule()}`;
  }

  /** One row: one line, or several when WRAP is ON and a value does not fit. */
  row(cells: readonly string[]): string {
    return this.lines(cells);
  }

  private lines(cells: readonly string[]): string {
    if (!this.options.wrap) return `|${cells.map((c, i) => fit(c, this.widths[i] as number)).join('|')}|\n`;
    const wrapped = this.widths.map((w, i) => wrapCell(cells[i] ?? '', w));
    const height = Math.max(1, ...wrapped.map((l) => l.length));
    let out = '';
    for (let line = 0; line < height; line++) {
      out += `|${wrapped.map((l, i) => (l[line] ?? '').padEnd(this.widths[i] as number)).join('|')}|\n`;
    }
    return out;
  }
}

/**
 * Equal shares of the width (at least 4); a header longer than its share
 * widens its column when the table still fits, as ksqlDB's CLI does.
 */
export function columnWidths(columns: readonly string[], options: LiveTableOptions): number[] {
  const n = Math.max(1, columns.length);
  if (options.columnWidth > 0) return columns.map(() => options.columnWidth);
  const each = Math.max(4, Math.floor((options.width - n - 1) / n));
  const widened = columns.map((c) => Math.max(each, c.length));
  const total = widened.reduce((a, b) => a + b, 0) + n + 1;
  return total <= options.width ? widened : columns.map(() => each);
}

/** Pads to the width; a value too long is cut with an ellipsis. */
export function fit(text: string, width: number): string {
  const flat = text.replace(/\r?\n/g, ' ');
  if (flat.length <= width) return flat.padEnd(width);
  return `${flat.slice(0, Math.max(0, width - 1))}…`;
}

/** A value's lines inside a cell: its own line breaks, then breaks at spaces or, failing that, anywhere. */
export function wrapCell(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/\r?\n/)) {
    let rest = para;
    while (rest.length > width) {
      const space = rest.lastIndexOf(' ', width);
      const at = space > 0 ? space : width;
      out.push(rest.slice(0, at));
      rest = rest.slice(space > 0 ? at + 1 : at);
    }
    out.push(rest);
  }
  return out;
}
