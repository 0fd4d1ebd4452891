/**
 * The boxed " Message " table of statements ksqlDB answers with a status
 * ("Stream created", "Created query with ID CSAS_X_0"): its CommandStatusTableBuilder,
 * which shows the first line of the message only.
 */
import { printed, tableLines, type TableOptions } from './table.js';

export function renderMessage(message: string, opts: TableOptions = {}): string {
  const firstLine = message.split('\n')[0] ?? '';
  return printed(tableLines(['Message'], [[firstLine]], opts));
}

/** ksqlDB's `currentStatus` entity. */
export function messageJson(message: string, queryId: string | undefined): Record<string, unknown> {
  return {
    '@type': 'currentStatus',
    commandStatus: { status: 'SUCCESS', message, queryId: queryId ?? null },
  };
}
