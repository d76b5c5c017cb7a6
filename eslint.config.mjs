// Type-aware linting for the library, its tests, the sample and the benchmarks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-sample/**', 'dist-bench/**', 'node_modules/**', 'test/smoke/apps/**', 'test/e2e/.readme/**', '**/*.mjs', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Nest's metadata-driven APIs (Reflect, ExternalContextCreator) hand back `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      // Interface methods stay async for one contract even when an implementation needs no await.
      '@typescript-eslint/require-await': 'off',
      // Option types take `KafkaSecurityProtocol | string` on purpose: names autocomplete, env strings fit.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // kafkajs and the AWS SDK hand out bound closures that are meant to be destructured.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      // Option types take `KafkaSecurityProtocol | string` on purpose: names autocomplete, env strings fit.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // kafkajs and the AWS SDK hand out bound closures that are meant to be destructured.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
);
