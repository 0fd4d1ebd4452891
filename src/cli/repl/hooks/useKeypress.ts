/**
 * Key presses from the terminal, decoded by keys.ts. Ink's useInput reports
 * Backspace as Delete and a chunk like "abc\r" as one string; the raw input
 * events are read instead (Ink's own useInput listens to the same emitter).
 */
import { useEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { decodeKeys, type KeyPress } from '../keys.js';

export function useKeypress(onKey: (key: KeyPress) => void): void {
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  const handler = useRef(onKey);
  handler.current = onKey;
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    const onInput = (raw: string) => {
      for (const key of decodeKeys(raw)) handler.current(key);
    };
    events.on('input', onInput);
    return () => {
      events.removeListener('input', onInput);
    };
  }, [events]);
}
