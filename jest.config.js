/** Tests are TypeScript run as native ES modules (node --experimental-vm-modules). */
export default {
  testEnvironment: 'node',
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.cjs'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};
