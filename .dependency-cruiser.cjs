/**
 * The layer rule of DESIGN.md: each folder of src/ may import only the layers
 * listed for it; nothing imports upward. `npm run layers` checks it in CI.
 */
const layer = (name, allowed) => ({
  name: `${name}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
  comment: `src/${name} may import only: ${allowed.join(', ') || 'nothing else in src'}`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: {
    path: '^src/',
    pathNot: [`^src/${name}/`, ...allowed.map((a) => `^src/${a}`)],
  },
});

module.exports = {
  forbidden: [
    layer('parser', []),
    layer('schema', []),
    layer('functions', ['schema/']),
    layer('planner', ['parser/', 'schema/', 'functions/']),
    layer('serde', ['schema/']),
    // The runtime sees only the broker's port (interfaces and errors), never an adapter.
    layer('runtime', ['planner/', 'serde/', 'functions/', 'schema/', 'broker/port\\.ts$', 'broker/errors\\.ts$']),
    layer('broker', []),
    layer('engine', ['parser/', 'schema/', 'functions/', 'planner/', 'serde/', 'runtime/', 'broker/']),
    layer('cli', ['engine/']),
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'grammar\\.generated\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
