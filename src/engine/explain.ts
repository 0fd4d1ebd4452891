/**
 * EXPLAIN: a query's description as ksqlDB prints it — id, type, SQL, status,
 * the output schema, what it reads and writes — and its execution plan, one
 * line per step from the sink down to the sources, as ksqlDB's plan printer
 * indents them.
 */
import { formatType } from '../schema/index.js';
import type { QueryPlan, Step } from '../planner/plan.js';
import type { FieldInfo, QueryDescription } from './results.js';
import { displayType } from './describe.js';

export interface ExplainInput {
  readonly id: string;
  readonly plan: QueryPlan;
  readonly sql: string;
  /** RUNNING, PAUSED, ERROR...; absent for a statement that was only planned. */
  readonly state?: string;
}

export function explainQuery(q: ExplainInput): QueryDescription {
  const plan = q.plan;
  const keyRole = plan.isTable ? 'PRIMARY KEY' : 'KEY';
  const fields: FieldInfo[] = plan.schema.columns().map((c) =>
    c.namespace === 'KEY' ? { name: c.name, type: displayType(c.type), role: keyRole } : { name: c.name, type: displayType(c.type) },
  );
  return {
    id: q.id,
    queryType: plan.kind === 'persistent' ? 'PERSISTENT' : 'PUSH',
    sql: q.sql,
    ...(q.state !== undefined ? { state: q.state } : {}),
    fields,
    sources: [...new Set(plan.sources.map((s) => s.name))],
    sinks: plan.sink ? [plan.sink.source.name] : [],
    executionPlan: executionPlan(q.id, plan),
  };
}

function schemaText(columns: readonly { name: string; type: import('../schema/index.js').SqlType; key?: boolean }[]): string {
  return columns.map((c) => `${c.name} ${formatType(c.type)}${c.key ? ' KEY' : ''}`).join(', ');
}

/** ` > [ SINK ] | Schema: ... | Logger: ID.NAME`, each input one level further in (two tabs a level, as ksqlDB). */
function executionPlan(id: string, plan: QueryPlan): string {
  const lines: string[] = [];
  const line = (depth: number, kind: string, schema: string, logger: string) =>
    lines.push(`${'\t\t'.repeat(depth)} > [ ${kind} ] | Schema: ${schema} | Logger: ${id === '' ? logger : `${id}.${logger}`}`);
  const outSchema = schemaText(plan.schema.columns().map((c) => ({ name: c.name, type: c.type, key: c.namespace === 'KEY' })));
  let depth = 0;
  if (plan.sink) {
    line(depth, 'SINK', outSchema, plan.sink.source.name);
    depth += 1;
  }
  const walk = (step: Step, d: number): void => {
    const cols = schemaText(step.layout.columns.filter((c) => c.origin !== 'DERIVED' || step.type !== 'source').map((c) => ({ name: c.name, type: c.type, key: c.origin === 'KEY' })));
    switch (step.type) {
      case 'project':
        line(d, 'PROJECT', outSchema, 'Project');
        walk(step.input, d + 1);
        return;
      case 'filter':
        line(d, 'FILTER', cols, 'WhereFilter');
        walk(step.input, d + 1);
        return;
      case 'flatMap':
        line(d, 'FLAT_MAP', cols, 'FlatMap');
        walk(step.input, d + 1);
        return;
      case 'aggregate':
        line(d, step.window ? 'AGGREGATE (WINDOWED)' : 'AGGREGATE', cols, 'Aggregate.Aggregate');
        line(d + 1, 'GROUP_BY', schemaText(step.input.layout.columns.map((c) => ({ name: c.name, type: c.type }))), 'Aggregate.GroupBy');
        walk(step.input, d + 2);
        return;
      case 'join':
        line(d, `${step.kind} ${step.joinType} JOIN`, cols, 'Join');
        walk(step.left, d + 1);
        walk(step.right, d + 1);
        return;
      case 'source':
        line(d, 'SOURCE', cols, `KsqlTopic.${step.source.kind === 'TABLE' ? 'Source.TableSource' : 'Source'}`);
        return;
      default: {
        const unreachable: never = step;
        throw new Error(`unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  };
  walk(plan.root, depth);
  return lines.join('\n');
}
