/**
 * The table-table join on the key, as Kafka Streams' KTableKTable*Join processors
 * do it. Both sides keep their latest row per key; a change on one side emits the
 * key's result with the other side's current row:
 *
 * - a side that is not outer (both in INNER; the right in LEFT; the left in RIGHT)
 *   emits only while the other side has a row;
 * - an outer side emits even when the other side has none, except for the delete
 *   of a row it never had;
 * - the result is a row when the changed side has one (and the other side has one
 *   or the changed side is outer), or when only the other side has one and it is
 *   outer; otherwise it is a tombstone.
 *
 * The timestamp is the larger of the change's and the other row's. A tombstone's
 * values are the changed side's row (its key columns filled) and the other side's
 * row, so the projection computes its key.
 */
import { storedWindow, type JoinContext, type JoinSinks, type RowWindow } from './join-rows.js';
import type { Row } from './row.js';
import type { KeyValueStore } from './state.js';

interface TableRow {
  readonly v: unknown[];
  readonly ts: number;
  readonly w?: RowWindow;
}

export function buildTableTableJoin(ctx: JoinContext): JoinSinks {
  const { step, downstream } = ctx;
  const leftOuter = step.joinType === 'LEFT' || step.joinType === 'FULL';
  const rightOuter = step.joinType === 'RIGHT' || step.joinType === 'FULL';
  const leftRows = ctx.store<TableRow>('left');
  const rightRows = ctx.store<TableRow>('right');

  const change = (
    row: Row,
    isLeft: boolean,
    self: KeyValueStore<TableRow>,
    others: KeyValueStore<TableRow>,
    selfOuter: boolean,
    otherOuter: boolean,
  ) => {
    const key = (isLeft ? ctx.leftKey : ctx.rightKey)(row.values);
    if (key === null) return;
    const k = ctx.keyOf(key, row.window);
    const old = self.get(k);
    const now = row.deleted ? undefined : row.values;
    if (now) self.set(k, { v: now, ts: row.timestamp, ...(row.window ? { w: row.window } : {}) });
    else if (old) self.delete(k);
    const other = others.get(k);
    if (!other && (!selfOuter || (!now && !old))) return;
    const timestamp = other ? Math.max(row.timestamp, other.ts) : row.timestamp;
    const window = row.window ?? storedWindow(other?.w);
    const result = now ? other !== undefined || selfOuter : other !== undefined && otherOuter;
    // A deleted side is all nulls in a result row; in a tombstone it gives the key columns.
    const mine = now ?? (result ? undefined : row.values);
    const values = isLeft ? ctx.join(mine, other?.v) : ctx.join(other?.v, mine);
    downstream({ values, timestamp, deleted: !result, window });
  };

  return {
    left: (row) => change(row, true, leftRows, rightRows, leftOuter, rightOuter),
    right: (row) => change(row, false, rightRows, leftRows, rightOuter, leftOuter),
  };
}
