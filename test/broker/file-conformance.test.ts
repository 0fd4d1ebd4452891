import { openFileBroker, removeTempDirs, tempDir } from './file-helpers.js';
import { describeBrokerConformance } from './port-conformance.js';

afterAll(removeTempDirs);

describeBrokerConformance('file', () => openFileBroker(tempDir()), { transactions: true });
describeBrokerConformance('file (interval fsync, polling)', () => openFileBroker(tempDir(), { fsync: 'interval', watch: false }), {
  transactions: true,
});
