// One build context per bundle. `--production` minifies, `--watch` rebuilds on change.
// Type checking is separate (`npm run check`): esbuild does none.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Optional native add-ons of ssh2 (used by docker-modem for ssh:// hosts): loaded in try/catch, so leave them out. */
const optionalNative = ['cpu-features', './crypto/build/Release/sshcrypto.node'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

const bundles = [
  {
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...optionalNative],
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: optionalNative,
    banner: { js: '#!/usr/bin/env node' },
  },
];

async function main() {
  const fs = require('fs');
  const contexts = await Promise.all(
    bundles.filter((b) => fs.existsSync(b.entryPoints[0])).map((b) => esbuild.context(b)),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching');
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
