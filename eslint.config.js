// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.dependency-cruiser.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'use named exports (STYLE.md)' },
        { selector: 'ExportAllDeclaration', message: 're-export by name, not export * (STYLE.md)' },
        { selector: 'TSEnumDeclaration', message: 'use literal unions, not enums (STYLE.md)' },
        {
          selector: "NewExpression[callee.name='Function']",
          message: 'agreements never become code (STYLE.md)',
        },
        { selector: "CallExpression[callee.name='eval']", message: 'no eval' },
      ],
    },
  },
  {
    // Tests may assert non-null on values they have just checked.
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
