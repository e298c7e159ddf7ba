// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// The storage layout, paging states and driver errors stay behind @market/cassandra.
const noDriverInApps = {
  name: 'cassandra-driver',
  message: 'Apps reach Cassandra through @market/cassandra (its range reader, series writer and typed errors).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cassandra/**', '.tools/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Apps and libs import each other only through the @market/* aliases.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/libs/*', '**/libs/**'], message: 'Import libraries through @market/<lib>.' }] },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/libs/*', '**/libs/**'], message: 'Import libraries through @market/<lib>.' },
            {
              group: ['**/apps/*', '**/apps/**', '../../*/src/*'],
              message: 'Apps and libraries never import across projects by path.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noDriverInApps],
          patterns: [
            { group: ['**/libs/*', '**/libs/**'], message: 'Import libraries through @market/<lib>.' },
            {
              group: ['**/apps/*', '**/apps/**', '../../*/src/*'],
              message: 'Apps and libraries never import across projects by path.',
            },
          ],
        },
      ],
    },
  },
  {
    // The ingestor's layers: bars flow providers -> normalisation -> ingest -> jobs/cli, and
    // the lower layers never import the upper ones (docs/architecture.md).
    files: ['apps/ingestor/src/normalisation/**/*.ts', 'apps/ingestor/src/providers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noDriverInApps],
          patterns: [
            { group: ['**/libs/*', '**/libs/**'], message: 'Import libraries through @market/<lib>.' },
            {
              group: ['**/apps/*', '**/apps/**', '../../*/src/*'],
              message: 'Apps and libraries never import across projects by path.',
            },
            {
              group: ['**/ingest/*', '**/jobs/*', '**/cli/*'],
              message: 'providers/ and normalisation/ never import the layers above them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/ingestor/src/normalisation/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noDriverInApps],
          patterns: [
            { group: ['**/libs/*', '**/libs/**'], message: 'Import libraries through @market/<lib>.' },
            {
              group: ['**/apps/*', '**/apps/**', '../../*/src/*'],
              message: 'Apps and libraries never import across projects by path.',
            },
            {
              group: ['**/providers/*', '**/ingest/*', '**/jobs/*', '**/cli/*'],
              message: 'normalisation/ is the lowest layer: it imports no other folder of the ingestor.',
            },
          ],
        },
      ],
    },
  },
  {
    // Front doors, not back doors: bench/ and scripts/ use what a library exports (or run an
    // app's CLI), never an app's internals or the tests' helpers.
    files: ['bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/libs/*', '**/libs/**'], message: 'Import libraries through @market/<lib>.' },
            {
              group: ['**/apps/*', '**/apps/**'],
              message: "bench/ and scripts/ use a library's exports or an app's CLI, never app internals.",
            },
            { group: ['**/test/*', '**/test/**'], message: 'bench/ and scripts/ never import test code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      // Jest's matchers and supertest bodies are typed any.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
