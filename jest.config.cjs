/** Unit tests: plain Node, real SQLite files in temp folders. */
const swc = ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/unit'],
  testMatch: ['**/*.test.ts'],
  // kysely ships ES modules only; jest (CommonJS) needs it compiled like our own code.
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!kysely/)'],
  testTimeout: 30000,
};
