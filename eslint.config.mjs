import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Imports point down (docs/ARCHITECTURE.md, "Layers"): common → db → auth → modules (the inbox is
 * one) → server → main, config.ts, the demo and the scripts. A folder may import its own layer and
 * the layers below it, never one above: each layer lists the folders above it.
 */
const LAYERS = [
  { layer: 'common', files: ['src/common/**'], above: ['db', 'auth', 'modules', 'server', 'demo', 'scripts', 'main', 'config'] },
  { layer: 'db', files: ['src/db/**'], above: ['auth', 'modules', 'server', 'demo', 'scripts', 'main', 'config'] },
  { layer: 'auth', files: ['src/auth/**'], above: ['modules', 'server', 'demo', 'scripts', 'main', 'config'] },
  { layer: 'modules', files: ['src/modules/**'], above: ['server', 'demo', 'scripts', 'main', 'config'] },
  { layer: 'server', files: ['src/server/**'], above: ['demo', 'scripts', 'main', 'config'] },
];

/** Modules sit side by side: one may use another's services and entities, never its resolvers (src/modules/visible.ts). */
const RESOLVERS_OF_ANOTHER_MODULE = {
  regex: '^\\.\\./[^/.]+/[^/]+\\.resolver$',
  message: "A module may not import another module's resolver: what is asked across modules goes in a service or src/modules/visible.ts.",
};

const layerRules = LAYERS.map(({ layer, files, above }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            // Relative imports of src/<a folder above>, from any depth.
            regex: `^(\\.\\./)+(${above.join('|')})(/|$)`,
            message: `Imports point down: ${layer} may not import from ${above.join(', ')} (docs/ARCHITECTURE.md, "Layers").`,
          },
          ...(layer === 'modules' ? [RESOLVERS_OF_ANOTHER_MODULE] : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', 'jest.config.js', 'jest.e2e.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
  {
    // The dashboard's script runs in the browser, as a classic script.
    files: ['src/server/dashboard/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', window: 'readonly', sessionStorage: 'readonly', fetch: 'readonly' },
    },
  },
  {
    // npm start's and npm run dev's helpers, plain Node scripts.
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  {
    // The bench's CommonJS helpers for PostGraphile, run by plain Node (bench/caseload.ts).
    files: ['bench/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', console: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['docs/examples/**/*.{js,mjs}'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly' } },
  },
);
