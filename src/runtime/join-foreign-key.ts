/**
 * The foreign-key table-table join (INNER, LEFT), as Kafka Streams 3.x's
 * subscription/response protocol behaves when every record is processed at once:
 *
 * - the left table's rows are kept by primary key, the right table's by key, and
 *   each left row with a foreign key subscribes to that right key (remembering a
 *   hash of the left row it was made for);
 * - a left change emits for its primary key: a new row emits with the right row
 *   (LEFT: also without one); an update emits with the right row of its (new)
 *   foreign key, or a tombstone (INNER) / null-padded row (LEFT) when there is none;
 *   a delete emits a tombstone. The timestamp is the larger of the left row's and
 *   the right row's;
 * - a right change re-emits, at its own timestamp, for every left row subscribed
 *   to its key, ordered by primary key (a right delete: INNER tombstones, LEFT
 *   null-padded rows);
 * - a left row whose old or new foreign key is null is skipped (Kafka Streams
 *   before KIP-962): its subscriptions stay as they were, and responses made for
 *   another version of the row are dropped as stale.
 *
 * The output is keyed by the left primary key: tombstones carry the left row's
 * columns (or the deleted row's key columns) so the projection computes it.
 */
import { compareKeyValues, valuesHash, type JoinContext, type JoinSinks } from './join-rows.js';
import { keyString } from './keys.js';
import type { Row } from './row.js';

interface LeftRow {
  readonly v: unknown[];
  readonly ts: number;
  /** Hash of the row, identifying the version a subscription was made for. */
  readonly h: number;
}

interface RightRow {
  readonly v: unknown[];
  readonly ts: number;
}

interface Subscription {
  /** The left primary key (state key) and its values, which order the responses. */
  readonly pk: string;
  readonly pv: unknown[];
  readonly h: number;
}

export function buildForeignKeyJoin(ctx: JoinContext): JoinSinks {
  const { step, downstream } = ctx;
  if (step.joinType !== 'INNER' && step.joinType !== 'LEFT') throw new Error(`A foreign-key join is INNER or LEFT, not ${step.joinType}`);
  if (step.leftPrimaryKey.length === 0) throw new Error('A foreign-key join needs the primary key columns of its left input');
  const inner = step.joinType === 'INNER';
  const leftRows = ctx.store<LeftRow>('left');
  const rightRows = ctx.store<RightRow>('right');
  const subscriptions = ctx.store<Subscription[]>('subscriptions');
  const pkIndexes = step.leftPrimaryKey;

  const foreignKeyOf = (values: unknown[]): string | undefined => {
    const fk = ctx.leftKey(values);
    return fk === null ? undefined : ctx.keyOf(fk, undefined);
  };

  const subscribe = (fk: string, sub: Subscription) => {
    const list = subscriptions.get(fk) ?? [];
    const at = list.findIndex((s) => s.pk === sub.pk);
    if (at >= 0) list[at] = sub;
    else {
      let i = list.length;
      while (i > 0 && compareKeyValues((list[i - 1] as Subscription).pv, sub.pv) > 0) i--;
      list.splice(i, 0, sub);
    }
    subscriptions.set(fk, list);
  };

  const unsubscribe = (fk: string, pk: string) => {
    const list = subscriptions.get(fk);
    if (!list) return;
    const kept = list.filter((s) => s.pk !== pk);
    if (kept.length === list.length) return;
    if (kept.length === 0) subscriptions.delete(fk);
    else subscriptions.set(fk, kept);
  };

  /** A response for left key `pk`: dropped when made for another version of the left row. */
  const respond = (pk: string, hash: number | null, right: unknown[] | null, timestamp: number, deletedRow: Row | undefined) => {
    const current = leftRows.get(pk);
    if ((current?.h ?? null) !== hash) return;
    if (right === null && (inner || !current)) {
      downstream({ values: ctx.join(current?.v ?? deletedRow?.values, undefined), timestamp, deleted: true });
    } else {
      downstream({ values: ctx.join(current?.v, right), timestamp, deleted: false });
    }
  };

  /** The right side's answer to a left change: its row for `fk` (none for a delete), at the later timestamp. */
  const lookup = (fk: string, pk: string, hash: number | null, row: Row, emitWithoutMatch: boolean) => {
    const match = rightRows.get(fk);
    if (!match && !emitWithoutMatch) return;
    const timestamp = match ? Math.max(row.timestamp, match.ts) : row.timestamp;
    respond(pk, hash, match && !row.deleted ? match.v : null, timestamp, row.deleted ? row : undefined);
  };

  return {
    left: (row) => {
      const pv = pkIndexes.map((i) => row.values[i]);
      // A table has no row without a key.
      if (pv.some((v) => v === null || v === undefined)) return;
      const pk = keyString(pv);
      const old = leftRows.get(pk);
      const now = row.deleted ? undefined : row.values;
      const hash = now ? valuesHash(now) : null;
      // The left table itself always takes the change.
      if (now) leftRows.set(pk, { v: now, ts: row.timestamp, h: hash as number });
      else if (old) leftRows.delete(pk);
      if (old) {
        const oldFk = foreignKeyOf(old.v);
        if (oldFk === undefined) return;
        if (now) {
          const newFk = foreignKeyOf(now);
          if (newFk === undefined) return;
          if (newFk !== oldFk) unsubscribe(oldFk, pk);
          subscribe(newFk, { pk, pv, h: hash as number });
          // An update unsets a previous result when its foreign key finds nothing (INNER and LEFT).
          lookup(newFk, pk, hash, row, true);
        } else {
          unsubscribe(oldFk, pk);
          lookup(oldFk, pk, null, row, true);
        }
      } else if (now) {
        const newFk = foreignKeyOf(now);
        if (newFk === undefined) return;
        subscribe(newFk, { pk, pv, h: hash as number });
        lookup(newFk, pk, hash, row, !inner);
      }
    },
    right: (row) => {
      const key = ctx.rightKey(row.values);
      if (key === null) return;
      const fk = ctx.keyOf(key, undefined);
      if (row.deleted) rightRows.delete(fk);
      else rightRows.set(fk, { v: row.values, ts: row.timestamp });
      const subs = subscriptions.get(fk);
      if (!subs) return;
      for (const s of [...subs]) respond(s.pk, s.h, row.deleted ? null : row.values, row.timestamp, undefined);
    },
  };
}
