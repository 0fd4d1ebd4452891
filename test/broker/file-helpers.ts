/**
 * Helpers of the file broker tests: temp data directories (removed after
 * each test file) and child processes that open the same data directory.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { createFileBroker, type FileBroker, type FileBrokerOptions } from '../../src/broker/index.js';

const made: string[] = [];

/** A new empty directory under the OS temp dir. */
export function tempDir(prefix = 'ksqlite-file-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Remove every directory made by tempDir (call in afterAll). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A file broker on dir (a fresh temp dir by default), with quick heartbeats for tests. */
export function openFileBroker(dir = tempDir(), options: Partial<FileBrokerOptions> = {}): Promise<FileBroker> {
  return createFileBroker({ dataDir: dir, heartbeatIntervalMs: 50, ...options });
}

// --- child processes ------------------------------------------------------

let childBuild: string | undefined;

/**
 * src/broker transpiled to plain ESM in a temp dir (Node 20 cannot run
 * TypeScript), so a child process can open the same data directory: returns
 * the directory holding broker/index.js.
 */
export function brokerBuildForChildren(): string {
  if (childBuild !== undefined) return childBuild;
  const src = join(process.cwd(), 'src', 'broker');
  const out = tempDir('ksqlite-child-build-');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) {
        const js = ts.transpileModule(readFileSync(path, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        }).outputText;
        const target = join(out, 'broker', relative(src, path)).replace(/\.ts$/, '.js');
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, js);
      }
    }
  };
  walk(src);
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  // Bare imports (kafkajs and its deep paths) resolve from the project's packages.
  symlinkSync(join(process.cwd(), 'node_modules'), join(out, 'node_modules'), 'dir');
  childBuild = out;
  return out;
}

/** A child process running an ESM script with the broker build at hand (as `BUILD`). */
export interface Child {
  readonly process: ChildProcess;
  /** Lines the child printed so far. */
  readonly lines: string[];
  /** Resolves with the first line matching (or rejects after timeoutMs). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the child exited, with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnChild(script: string, args: readonly string[] = []): Child {
  const build = brokerBuildForChildren();
  const file = join(build, `child-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `const BUILD = ${JSON.stringify(build)};\n${script}`);
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let buffered = '';
  let errors = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.pattern.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child did not print ${pattern} in ${timeoutMs} ms; stderr: ${errors.slice(-2000)}`)),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          if (!lines.some((l) => pattern.test(l))) reject(new Error(`child exited before printing ${pattern}; stderr: ${errors.slice(-2000)}`));
        });
      });
    },
  };
}
