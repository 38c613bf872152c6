/**
 * Unit tests: plain Node, real databases. Two projects run the same tests: `sqlite` on SQLite
 * files in temp folders, `postgres` on a PostgreSQL server the run starts itself
 * (tests/pg/global-setup.ts). Tests that touch no database run once, in the sqlite project.
 */
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
];

/** Tests of code that opens no database (or only SQLite files on purpose): once is enough. */
const storeIndependent = [
  'balance-rows',
  'dates',
  'electron-security',
  'desktop-ipc',
  'migrations-sqlite',
  'demo-scale-sqlite',
  'icons',
  'field-labels',
  'tamper',
  'text-input',
  'quantity-totals',
  'version',
  'excel-libreoffice',
].map((name) => `/tests/unit/${name}\\.test\\.ts$`);

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/unit'],
  testMatch: ['**/*.test.ts'],
  // kysely ships ES modules only; jest (CommonJS) needs it compiled like our own code.
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!kysely/)'],
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'sqlite', setupFiles: ['<rootDir>/tests/pg/use-sqlite.cjs'] },
    {
      ...common,
      displayName: 'postgres',
      setupFiles: ['<rootDir>/tests/pg/use-postgres.cjs'],
      testPathIgnorePatterns: storeIndependent,
      globalSetup: '<rootDir>/tests/pg/global-setup.ts',
      globalTeardown: '<rootDir>/tests/pg/global-teardown.ts',
    },
  ],
};
