/** Layer rules: domain <- application <- adapters <- main (see DESIGN.md). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside src/domain (no node built-ins, no packages).',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain' },
    },
    {
      name: 'ports-speak-domain',
      comment: 'Ports may only use domain types (and Node streams for bytes).',
      severity: 'error',
      from: { path: '^src/ports' },
      to: { pathNot: '^src/(domain|ports)|^(node:)?stream$' },
    },
    {
      name: 'application-uses-ports-and-domain',
      comment: 'Use cases talk only to ports and the domain; no adapters, no DI, no packages.',
      severity: 'error',
      from: { path: '^src/application' },
      to: { pathNot: '^src/(domain|ports|application)' },
    },
    {
      name: 'adapters-not-main',
      comment: 'Adapters never reach into the composition root.',
      severity: 'error',
      from: { path: '^src/adapters' },
      to: { path: '^src/main' },
    },
    {
      name: 'inversify-only-in-main',
      comment: 'Only the composition root imports inversify.',
      severity: 'error',
      from: { pathNot: '^src/main' },
      to: { path: 'node_modules/(inversify|@inversifyjs)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles at run time. A cycle made only of type-only imports (a section and the schema type assembled from the sections) is erased by the compiler and allowed.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
