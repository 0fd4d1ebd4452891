/** Under a live query: rows so far, rows/s, elapsed time, and how to stop. */
import { Text } from 'ink';
import { formatElapsed } from './Spinner.js';

export interface StatusLineProps {
  readonly what: 'query' | 'print';
  readonly rows: number;
  readonly since: number;
  readonly now: number;
}

export function statusText({ what, rows, since, now }: StatusLineProps): string {
  const elapsed = Math.max(0, now - since);
  const rate = elapsed > 0 ? rows / (elapsed / 1000) : 0;
  const noun = what === 'print' ? (rows === 1 ? 'record' : 'records') : rows === 1 ? 'row' : 'rows';
  return `${rows} ${noun} · ${rate.toFixed(1)} ${what === 'print' ? 'records' : 'rows'}/s · ${formatElapsed(elapsed)} · Press Ctrl-C to stop`;
}

export function StatusLine(props: StatusLineProps) {
  return (
    <Text color="gray" wrap="truncate-end">
      {statusText(props)}
    </Text>
  );
}
