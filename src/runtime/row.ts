/** The row that travels between operators, and the shape of an operator's input. */

export interface Row {
  /** Column values at the positions the plan's layout gives. */
  values: unknown[];
  /** Event time (ROWTIME) in epoch milliseconds. */
  timestamp: number;
  /** A table tombstone (or a stream record without a value). */
  deleted: boolean;
  /** The source record had no key bytes. */
  keyNull?: boolean;
  /** The window of a windowed result (or of a windowed source record). */
  window?: { start: number; end: number } | undefined;
  /**
   * A table's regrouped change (table GROUP BY): the row this change replaces, to be
   * retracted from the group. With `deleted`, the change only retracts (`values` is then
   * the replaced row too, which gives the group).
   */
  old?: unknown[];
}

export type RowSink = (row: Row) => void;
