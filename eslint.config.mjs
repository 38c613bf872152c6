// Lint rules, including the folder boundaries of ARCHITECTURE.md:
// shared imports nothing platform-specific; only src/main/electron imports electron;
// the renderer imports no Node, database or main-process code; migrations never import src/;
// only src/main/db imports a database driver.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'url',
  'util',
  'stream',
];
const pattern = (group, message) => ({ group, message });
// The 'electron' package itself (and its subpaths), not any path with a folder named electron:
// a `patterns` group 'electron' would also match '../main/electron/security' (gitignore rules).
const noElectron = (message, ...more) => ({
  paths: [{ name: 'electron', message }],
  patterns: [pattern(['electron/*'], message), ...more],
});
// Modules of the desktop shell that import no electron at run time, so jest can load them.
// The database drivers: only the store (src/main/db/**) talks to them; services go through kysely.
const drivers = pattern(
  ['better-sqlite3', 'pg', 'pg/*', 'pg-*'],
  'Only src/main/db/** may import a database driver (better-sqlite3, pg).',
);
const electronFree = ['security', 'options', 'window-state', 'menu', 'channels', 'transfers'].map(
  (m) => `src/main/electron/${m}.ts`,
);

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'release/',
      'test-results/',
      'playwright-report/',
      '**/*.cjs',
      'scripts/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', noElectron('Only src/main/electron/** may import electron.')],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              [...nodeBuiltins, 'electron', 'react', 'react-dom', 'antd', 'kysely', 'better-sqlite3'],
              'src/shared is isomorphic: no platform or database imports.',
            ),
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
            pattern(
              [...nodeBuiltins, 'electron', 'kysely', 'better-sqlite3', 'exceljs', 'xlsx'],
              'The renderer runs in the browser: no Node, Electron or database imports.',
            ),
            pattern(
              ['**/main/**'],
              'The renderer talks to the core only through the contract (src/shared/api.ts).',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/electron/**', 'src/main/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        noElectron(
          'Only src/main/electron/** may import electron (in plain Node it tries to download the binary).',
          pattern(['react', 'react-dom', 'antd', '**/renderer/**'], 'The core never imports the UI.'),
          drivers,
        ),
      ],
    },
  },
  {
    files: ['src/main/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        noElectron(
          'The store never imports electron.',
          pattern(['react', 'react-dom', 'antd', '**/renderer/**'], 'The core never imports the UI.'),
        ),
      ],
    },
  },
  { files: ['src/main/electron/**'], rules: { 'no-restricted-imports': ['error', { patterns: [drivers] }] } },
  {
    // Pinned by tests/unit/electron-security.test.ts in plain Node: type imports only.
    files: electronFree,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              allowTypeImports: true,
              message: 'This module is loaded by jest in plain Node: import only types from electron.',
            },
          ],
          patterns: [
            {
              group: ['./main', './window', './ipc', './protocol', './preload'],
              message: 'Those modules import electron at run time.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        noElectron(
          'Tests run in plain Node (jest) or drive Electron from outside (Playwright): never import electron.',
          pattern(
            [
              '**/main/electron/main',
              '**/main/electron/window',
              '**/main/electron/ipc',
              '**/main/electron/protocol',
              '**/main/electron/preload',
            ],
            'These modules import electron at run time; test security.ts, options.ts, menu.ts and window-state.ts instead.',
          ),
        ),
      ],
    },
  },
  {
    // The one test that loads ipc.ts and the preload: it replaces 'electron' (jest.mock) first.
    files: ['tests/unit/desktop-ipc.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        noElectron('Replace electron with jest.mock; never import it (its binary cannot run here).'),
      ],
    },
  },
  {
    files: ['migrations/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [pattern(['**/src/**'], 'Migrations are frozen in time: never import src/.')] },
      ],
    },
  },
);
