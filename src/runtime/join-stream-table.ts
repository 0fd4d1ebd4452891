/**
 * The stream-table join: the table side keeps its latest row per join key and
 * emits nothing; each stream row looks the table up (INNER: only a match is
 * emitted; LEFT: always, with nulls for a missing row), at the stream row's
 * timestamp. Stream rows without a value or without a join key are skipped, as
 * Kafka Streams 3.x does.
 */
import type { JoinContext, JoinSinks } from './join-rows.js';

export function buildStreamTableJoin(ctx: JoinContext): JoinSinks {
  const { step, downstream } = ctx;
  if (step.joinType !== 'INNER' && step.joinType !== 'LEFT') throw new Error(`A stream-table join is INNER or LEFT, not ${step.joinType}`);
  const inner = step.joinType === 'INNER';
  const table = ctx.store<unknown[]>('table');
  return {
    left: (row) => {
      if (row.deleted) return;
      const key = ctx.leftKey(row.values);
      if (key === null) return;
      const match = table.get(ctx.keyOf(key, row.window));
      if (!match && inner) return;
      downstream({ values: ctx.join(row.values, match), timestamp: row.timestamp, deleted: false, window: row.window });
    },
    right: (row) => {
      const key = ctx.rightKey(row.values);
      if (key === null) return;
      const k = ctx.keyOf(key, row.window);
      if (row.deleted) table.delete(k);
      else table.set(k, row.values);
    },
  };
}
