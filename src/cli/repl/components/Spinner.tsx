/** A spinner with what is being waited for; it shows only once the wait is noticeable. */
import { Text } from 'ink';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Quick statements finish before this and never flash a spinner. */
export const SPINNER_DELAY_MS = 250;

export function Spinner({ label, since, now }: { label: string; since: number; now: number }) {
  const elapsed = now - since;
  if (elapsed < SPINNER_DELAY_MS) return null;
  const frame = FRAMES[Math.floor(elapsed / 80) % FRAMES.length];
  return (
    <Text>
      <Text color="cyan">{frame}</Text> {label} <Text color="gray">{formatElapsed(elapsed)}</Text>
    </Text>
  );
}

export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}
