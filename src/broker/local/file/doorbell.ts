/** Wakes sleepers (a waiting poll or fetch) when something they may want happened. */
export class Doorbell {
  private sleepers = new Set<() => void>();

  ring(): void {
    if (this.sleepers.size === 0) return;
    const woken = this.sleepers;
    this.sleepers = new Set();
    for (const wake of woken) wake();
  }

  /** Resolves on the next ring or after ms, whichever is first. */
  sleep(ms: number): Promise<void> {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(ms, 0x7fffffff));
      this.sleepers.add(wake);
    });
  }
}
