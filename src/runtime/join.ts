/**
 * Join operators: two inputs in, joined rows out (the left input's columns, then
 * the right input's; nulls for a missing side), with ksqlDB 0.29's semantics — that
 * is, Kafka Streams 3.x's — for each kind of join (see JoinStep in planner/plan.ts):
 *
 * - STREAM_STREAM: windowed, both sides buffered (join-stream-stream.ts);
 * - STREAM_TABLE: stream rows look the table up (join-stream-table.ts);
 * - TABLE_TABLE: on the key, either side's change emits (join-table-table.ts);
 * - FOREIGN_KEY: a left-table expression looks the right table's key up (join-foreign-key.ts).
 *
 * All state lives in changelogged stores named after the joined sources, so a
 * restarted query carries on where it stopped.
 */
import type { JoinStep } from '../planner/plan.js';
import { buildForeignKeyJoin } from './join-foreign-key.js';
import { joinContext, type JoinOptions, type JoinSinks } from './join-rows.js';
import { buildStreamStreamJoin } from './join-stream-stream.js';
import { buildStreamTableJoin } from './join-stream-table.js';
import { buildTableTableJoin } from './join-table-table.js';
import type { RowSink } from './row.js';

export type { JoinOptions, JoinSinks } from './join-rows.js';

/** The join of `step`: rows laid out per `step.left.layout` go to `left`, per `step.right.layout` to `right`. */
export function buildJoin(step: JoinStep, downstream: RowSink, options: JoinOptions): JoinSinks {
  const ctx = joinContext(step, downstream, options);
  switch (step.kind) {
    case 'STREAM_STREAM':
      return buildStreamStreamJoin(ctx);
    case 'STREAM_TABLE':
      return buildStreamTableJoin(ctx);
    case 'TABLE_TABLE':
      return buildTableTableJoin(ctx);
    case 'FOREIGN_KEY':
      return buildForeignKeyJoin(ctx);
    default: {
      const unreachable: never = step.kind;
      throw new Error(`unknown join kind ${String(unreachable)}`);
    }
  }
}
