// Import direction rules of docs/architecture.md: the folder tree is the architecture.
const leaf = ['controllers', 'scheduler', 'agent', 'network', 'proxy', 'netpol', 'dns', 'ingress', 'lab'];
const allowed = {
  lib: [],
  api: ['lib'],
  storage: ['lib'],
  pki: ['lib'],
  client: ['api', 'lib'],
  apiserver: ['storage', 'api', 'pki', 'lib'],
  ...Object.fromEntries(leaf.map((c) => [c, ['client', 'api', 'pki', 'lib']])),
};
const forbidden = Object.entries(allowed).map(([from, to]) => ({
  name: `${from}-imports`,
  comment: `src/${from} may import only: ${to.join(', ') || 'Node built-ins and itself'}`,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: '^src/', pathNot: [`^src/${from}/`, ...to.map((t) => `^src/${t}/`)] },
}));
forbidden.push({
  name: 'lib-node-builtins-only',
  comment: 'src/lib uses Node built-ins only',
  severity: 'error',
  from: { path: '^src/lib/' },
  to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'] },
});
forbidden.push({
  name: 'no-circular',
  severity: 'error',
  from: {},
  to: { circular: true },
});
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(_test|_test_helper)\\.ts$' },
  },
};
