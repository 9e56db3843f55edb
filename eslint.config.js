import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.data/**',
      'scratch/**',
      '.test-data/**',
      'test/support/*.cjs',
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // Size and branching limits for the application's code (tests and tooling are exempt).
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
      complexity: ['error', 15],
    },
  },
  {
    // Over the limits today; each is split by the legibility refactor (feature modules, one use case per
    // file, handlers per feature, config sections). Remove a file from this list when it meets them.
    files: [
      'src/adapters/http/openapi.ts',
      'src/adapters/http/validation.ts',
      'src/adapters/payments/xendit-callback.ts',
      'src/adapters/payments/xendit-gateway.ts',
      'src/adapters/storage/s3-object-storage.ts',
      'src/application/archive/archive-inspection.ts',
      'src/application/customer/inspection-history.ts',
      'src/application/customer/inspection-requests.ts',
      'src/application/customer/payments.ts',
      'src/application/inspections/create-inspection.ts',
      'src/application/reports/process-report-job.ts',
      'src/application/reports/size-control.ts',
      'src/main/cli.ts',
      'src/main/mint-worker.ts',
      'src/main/worker.ts',
    ],
    rules: { 'max-lines-per-function': 'off', complexity: 'off' },
  },
  {
    files: ['src/main/cli.ts', 'src/adapters/cli/**', 'scripts/**', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
