/**
 * Statement history, kept across sessions in a file (~/.ksqlite_history):
 * one entry per line, a multi-line entry with its line breaks written as `\n`
 * (and backslashes as `\\`). Every entry is appended as it is entered, so a
 * session that dies keeps what it ran.
 */
import fs from 'node:fs';
import path from 'node:path';

export const MAX_HISTORY = 1000;

export function encodeEntry(entry: string): string {
  return entry.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n');
}

export function decodeEntry(line: string): string {
  return line.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

export class History {
  private readonly items: string[] = [];

  /** A history kept in `file`, or in memory only when there is none. */
  constructor(private readonly file?: string) {
    if (file === undefined) return;
    try {
      const text = fs.readFileSync(file, 'utf8');
      for (const line of text.split('\n')) if (line !== '') this.items.push(decodeEntry(line));
    } catch {
      // No history yet.
    }
    if (this.items.length > MAX_HISTORY) {
      this.items.splice(0, this.items.length - MAX_HISTORY);
      this.rewrite();
    }
  }

  /** Oldest first. */
  entries(): readonly string[] {
    return this.items;
  }

  get length(): number {
    return this.items.length;
  }

  at(index: number): string | undefined {
    return this.items[index];
  }

  /** Records an entry (not a blank one, nor a repeat of the last one) and appends it to the file. */
  add(entry: string): void {
    const trimmed = entry.replace(/\s+$/, '');
    if (trimmed.trim() === '' || this.items[this.items.length - 1] === trimmed) return;
    this.items.push(trimmed);
    if (this.file === undefined) return;
    try {
      if (this.items.length > MAX_HISTORY * 1.2) {
        this.items.splice(0, this.items.length - MAX_HISTORY);
        this.rewrite();
      } else {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        fs.appendFileSync(this.file, `${encodeEntry(trimmed)}\n`, { mode: 0o600 });
      }
    } catch {
      // History is a convenience: a read-only home must not break the session.
    }
  }

  /**
   * The newest entry before `from` (exclusive; history length for "from the
   * newest") containing `query`, ignoring case; -1 when none.
   */
  searchBack(query: string, from: number): number {
    const q = query.toLowerCase();
    for (let i = Math.min(from, this.items.length) - 1; i >= 0; i--) {
      if ((this.items[i] as string).toLowerCase().includes(q)) return i;
    }
    return -1;
  }

  private rewrite(): void {
    if (this.file === undefined) return;
    try {
      fs.writeFileSync(this.file, this.items.map((e) => `${encodeEntry(e)}\n`).join(''), { mode: 0o600 });
    } catch {
      // See add().
    }
  }
}
