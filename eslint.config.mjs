// Lint, and the layer boundaries of docs/architecture: only src/vscode imports `vscode`,
// only src/engine imports `dockerode`, src/compose and src/shared stay pure.
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/vscode may import vscode (layer boundary).' };
const noDockerode = { name: 'dockerode', message: 'Only src/engine may import dockerode (layer boundary).' };
const restrict = (...paths) => ({ 'no-restricted-imports': ['error', { paths }] });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'sample/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/compose/**', 'src/diagram/**', 'src/shared/**', 'src/traffic/**', 'webview/**'], rules: restrict(noVscode, noDockerode) },
  { files: ['src/engine/**'], rules: restrict(noVscode) },
  { files: ['src/vscode/**', 'src/cli/**'], rules: restrict(noDockerode) },
);
