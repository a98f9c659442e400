// @ts-check
const eslint = require('@eslint/js');
const tseslint = require('typescript-eslint');
const angular = require('angular-eslint');

/** Folder-level import rules that keep the layers of docs/architecture: pages → angular → logto → core. */
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const framework = (why) => [
  { group: ['@angular/*', '@ionic/*', '@capacitor/*', '@aparajita/*', '@logto/*', 'ionicons', 'ionicons/*'], message: why },
];

module.exports = tseslint.config(
  {
    ignores: [
      'bench/results/**',
      'www/**',
      'android/**',
      'ios/**',
      '.angular/**',
      'coverage/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      // The Logto server's source and build, made by npm run logto:oss.
      '.logto-oss/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommended, ...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'app', style: 'camelCase' }],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'app', style: 'kebab-case' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Tokens and callback URLs must never reach a console; dev-tools logging goes through one redacting helper.
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
    rules: {},
  },
  {
    files: ['src/app/auth/core/**/*.ts'],
    rules: restrict([
      ...framework('auth/core is the pure machine: no Angular, Ionic, Capacitor or Logto.'),
      {
        group: ['**/auth/logto/**', '**/auth/angular/**', '**/pages/**', '../logto/*', '../angular/*'],
        message: 'auth/core imports nothing of ours.',
      },
    ]),
  },
  {
    files: ['src/app/auth/logto/**/*.ts'],
    rules: restrict([
      { group: ['@angular/*', '@ionic/*', 'ionicons', 'ionicons/*'], message: 'auth/logto knows no Angular or Ionic.' },
      { group: ['**/auth/angular/**', '**/pages/**', '../angular/*'], message: 'auth/logto may only import auth/core.' },
    ]),
  },
  {
    files: ['src/app/auth/angular/**/*.ts'],
    rules: restrict([{ group: ['**/pages/**'], message: 'auth/angular must not import screens.' }]),
  },
  {
    files: ['src/app/pages/**/*.ts'],
    rules: restrict([
      {
        group: ['@logto/*', '@capacitor/*', '**/auth/logto/**', '../../auth/logto/*'],
        message: 'Screens talk to auth only through auth/angular.',
      },
    ]),
  },
  {
    // Node programs and tests print on purpose.
    files: ['dev-idp/**/*.ts', 'test/**/*.ts', 'e2e/**/*.ts', 'e2e-logto/**/*.ts', 'bench/**/*.ts', 'scripts/**', '**/*.spec.ts'],
    rules: { 'no-console': 'off' },
  },
);
