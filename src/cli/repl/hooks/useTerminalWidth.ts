import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

/** The terminal's width, following resizes; `fixed` overrides it. */
export function useTerminalWidth(fixed?: number): number {
  const { stdout } = useStdout();
  const [width, setWidth] = useState(() => fixed ?? (stdout.columns || 80));
  useEffect(() => {
    if (fixed !== undefined) return;
    const onResize = () => setWidth(stdout.columns || 80);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? width;
}
