// Tests run on the compiled output (`npm run build` first; `npm test` does it): one copy of each
// module, real decorator metadata, no transform step.
const common = {
  testEnvironment: 'node',
  transform: {},
  moduleFileExtensions: ['js', 'json'],
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
};

const e2e = (name, db) => ({
  ...common,
  displayName: name,
  testMatch: ['<rootDir>/test/dist/**/*.e2e-spec.js', '<rootDir>/plugins/*/dist/**/*.e2e-spec.js'],
  setupFiles: [`<rootDir>/test/setup-${db}.js`],
});

const projects = [
  {
    ...common,
    displayName: 'unit',
    testMatch: ['<rootDir>/{libs,apps,plugins}/*/dist/**/*.spec.js'],
  },
  e2e('e2e-pglite', 'pglite'),
];
if (process.env.PLINTH_TEST_DATABASE_URL) projects.push(e2e('e2e-postgres', 'postgres'));

module.exports = {
  projects,
  testTimeout: 120000,
  maxWorkers: process.env.CI ? 2 : '50%',
  // Each e2e file builds whole apps (Nest, GraphQL schema, PGlite); what a file leaves behind
  // adds up over ~130 files in one worker (CI ran out of heap, and GC took over long before).
  // A worker past this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '1000MB',
  testPathIgnorePatterns: ['/node_modules/'],
};
