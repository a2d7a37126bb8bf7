import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const typeScriptRules = {
  '@typescript-eslint/consistent-type-imports': 'error',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
  '@typescript-eslint/no-floating-promises': 'error',
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['@shop/*/src/*', '../../packages/*', '../../services/*', '../../gateway/*'],
          message: 'Import a workspace package by its name, never its internals.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.data/**', '.cache/**', '**/dist/**', 'reports/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    ignores: ['gateway/web/**'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: typeScriptRules,
  },
  // The browser pages (the storefront and the operations console): their own tsconfig, with the
  // DOM and JSX; the same rules.
  {
    files: ['gateway/web/src/**/*.ts', 'gateway/web/src/**/*.tsx'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.browser,
      parserOptions: {
        project: './gateway/web/tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: typeScriptRules,
  },
  {
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  prettier,
);
