/** The candidates a Tab could not choose between, in columns. */
import { Box, Text } from 'ink';

const MAX_SHOWN = 60;

export function CompletionList({ items, width }: { items: readonly string[]; width: number }) {
  const shown = items.slice(0, MAX_SHOWN);
  const cell = Math.min(width, Math.max(...shown.map((s) => s.length)) + 2);
  const perLine = Math.max(1, Math.floor(width / cell));
  const lines: string[] = [];
  for (let i = 0; i < shown.length; i += perLine) {
    lines.push(shown.slice(i, i + perLine).map((s) => s.padEnd(cell)).join('').trimEnd());
  }
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} color="gray">
          {l}
        </Text>
      ))}
      {items.length > MAX_SHOWN ? <Text color="gray">{`… and ${items.length - MAX_SHOWN} more`}</Text> : null}
    </Box>
  );
}
