/**
 * `ksqlite test <files or folders>`: runs ksqlDB query-validation test files
 * (QTT) and reports each failing case, then `N passed, N failed`.
 * --json writes a machine-readable report; --ratchet fails the run if a case
 * listed in the file (one id per line) no longer passes.
 */
import fs from 'node:fs';
import { findTestFiles, kafkaCaseBackends, loadTestFile, runCase, type CaseBackend, type CaseResult, type QttCase } from '../../engine/index.js';

export interface TestOptions {
  json?: string;
  ratchet?: string;
  updateRatchet?: boolean;
  filter?: string;
  quiet?: boolean;
  timeout?: string;
  /** Run the cases on this Kafka cluster (each in a namespace of its own) instead of in memory. */
  bootstrapServer?: string;
  schemaRegistryUrl?: string;
}

export interface CaseReport {
  /** Unique id: caseId(), with " #n" when a file repeats a test name. */
  id: string;
  file: string;
  test: string;
  format: string | null;
  status: 'pass' | 'fail';
  stage: CaseResult['stage'];
  message: string;
}

/** The stable id of a case: "<file> / <test name>" plus " [<format>]" when the test runs per format. */
export function caseId(c: { file: string; name?: string; test?: string; format: string | null }): string {
  return `${c.file} / ${c.name ?? c.test}${c.format !== null ? ` [${c.format}]` : ''}`;
}

async function withTimeout(c: QttCase, ms: number, backend?: () => Promise<CaseBackend>): Promise<CaseResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CaseResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'fail', stage: 'execute', message: `timed out after ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([runCase(c, backend), timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export async function runTests(paths: readonly string[], options: TestOptions, out: (s: string) => void): Promise<number> {
  const files = findTestFiles(paths);
  const filter = options.filter ? new RegExp(options.filter) : undefined;
  const reports: CaseReport[] = [];
  const timeoutMs = Number(options.timeout ?? 20000);
  const seen = new Map<string, number>();
  const kafka = options.bootstrapServer
    ? await kafkaCaseBackends({
        bootstrapServers: options.bootstrapServer,
        ...(options.schemaRegistryUrl ? { schemaRegistryUrl: options.schemaRegistryUrl } : {}),
      })
    : undefined;
  const backend = kafka ? () => kafka.next() : undefined;
  try {
    for (const file of files) {
      let cases: QttCase[];
      try {
        cases = loadTestFile(file);
      } catch (err) {
        out(`FAIL ${file}: cannot read test file: ${(err as Error).message}\n`);
        reports.push({ id: file, file, test: '(file)', format: null, status: 'fail', stage: 'parse', message: (err as Error).message });
        continue;
      }
      for (const c of cases) {
        const base = caseId(c);
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const id = n === 1 ? base : `${base} #${n}`;
        if (filter && !filter.test(id)) continue;
        const result = await withTimeout(c, timeoutMs, backend);
        reports.push({ id, file: c.file, test: c.name, format: c.format, status: result.status, stage: result.stage, message: result.message });
        if (result.status === 'fail' && !options.quiet) out(`FAIL ${id}: [${result.stage}] ${firstLines(result.message)}\n`);
      }
    }
  } finally {
    await kafka?.close();
  }
  const passed = reports.filter((r) => r.status === 'pass').length;
  const failed = reports.length - passed;
  if (options.json) fs.writeFileSync(options.json, `${JSON.stringify({ cases: reports, passed, failed }, null, 2)}\n`);

  let code = 0;
  if (options.ratchet) {
    const passing = new Set(reports.filter((r) => r.status === 'pass').map((r) => r.id));
    if (options.updateRatchet) {
      fs.writeFileSync(options.ratchet, `${[...passing].sort().join('\n')}\n`);
      out(`ratchet: wrote ${passing.size} passing cases to ${options.ratchet}\n`);
    } else {
      const required = fs.existsSync(options.ratchet) ? fs.readFileSync(options.ratchet, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
      const ran = new Set(reports.map((r) => r.id));
      const regressed = required.filter((id) => ran.has(id) && !passing.has(id));
      const missing = filter ? [] : required.filter((id) => !ran.has(id));
      for (const id of regressed) out(`RATCHET: ${id} passed before and fails now\n`);
      for (const id of missing) out(`RATCHET: ${id} is in the ratchet but was not run\n`);
      out(`ratchet: ${required.length - regressed.length - missing.length} of ${required.length} required cases pass; ${passing.size} pass in all\n`);
      if (regressed.length > 0 || missing.length > 0) code = 1;
    }
  }
  out(`${passed} passed, ${failed} failed\n`);
  return code;
}

function firstLines(message: string): string {
  const lines = message.split('\n');
  return lines.length > 3 ? `${lines.slice(0, 3).join(' / ')} ...` : lines.join(' / ');
}
