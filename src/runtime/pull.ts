/**
 * Pull queries: `SELECT ... FROM t WHERE ...` without EMIT CHANGES answers at once
 * from the current state. A table's state is its topic with the latest record per
 * key (tombstones delete); a stream's is every record. The rows then go through
 * the same compiled filter and projection as a push query.
 */
import type { ConsumedRecord } from '../broker/port.js';
import { sourcesOf, type QueryPlan, type SourceStep, type Step } from '../planner/plan.js';
import { buildPipeline, type OutputRecord } from './pipeline.js';
import { sourceSerdes, type RuntimeDeps } from './query.js';
import { LoggedState } from './state.js';

function sourceOf(step: Step): SourceStep {
  const sources = sourcesOf(step);
  if (sources.length !== 1) throw new Error('Pull queries read one source: joins are not supported in pull queries.');
  return sources[0] as SourceStep;
}

/** Every record of the topic, in offset order per partition. */
async function readAll(deps: RuntimeDeps, topic: string): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  const begins = await deps.broker.beginningOffsets(topic);
  for (const { partition, offset: end } of await deps.broker.endOffsets(topic)) {
    let offset = begins.find((b) => b.partition === partition)?.offset ?? 0;
    while (offset < end) {
      const batch = await deps.broker.fetch(topic, partition, offset, 10_000);
      if (batch.length === 0) break;
      out.push(...batch);
      offset = (batch[batch.length - 1] as ConsumedRecord).offset + 1;
    }
  }
  return out;
}

/** The rows a pull query returns, in the user's SELECT order. */
export async function runPullQuery(plan: QueryPlan, deps: RuntimeDeps, queryId: string): Promise<unknown[][]> {
  const source = sourceOf(plan.root);
  const records = await readAll(deps, source.source.topic);
  let current: ConsumedRecord[] = records;
  if (source.source.kind === 'TABLE') {
    // The latest record per key; a tombstone removes the key.
    const latest = new Map<string, ConsumedRecord>();
    for (const r of records) {
      const k = r.key === null ? '' : Buffer.from(r.key.buffer, r.key.byteOffset, r.key.byteLength).toString('base64');
      if (r.value === null) latest.delete(k);
      else {
        latest.delete(k);
        latest.set(k, r);
      }
    }
    current = [...latest.values()];
  }
  const outputs: OutputRecord[] = [];
  const serdes = await sourceSerdes(source.source, deps.registry);
  const pipeline = buildPipeline(plan.root, () => serdes, (o) => outputs.push(o), {
    log: deps.processingLog.forQuery(queryId, () => undefined),
    state: new LoggedState(false),
    emitTombstones: false,
    tableSemantics: false,
  });
  const rows: unknown[][] = [];
  for (const r of current) {
    pipeline.process(r);
    for (const o of outputs.splice(0)) rows.push(o.selected ?? []);
    if (plan.limit !== undefined && rows.length >= plan.limit) return rows.slice(0, plan.limit);
  }
  return rows;
}
