import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms` while `active` (spinners, elapsed time). */
export function useTicker(active: boolean, ms = 100): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return now;
}
