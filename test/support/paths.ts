import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** ksqlDB's query-validation tests, beside the repository (../shared/qtt). */
export const qttDir = path.resolve(repoRoot, '../shared/qtt');
