/**
 * Every file-system call of the file log goes through `io`, so tests can make
 * one fail (ENOSPC, EACCES, EROFS) without a full or read-only disk, and all
 * failures become StorageError with the path and what was being done.
 * Calls are synchronous: a produce batch is one write (and one fsync), and
 * a step that must not interleave with others in this process (check the
 * tail, append, release the lock) runs without yielding.
 */

import fs from 'node:fs';
import { join } from 'node:path';
import { BrokerError, StorageError } from '../../errors.js';

/** The file-system calls used; replace members in tests to inject faults. */
export const io = {
  open: (path: string, flags: string | number, mode?: number): number => fs.openSync(path, flags, mode),
  close: (fd: number): void => fs.closeSync(fd),
  read: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number =>
    fs.readSync(fd, buffer, offset, length, position),
  write: (fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number =>
    fs.writeSync(fd, buffer, offset, length, position),
  fsync: (fd: number): void => fs.fsyncSync(fd),
  fdatasync: (fd: number): void => fs.fdatasyncSync(fd),
  ftruncate: (fd: number, length: number): void => fs.ftruncateSync(fd, length),
  fstat: (fd: number): fs.Stats => fs.fstatSync(fd),
  stat: (path: string): fs.Stats => fs.statSync(path),
  rename: (from: string, to: string): void => fs.renameSync(from, to),
  link: (existing: string, created: string): void => fs.linkSync(existing, created),
  unlink: (path: string): void => fs.unlinkSync(path),
  mkdir: (path: string): void => void fs.mkdirSync(path, { recursive: true }),
  readdir: (path: string): string[] => fs.readdirSync(path),
  readFile: (path: string): Buffer => fs.readFileSync(path),
  rm: (path: string): void => fs.rmSync(path, { recursive: true, force: true }),
  utimes: (path: string, time: number): void => fs.utimesSync(path, time / 1000, time / 1000),
};

export type ErrnoError = NodeJS.ErrnoException;

export const errnoOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null ? (e as ErrnoError).code : undefined;

/** A StorageError for a failed call; BrokerErrors pass through. */
export function storageError(e: unknown, action: string, path: string): BrokerError {
  if (e instanceof BrokerError) return e;
  const code = errnoOf(e) ?? 'EIO';
  return new StorageError(path, code, action, { cause: e });
}

/** Run body, turning file-system errors into StorageError. */
export function guarded<T>(action: string, path: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    throw storageError(e, action, path);
  }
}

/** Undefined when the file is absent; other errors propagate. */
export function readIfExists(path: string): Buffer | undefined {
  try {
    return io.readFile(path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return undefined;
    throw storageError(e, 'reading', path);
  }
}

/** Entries of a directory; [] when it is absent. */
export function listDir(path: string): string[] {
  try {
    return io.readdir(path);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return [];
    throw storageError(e, 'listing', path);
  }
}

export function unlinkIfExists(path: string): void {
  try {
    io.unlink(path);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') throw storageError(e, 'deleting', path);
  }
}

export function closeQuietly(fd: number | undefined): void {
  if (fd === undefined) return;
  try {
    io.close(fd);
  } catch {
    // Closing cannot lose data here: everything acknowledged was written (and synced) before.
  }
}

/** fsync a directory, so a file created, renamed or deleted in it survives a crash. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = io.open(dir, 'r');
    io.fsync(fd);
  } catch (e) {
    // Some file systems refuse fsync on directories; the data files are synced anyway.
    if (errnoOf(e) !== 'EINVAL' && errnoOf(e) !== 'EISDIR') throw storageError(e, 'syncing directory', dir);
  } finally {
    closeQuietly(fd);
  }
}

let tmpSeq = 0;
/** A name for a temporary file no other process or call uses. */
export const tmpName = (base: string): string => `${base}.tmp-${process.pid}-${++tmpSeq}-${Date.now().toString(36)}`;

const TEMPORARY = /\.(?:tmp-(\d+)-\d+-[0-9a-z]+|broken-(\d+)-\d+)$/;

/**
 * Remove the temporaries (tmpName) and stale locks moved aside (breakFile)
 * left in dir by processes that are gone; those of live processes stay.
 */
export function sweepTemporaries(dir: string, alive: (pid: number) => boolean): void {
  for (const name of listDir(dir)) {
    const m = TEMPORARY.exec(name);
    if (m !== null && !alive(Number(m[1] ?? m[2]))) {
      try {
        io.unlink(join(dir, name));
      } catch {
        // Someone else swept it.
      }
    }
  }
}

/**
 * Replace a file atomically: write a temporary beside it, fsync it (when
 * durable), rename over the target, fsync the directory. Readers see the old
 * or the new content, never a mix; on failure the old file is untouched.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, durable: boolean, dir: string): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = tmpName(path);
  let fd: number | undefined;
  try {
    fd = io.open(tmp, 'w', 0o644);
    writeFully(fd, bytes, 0, bytes.length, 0);
    if (durable) io.fsync(fd);
    io.close(fd);
    fd = undefined;
    io.rename(tmp, path);
  } catch (e) {
    closeQuietly(fd);
    try {
      io.unlink(tmp);
    } catch {
      // The temporary may not exist; the target is unchanged either way.
    }
    throw storageError(e, 'writing', path);
  }
  if (durable) fsyncDir(dir);
}

/**
 * Create a file with its whole content, failing (false) when it exists:
 * write a temporary, then link it to the name (link never overwrites), so
 * nobody ever sees the file empty or half written.
 */
export function createExclusive(path: string, data: string, tmpDir: string): boolean {
  const tmp = join(tmpDir, tmpName('excl'));
  const bytes = Buffer.from(data, 'utf8');
  let fd: number | undefined;
  try {
    fd = io.open(tmp, 'w', 0o644);
    writeFully(fd, bytes, 0, bytes.length, 0);
    io.close(fd);
    fd = undefined;
    try {
      io.link(tmp, path);
      return true;
    } catch (e) {
      if (errnoOf(e) === 'EEXIST') return false;
      throw e;
    }
  } catch (e) {
    closeQuietly(fd);
    throw storageError(e, 'creating', path);
  } finally {
    try {
      io.unlink(tmp);
    } catch {
      // Already gone.
    }
  }
}

/** write(2) until every byte is out; a short write is retried from where it stopped. */
export function writeFully(fd: number, buf: Uint8Array, offset: number, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = io.write(fd, buf, offset + done, length - done, position + done);
    if (n <= 0) throw Object.assign(new Error('write returned 0'), { code: 'EIO' });
    done += n;
  }
}

/** read(2) until length bytes or end of file; returns the bytes read. */
export function readFully(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = io.read(fd, buf, offset + done, length - done, position + done);
    if (n <= 0) break;
    done += n;
  }
  return done;
}
