/**
 * Advisory locks between processes sharing a data directory. Each process
 * (each broker) writes an owner file once (host, pid and a per-process
 * token) and a lock is a hard link to it, made with link(2): atomic, never
 * half written, and on most file systems far cheaper than creating a file
 * (no new inode). A lock is held only while one append (or compaction, or
 * transaction commit) runs. A lock whose owner is gone is stale and broken:
 * on the same host when the pid is dead, or when the pid is this process's
 * but the token is not (a restarted container reusing the pid); on another
 * host (a shared mount) when its inode was not touched for staleMs.
 *
 * A transaction commit links its locks to an owner file that also names its
 * pending-transaction file (the note). Such a lock, once stale, is not simply
 * broken: whoever finds it first finishes that transaction (recovery), which
 * breaks exactly the locks carrying its note.
 */

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BrokerError, UnknownTopicError } from '../../errors.js';
import { errnoOf, io, storageError, writeFileAtomic } from './io.js';

/** Who this process is, as written into locks, leases and claims. */
export const PROCESS = Object.freeze({
  pid: process.pid,
  host: hostname(),
  token: randomBytes(8).toString('hex'),
});

export interface Owner {
  pid: number;
  host: string;
  token: string;
  /** The pending transaction the holder is committing, if any. */
  note?: string;
}

/** Lock paths this process holds now (tokens match, so these are never stale). */
const held = new Set<string>();

/** Whether a process of this host with that pid exists. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === 'EPERM';
  }
}

/** Whether the owner (a lock's, a lease's) is certainly gone. */
export function ownerGone(owner: Owner | undefined, ageMs: number, staleMs: number): boolean {
  if (owner === undefined) return ageMs > 1000; // unreadable: not one of ours, or damaged
  if (owner.host === PROCESS.host) {
    if (owner.pid === PROCESS.pid) return owner.token !== PROCESS.token;
    return !pidAlive(owner.pid);
  }
  return ageMs > staleMs;
}

export function parseOwner(text: string): Owner | undefined {
  const [pid, host, token, note] = text.split('\n');
  if (pid === undefined || host === undefined || token === undefined || token === '') return undefined;
  return note === undefined || note === '' ? { pid: Number(pid), host, token } : { pid: Number(pid), host, token, note };
}

const ownerText = (note?: string): string =>
  `${PROCESS.pid}\n${PROCESS.host}\n${PROCESS.token}\n${note === undefined ? '' : `${note}\n`}`;

let ownerSeq = 0;

/**
 * The file a process's locks link to, in the data directory's tmp/ (same
 * file system as the locks). Its name starts with pid and token, so the
 * sweep at open removes those of dead processes.
 */
export class OwnerFile {
  readonly path: string;
  readonly text: string;

  constructor(tmpDir: string, note?: string) {
    this.text = ownerText(note);
    this.path = join(tmpDir, `${PROCESS.pid}.${PROCESS.token}.${++ownerSeq}.owner`);
    this.create();
  }

  create(): void {
    writeFileAtomic(this.path, this.text, false, '');
  }

  remove(): void {
    try {
      io.unlink(this.path);
    } catch {
      // Already gone; the sweep removes leftovers of dead processes.
    }
  }
}

/** A stale lock left by a transaction commit: finish that transaction, then try again. */
export interface Recover {
  recover: string;
}

export type TryLock = 'acquired' | 'held' | 'broken' | Recover;

export interface TryLockOptions {
  /** A topic name: a missing directory then means the topic is gone (UnknownTopicError). */
  topic?: string;
  /** Break a stale lock carrying this note (the transaction being recovered). */
  recovering?: string;
}

export interface LockOptions extends TryLockOptions {
  /** Age after which a lock from another host counts as abandoned. */
  staleMs: number;
  /** How long to wait for a live owner before giving up (retriable error). */
  timeoutMs: number;
}

/**
 * One attempt: 'acquired', 'held' by a live owner, 'broken' (it was stale
 * and is removed: try again), or { recover } (stale, left by a transaction
 * commit that must be finished first).
 */
