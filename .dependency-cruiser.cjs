/**
 * Import boundaries (docs/architecture.md):
 * - pure domain modules do no I/O and never import an adapter;
 * - a module is entered only through its index.ts ("one public door per module");
 * - no cycles.
 */
const PURE = '^src/(core|agreement|policy|escalation|intel|ledger|release|oversight)/';
const ADAPTERS = '^src/(store|vault|server|tls|federation|demo|cli|web|node)/';
const IO_MODULES =
  '^(node:)?(fs|fs/promises|net|http|http2|https|tls|dgram|child_process|cluster|worker_threads|readline|repl|dns|os|process|v8|vm)$';

module.exports = {
  forbidden: [
    {
      name: 'pure-core-imports-no-adapter',
      comment:
        'Pure modules must not depend on adapters (store, vault, server, federation, cli, ...).',
      severity: 'error',
      from: { path: PURE },
      to: { path: ADAPTERS },
    },
    {
      name: 'pure-core-does-no-io',
      comment:
        'Pure modules do no I/O: no fs, net, http, child processes, etc. (node:crypto is allowed).',
      severity: 'error',
      from: { path: PURE, pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: IO_MODULES },
    },
    {
      name: 'enter-modules-through-index',
      comment:
        'Another module is imported only through its index.ts (STYLE.md: one public door per module).',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/([^/]+)/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-dev-deps-in-product',
      comment: 'Product code must not import development dependencies.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
