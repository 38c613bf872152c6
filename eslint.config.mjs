// Lint rules, including the folder boundaries of ARCHITECTURE.md:
// shared imports nothing platform-specific; only src/main/electron imports electron;
// the renderer imports no Node, database or main-process code; migrations never import src/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'url', 'util', 'stream'];
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'release/', 'test-results/', 'playwright-report/', '**/*.cjs', 'scripts/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { patterns: [pattern(['electron'], 'Only src/main/electron/** may import electron.')] }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern([...nodeBuiltins, 'electron', 'react', 'react-dom', 'antd', 'kysely', 'better-sqlite3'], 'src/shared is isomorphic: no platform or database imports.'),
            pattern(['**/main/**', '**/renderer/**'], 'src/shared may not depend on main or renderer.'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern([...nodeBuiltins, 'electron', 'kysely', 'better-sqlite3', 'exceljs', 'xlsx'], 'The renderer runs in the browser: no Node, Electron or database imports.'),
            pattern(['**/main/**'], 'The renderer talks to the core only through the contract (src/shared/api.ts).'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['electron'], 'Only src/main/electron/** may import electron (in plain Node it tries to download the binary).'),
            pattern(['react', 'react-dom', 'antd', '**/renderer/**'], 'The core never imports the UI.'),
          ],
        },
      ],
    },
  },
  { files: ['src/main/electron/**'], rules: { 'no-restricted-imports': 'off' } },
  {
    files: ['migrations/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': ['error', { patterns: [pattern(['**/src/**'], 'Migrations are frozen in time: never import src/.')] }],
    },
  },
);