export function tryLock(path: string, owner: OwnerFile, staleMs: number, options: TryLockOptions = {}): TryLock {
  for (let attempt = 0; ; attempt++) {
    try {
      io.link(owner.path, path);
      held.add(path);
      return 'acquired';
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'EEXIST') return breakIfStale(path, staleMs, options.recovering);
      if (code !== 'ENOENT') throw storageError(e, 'locking', path);
      // Either our owner file went missing (tmp/ cleaned by hand): make it again; or the directory is gone.
      let ownerExists = true;
      try {
        io.stat(owner.path);
      } catch {
        ownerExists = false;
      }
      if (!ownerExists && attempt === 0) {
        owner.create();
        continue;
      }
      if (options.topic !== undefined) throw new UnknownTopicError(options.topic);
      throw storageError(e, 'locking', path);
    }
  }
}

export function unlock(path: string): void {
  held.delete(path);
  try {
    io.unlink(path);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') throw storageError(e, 'unlocking', path);
  }
}

/** Refresh a held lock's age (for long work, so other hosts do not break it). */
export function touchLock(path: string): void {
  try {
    io.utimes(path, Date.now());
  } catch {
    // Only matters across hosts; a failure here changes nothing locally.
  }
}

function breakIfStale(path: string, staleMs: number, recovering: string | undefined): TryLock {
  let text: string;
  let ageMs: number;
  try {
    text = io.readFile(path).toString('utf8');
    ageMs = Date.now() - io.stat(path).ctimeMs;
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return 'broken'; // released meanwhile
    throw storageError(e, 'reading lock', path);
  }
  const owner = parseOwner(text);
  if (owner !== undefined && owner.token === PROCESS.token) {
    // Ours: held by another call of this process, or leaked by one that failed to unlink.
    if (held.has(path)) return 'held';
  } else if (!ownerGone(owner, ageMs, staleMs)) {
    return 'held';
  }
  if (owner?.note !== undefined && owner.note !== recovering) return { recover: owner.note };
  return breakFile(path, text) ? 'broken' : 'held';
}

let breakSeq = 0;

/**
 * Remove a file only if it still has the content judged stale: move it aside
 * (atomic), compare, and put it back (link never overwrites) if someone
 * replaced it meanwhile. Returns whether the stale file is gone.
 */
export function breakFile(path: string, staleContent: string): boolean {
  const aside = `${path}.broken-${PROCESS.pid}-${++breakSeq}`;
  try {
    io.rename(path, aside);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return true;
    throw storageError(e, 'breaking stale lock', path);
  }
  let content = '';
  try {
    content = io.readFile(aside).toString('utf8');
  } catch {
    // Unreadable: treat as the stale one.
    content = staleContent;
  }
  if (content !== staleContent) {
    try {
      io.link(aside, path);
    } catch {
      // Someone created a new one meanwhile; theirs stands.
    }
  }
  try {
    io.unlink(aside);
  } catch {
    // Gone already.
  }
  return content === staleContent;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Take a lock, waiting with backoff while a live owner holds it. When a
 * stale lock names a transaction left half committed, recover(name) runs
 * (holding nothing) to finish it before anyone writes.
 */
export async function acquire(
  path: string,
  owner: OwnerFile,
  options: LockOptions,
  recover: (pending: string) => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let wait = 1;
  for (;;) {
    const result = tryLock(path, owner, options.staleMs, options);
    if (result === 'acquired') return;
    if (result === 'broken') continue;
    if (result !== 'held') {
      await recover(result.recover);
    } else if (Date.now() >= deadline) {
      throw new BrokerError(`Timed out after ${options.timeoutMs} ms waiting for the lock ${path} (${describeHolder(path)})`, {
        retriable: true,
      });
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 20);
  }
}

function describeHolder(path: string): string {
  try {
    const owner = parseOwner(io.readFile(path).toString('utf8'));
    return owner === undefined ? 'unreadable owner' : `held by pid ${owner.pid} on ${owner.host}`;
  } catch {
    return 'released';
  }
}
