/**
 * A transient query's rows, printed as they arrive, in ksqlDB's CLI layout:
 *
 *     +-----------+-----------+
 *     |ID         |NAME       |
 *     +-----------+-----------+
 *     |1          |alice      |
 */
export interface RowLayoutOptions {
  /** Terminal width: columns share it, as ksqlDB's CLI does. */
  readonly width?: number;
}

export class RowPrinter {
  private readonly widths: number[];

  constructor(
    private readonly columns: readonly string[],
    options: RowLayoutOptions = {},
  ) {
    const total = options.width ?? 120;
    const each = Math.max(4, Math.floor((total - columns.length - 1) / Math.max(1, columns.length)));
    this.widths = columns.map((c) => Math.max(each, c.length));
  }

  private rule(): string {
    return `+${this.widths.map((w) => '-'.repeat(w)).join('+')}+`;
  }

  private line(cells: readonly string[]): string {
    return `|${cells.map((c, i) => fit(c, this.widths[i] as number)).join('|')}|`;
  }

  header(): string {
    return `${this.rule()}\n${this.line(this.columns)}\n${this.rule()}\n`;
  }

  row(cells: readonly string[]): string {
    return `${this.line(cells)}\n`;
  }
}

/** Pads to the width; a value too long is cut with an ellipsis. */
function fit(text: string, width: number): string {
  const flat = text.replace(/\n/g, ' ');
  if (flat.length <= width) return flat.padEnd(width);
  return `${flat.slice(0, Math.max(0, width - 1))}…`;
}
