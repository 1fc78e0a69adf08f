// One build context per bundle. `--production` minifies, `--watch` rebuilds on change.
// Type checking is separate (`npm run check`): esbuild does none.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Optional native add-ons of ssh2 (used by docker-modem for ssh:// hosts): loaded in try/catch, so leave them out. */
const optionalNative = ['cpu-features', './crypto/build/Release/sshcrypto.node'];

/**
 * The engine client (dockerode, docker-modem, ssh2) is its own file, dist/dockerode.js, that the extension and the CLI
 * require only when a command first needs the engine: the analyzer path never reads or compiles it.
 */
const dockerodeOutside = {
  name: 'dockerode-outside',
  setup(build) {
    build.onResolve({ filter: /^dockerode$/ }, () => ({ path: './dockerode.js', external: true }));
  },
};

/**
 * dockerode's BuildKit support (a gRPC session server and protobuf decoding of build output: @grpc/grpc-js,
 * protobufjs) serves only `buildImage({version: '2'})` and `docker.followProgress`, which we never call: they are
 * replaced by a stub that throws if anything ever does.
 */
const noBuildKit = {
  name: 'no-buildkit',
  setup(build) {
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      /[\\/]dockerode[\\/]lib$/.test(args.resolveDir) ? { path: args.path, namespace: 'no-buildkit' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-buildkit' }, () => ({
      contents: "const no = () => { throw new Error('BuildKit sessions are not part of this build of dockerode'); }; module.exports = no; module.exports.followProgress = no;",
      loader: 'js',
    }));
  },
};

/**
 * Node modules that the extension's top level would load although only the engine client, a probe, a capture or the
 * analysis worker uses them: they are required on first use of any of their exports (a Proxy that knows their export
 * names from this Node, so esbuild's namespace import copies them without loading). Saves their loading (net, dgram,
 * http, crypto, ...) from the extension's require time. Not for modules whose classes are extended at load time.
 */
const LAZY_BUILTINS = ['child_process', 'crypto', 'http', 'os', 'stream', 'worker_threads'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      loader: 'js',
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
const names = ${JSON.stringify(Object.keys(require(args.path)))};
module.exports = new Proxy({}, {
  get: (_, p) => (p === '__esModule' ? undefined : load()[p]), // esbuild's interop asks this first: not a reason to load
  has: (_, p) => p in load(),
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_, p) => (names.includes(p) ? { configurable: true, enumerable: true, get: () => load()[p] } : undefined),
});`,
    }));
  },
};

/**
 * Packages the extension needs once a compose file is read, not to activate: each is its own file (dist/yaml.js: a
 * quarter of what the extension's require read and compiled), required on first use of an export. Until then every
 * export is a getter; the first use replaces them all with the real values (plain property reads afterwards). Only
 * for packages whose exports are not used at load time and whose state no other bundle of the same process shares.
 */
const LAZY_PACKAGES = { yaml: './yaml.js' };
const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(LAZY_PACKAGES).join('|')})$`);
    // An import of the package -> one ESM module per bundle that re-exports the getters (esbuild copies a CommonJS
    // module's exports into each importing module's namespace: yaml's 70 names into each of 12 modules, once this way).
    build.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-package-getters'
        ? { path: LAZY_PACKAGES[args.path], external: true }
        : { path: args.path, namespace: args.namespace === 'lazy-package' ? 'lazy-package-getters' : 'lazy-package' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({ loader: 'js', contents: `export * from ${JSON.stringify(args.path)};` }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-package-getters' }, (args) => ({
      loader: 'js',
      contents: `const names = ${JSON.stringify(Object.keys(require(args.path)))};
let real;
const load = () => {
  if (real) return real;
  real = require(${JSON.stringify(args.path)});
  for (const n of names) Object.defineProperty(module.exports, n, { value: real[n], enumerable: true, writable: false, configurable: false });
  return real;
};
for (const n of names) Object.defineProperty(module.exports, n, { enumerable: true, configurable: true, get: () => load()[n] });`,
    }));
  },
};

/**
 * External modules many of our modules import (`import * as vscode from 'vscode'`, fs, path): esbuild gives each
 * importing module its own copy of the module's namespace (__toESM: a getter per export; the vscode API has about 200
 * names and 30 of our modules import it, fs about a hundred); through one ESM module that re-exports them, the copy is
 * made once per bundle.
 */
const SHARED_EXTERNALS = ['fs', 'path', 'vscode'];
const sharedExternals = {
  name: 'shared-externals',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${SHARED_EXTERNALS.join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.namespace === 'shared-external' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'shared-external' },
    );
    build.onLoad({ filter: /.*/, namespace: 'shared-external' }, (args) => ({
      loader: 'js',
      contents: `export * from ${JSON.stringify(args.path)};\nexport default require(${JSON.stringify(args.path)});`,
    }));
  },
};

/**
 * CommonJS packages bundled into a file and imported by many of its modules (yaml: 29 names, a dozen modules): esbuild
 * copies the package's exports into each importing module's namespace at load time (a getter per name per module);
 * through one ESM module that exports the package's names as constants (read once, names from the package at build
 * time), an import is a plain binding. Only for packages whose exports are plain values, not getters.
 */
const SHARED_PACKAGES = ['yaml'];
/** Packages bundled from their ES module build: esbuild drops what is not used and needs no wrapper per file. */
const ESM_BUILDS = { yaml: 'node_modules/yaml/browser/index.js' };
const sharedPackages = {
  name: 'shared-packages',
  setup(build) {
    const filter = new RegExp(`^(${SHARED_PACKAGES.join('|')})$`);
    build.onResolve({ filter }, (args) => (args.pluginData === 'shared-packages' ? undefined : { path: args.path, namespace: 'shared-package' }));
    build.onLoad({ filter: /.*/, namespace: 'shared-package' }, async (args) => {
      const esm = ESM_BUILDS[args.path] && JSON.stringify(require('path').join(__dirname, ESM_BUILDS[args.path]));
      if (esm) return { loader: 'js', resolveDir: __dirname, contents: `export * from ${esm};\nexport { default } from ${esm};` };
      const r = await build.resolve(args.path, { resolveDir: __dirname, kind: 'import-statement', pluginData: 'shared-packages' });
      if (r.errors.length > 0) return { errors: r.errors };
      const names = Object.keys(require(args.path)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
      return { loader: 'js', resolveDir: __dirname, contents: `const m = require(${JSON.stringify(r.path)});\nexport default m;\nexport const { ${names.join(', ')} } = m;` };
    });
  },
};

/**
 * The analysis worker takes yaml from dist/yaml.js, the extension's copy (shipped anyway), rather than bundling one of
 * its own: 30 KiB less in the .vsix, and both threads of the extension parse with the very same code. One module of
 * constants re-exports it (as sharedPackages does), so no importing module copies its names.
 */
const yamlBeside = {
  name: 'yaml-beside',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'yaml-beside' }));
    build.onResolve({ filter: /^\.\/yaml\.js$/, namespace: 'yaml-beside' }, () => ({ path: './yaml.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'yaml-beside' }, () => {
      const names = Object.keys(require('yaml')).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
      return { loader: 'js', contents: `const m = require('./yaml.js');\nexport default m;\nexport const { ${names.join(', ')} } = m;` };
    });
  },
};

/**
 * The CLI's engine side (src/engine/**: verify, swarmVerify, probes, the dockerode client, exec, capture...) is its own
 * file, dist/cli-engine.js, loaded when a command first uses one of its exports: `lint` never reads or compiles it.
 * Every import of an engine module from the CLI's code becomes a small module whose exports are getters onto that
 * module inside dist/cli-engine.js (export names from esbuild's metafile of the module), so each engine module exists
 * once in the process and `instanceof EngineError` & co. hold across the two files. dist/cli-engine.js's entry
 * (ENGINE_ENTRY) exports every src/engine module by its path, each evaluated on first access. The CLI's loader
 * (src/bootstrap/cli.ts) offers V8's code cache for it through globalThis[Symbol.for('compose-net.loadBundle')].
 */
const ENGINE_DIR = require('path').join(__dirname, 'src', 'engine');
const ENGINE_ENTRY = 'src/engine';
const engineModuleKey = (file) => require('path').relative(__dirname, file).split(require('path').sep).join('/');
const engineOutside = {
  name: 'engine-outside',
  setup(build) {
    const path = require('path');
    const inEngine = (file) => file.startsWith(ENGINE_DIR + path.sep);
    build.onResolve({ filter: /engine/ }, async (args) => {
      if (args.pluginData === 'engine-outside' || args.namespace !== 'file' || inEngine(args.importer)) return undefined;
      const r = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'engine-outside' });
      if (r.errors.length > 0 || !inEngine(r.path)) return undefined;
      return { path: r.path, namespace: 'engine-outside' };
    });
    build.onLoad({ filter: /.*/, namespace: 'engine-outside' }, async (args) => {
      const names = await exportNames(args.path);
      return {
        loader: 'js',
        resolveDir: __dirname,
        contents: `const key = ${JSON.stringify(engineModuleKey(args.path))};
let real;
const load = () => {
  if (real) return real;
  const file = require('path').join(__dirname, 'cli-engine.js');
  const loadBundle = globalThis[Symbol.for('compose-net.loadBundle')] ?? require;
  real = loadBundle(file)[key];
  for (const n of names) Object.defineProperty(module.exports, n, { value: real[n], enumerable: true, writable: false, configurable: false });
  return real;
};
const names = ${JSON.stringify(names)};
for (const n of names) Object.defineProperty(module.exports, n, { enumerable: true, configurable: true, get: () => load()[n] });`,
      };
    });
  },
};

/**
 * Code that only a command (or the first engine call) runs lives in files of its own, read, compiled and run on first
 * use: `lazyBundles({ entry, groups, options })` splits one program's modules between its main file and those groups
 * (each group a file next to it, named by its key). A module belongs to the main file when the entry reaches it through
 * static imports without passing a group's root; a group gets its roots and what only they reach (groups in order;
 * `dynamicImports: true` takes every `import()` target as a root). Every module exists once in the process, so classes
 * compared with `instanceof` and module state stay one: an import that crosses files is a small module of getters
 * onto the module in its file (export names from esbuild's metafile), which loads that file through V8's code cache
 * (src/bootstrap/codeCache.ts) on first use. A group's file lists its modules by path, each evaluated on first access;
 * the main file lists the modules the groups import from it. Nothing a group holds may be used while the main file
 * loads (e.g. a class extended at top level): the bundle tests check that requiring the main file loads no group.
 */
function lazyBundles({ entry, groups, options }) {
  const path = require('path');
  const key = (file) => path.relative(__dirname, file).split(path.sep).join('/');
  const abs = (k) => path.join(__dirname, k);
  const entryKey = key(path.resolve(__dirname, entry));

  /** owner: module key -> 'main' or a group's file name; exported: file -> keys of its modules that other files import. */
  async function split() {
    const r = await esbuild.build({ ...options, entryPoints: [entry], absWorkingDir: __dirname, write: false, metafile: true, logLevel: 'silent', outfile: '/nonexistent/split.js', minify: false, sourcemap: false });
    const inputs = r.metafile.inputs;
    const isFile = (k) => inputs[k] !== undefined && !/^[\w-]+:/.test(k);
    // A file's imports; a virtual module between (a plugin's, copied into every file that imports it) is looked through.
    const importsOf = (k, dynamic, seen = new Set()) =>
      (inputs[k]?.imports ?? [])
        .filter((i) => !i.external && (dynamic || i.kind !== 'dynamic-import') && inputs[i.path] !== undefined && !seen.has(i.path) && seen.add(i.path))
        .flatMap((i) => (isFile(i.path) ? [i.path] : importsOf(i.path, dynamic, seen)));
    const dynamicTargets = Object.values(inputs).flatMap((v) => (v.imports ?? []).filter((i) => i.kind === 'dynamic-import' && isFile(i.path)).map((i) => i.path));
    const rootsOf = (g) => [...(g.roots ?? []), ...(g.dynamicImports ? dynamicTargets : [])].filter(isFile);
    const allRoots = new Set(Object.values(groups).flatMap(rootsOf));
    const owner = new Map();
    // `import()` targets no group takes stay in the file that imports them (esbuild evaluates them on first use).
    const followDynamic = !Object.values(groups).some((g) => g.dynamicImports);
    const walk = (starts, name) => {
      const todo = [...starts];
      while (todo.length) {
        const k = todo.pop();
        if (owner.has(k)) continue;
        owner.set(k, name);
        for (const i of importsOf(k, followDynamic)) if (!owner.has(i) && !allRoots.has(i)) todo.push(i);
      }
    };
    walk([entryKey], 'main');
    for (const [name, g] of Object.entries(groups)) walk(rootsOf(g).filter((k) => !owner.has(k)), name);
    for (const k of Object.keys(inputs)) if (isFile(k) && !owner.has(k)) owner.set(k, 'main');
    const exported = new Map([['main', new Set()], ...Object.keys(groups).map((g) => [g, new Set()])]);
    for (const k of owner.keys()) for (const i of importsOf(k, true)) if (owner.get(i) !== owner.get(k)) exported.get(owner.get(i)).add(i);
    return { owner, exported };
  }

  const plugin = (bundle) => ({
    name: 'lazy-bundles',
    setup(build) {
      let partition;
      build.onStart(async () => {
        partition = split();
        await partition;
      });
      const virtual = (contents) => ({ loader: 'js', resolveDir: __dirname, contents });
      // The file's entry. main: the program's entry, after the list of its modules other files use. A group: its
      // modules by path, each evaluated on first access, and `link`, through which the main file hands it its loader.
      build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'entry-point' ? { path: bundle, namespace: 'lazy-bundle-entry' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'lazy-bundle-entry' }, async () => {
        const { exported } = await partition;
        if (bundle === 'main') return virtual(`import 'lazy-bundle-main';\nexport * from ${JSON.stringify(abs(entryKey))};`);
        const keys = [...exported.get(bundle)].sort();
        return virtual(
          `import files from 'lazy-bundle-files';
export const link = (moduleOf) => { files.moduleOf = moduleOf; };
export function moduleOf(key) {
  switch (key) {
${keys.map((k) => `    case ${JSON.stringify(k)}: return require(${JSON.stringify(abs(k))});`).join('\n')}
  }
}`,
        );
      });
      // Where the stubs find a module (set by the main file's list, or by `link` in a group's file).
      build.onResolve({ filter: /^lazy-bundle-files$/ }, () => ({ path: 'files', namespace: 'lazy-bundle-files' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-bundle-files' }, () =>
        virtual("module.exports = { moduleOf: () => { throw new Error('a lazily loaded module was used before its loader was set up'); } };"),
      );
      // The main file's modules that other files use (objects of getters onto its bindings, made when first asked for:
      // a namespace object per module would be built at load time), and the loader of the groups' files (once each).
      build.onResolve({ filter: /^lazy-bundle-main$/ }, () => ({ path: 'main', namespace: 'lazy-bundle-main' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-bundle-main' }, async () => {
        const keys = [...(await partition).exported.get('main')].sort();
        const names = await Promise.all(keys.map((k) => exportNames(abs(k))));
        const id = (n, name) => `m${n}_${name.replace(/\W/g, '_')}`;
        return virtual(
          `import * as path from 'path';
import files from 'lazy-bundle-files';
import { loadWithCodeCache } from ${JSON.stringify(abs('src/bootstrap/codeCache.ts'))};
${keys.map((k, n) => `import { ${names[n].map((x) => `${x} as ${id(n, x)}`).join(', ')} } from ${JSON.stringify(abs(k))};`).join('\n')}
function mainModule(key) {
  switch (key) {
${keys.map((k, n) => `    case ${JSON.stringify(k)}: return Object.freeze({ __proto__: null, ${names[n].map((x) => `get ${x}() { return ${id(n, x)}; }`).join(', ')} });`).join('\n')}
  }
}
const modules = new Map();
const groups = new Map();
files.moduleOf = function moduleOf(file, key) {
  const id = file + ':' + key;
  if (!modules.has(id)) {
    if (file === 'main') modules.set(id, mainModule(key));
    else {
      if (!groups.has(file)) {
        const loaded = loadWithCodeCache(path.join(__dirname, file), { writeAfterMs: 10_000 }).exports;
        loaded.link(moduleOf);
        groups.set(file, loaded);
      }
      modules.set(id, groups.get(file).moduleOf(key));
    }
  }
  return modules.get(id);
};`,
        );
      });
      // An import of a module that lives in another file: getters onto it there, that file loaded on first use.
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'lazy-bundles' || args.kind === 'entry-point') return undefined;
        const r = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'lazy-bundles' });
        if (r.errors.length > 0 || r.external || r.namespace !== 'file') return undefined;
        const where = (await partition).owner.get(key(r.path));
        return where !== undefined && where !== bundle ? { path: r.path, namespace: 'lazy-bundle-stub' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-bundle-stub' }, async (args) => {
        const where = (await partition).owner.get(key(args.path));
        const names = await exportNames(args.path);
        return virtual(
          `const files = require('lazy-bundle-files');
let real;
const load = () => (real ??= files.moduleOf(${JSON.stringify(where)}, ${JSON.stringify(key(args.path))}));
Object.defineProperty(module.exports, '__esModule', { value: true });
for (const n of ${JSON.stringify(names)}) Object.defineProperty(module.exports, n, { enumerable: true, get: () => load()[n] });`,
        );
      });
    },
  });
  return { plugin };
}

/** The names a module exports (its own and re-exported), from esbuild's metafile, packages left out. */
async function exportNames(file) {
  const r = await esbuild.build({ entryPoints: [file], bundle: true, write: false, metafile: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'silent', outdir: '/nonexistent' });
  return Object.values(r.metafile.outputs).find((o) => o.entryPoint)?.exports ?? [];
}

/** dist/cli-engine.js's entry: every src/engine module by its path (engineOutside), evaluated on first access. */
const engineEntry = {
  name: 'engine-entry',
  setup(build) {
    build.onResolve({ filter: /^src\/engine$/ }, (args) => (args.kind === 'entry-point' ? { path: ENGINE_DIR, namespace: 'engine-entry' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'engine-entry' }, () => {
      const fs = require('fs');
      const path = require('path');
      const files = fs.readdirSync(ENGINE_DIR, { recursive: true }).map((f) => path.join(ENGINE_DIR, f)).filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f)).sort();
      const getters = files.map((f) => `  ${JSON.stringify(engineModuleKey(f))}: { enumerable: true, get: () => require(${JSON.stringify(f)}) },`);
      return { loader: 'js', resolveDir: __dirname, watchDirs: [ENGINE_DIR], contents: `Object.defineProperties(module.exports, {\n${getters.join('\n')}\n});` };
    });
  },
};

/**
 * The extension's code that only a command runs (esbuild.js lazyBundles): verify, probes, capture, flows, network
 * edits, the resolved model, the diagram renderer, in dist/extension-commands.js. The engine client stays in
 * extension-main.js (evaluated on the first engine call): as a file of its own (every `import()` target, as the CLI's
 * verify/traffic), the host test of an expansion kept across refreshes of the Networks view failed every run
 * (VS Code could not resolve the revealed network's group), which is not understood yet.
 */
const EXTENSION_PLUGINS = [dockerodeOutside, lazyBuiltins, lazyPackages, sharedExternals];
const extensionSplit = lazyBundles({
  entry: 'src/vscode/extension.ts',
  options: { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', ...optionalNative], plugins: EXTENSION_PLUGINS },
  groups: {
    'extension-commands.js': {
      roots: ['probeCommands', 'verifyCommand', 'verifyStack', 'showResolvedModel', 'captureCommand', 'flowsCommand', 'createNetwork', 'filterNetworks', 'networkCommands']
        .map((c) => `src/vscode/commands/${c}.ts`)
        .concat(['src/diagram/layout.ts', 'src/diagram/svg.ts']),
    },
  },
});

/**
 * The CLI's code that `lint` never runs (esbuild.js lazyBundles): verify, verify --stack, capture/flows/exposure (every
 * `import()` target), the diagram renderer and `config`, in dist/cli-commands.js. Its engine side is dist/cli-engine.js
 * (engineOutside).
 */
const CLI_PLUGINS = [engineOutside, dockerodeOutside, sharedExternals, sharedPackages];
const cliSplit = lazyBundles({
  entry: 'src/cli/main.ts',
  options: { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: optionalNative, plugins: CLI_PLUGINS },
  groups: { 'cli-commands.js': { dynamicImports: true, roots: ['src/diagram/layout.ts', 'src/diagram/svg.ts', 'src/cli/config.ts'] } },
});

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

const bundles = [
  {
    // The extension's main (package.json "main"): loads dist/extension-main.js through V8's code cache (src/bootstrap).
    ...common,
    entryPoints: ['src/bootstrap/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [sharedExternals],
  },
  {
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension-main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...optionalNative],
    plugins: [extensionSplit.plugin('main'), ...EXTENSION_PLUGINS],
  },
  ...['extension-commands.js'].map((file) => ({
    // Loaded by extension-main.js on first use (esbuild.js lazyBundles).
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: `dist/${file}`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...optionalNative],
    plugins: [extensionSplit.plugin(file), ...EXTENSION_PLUGINS],
  })),
  {
    ...common,
    entryPoints: ['node_modules/dockerode/lib/docker.js'],
    outfile: 'dist/dockerode.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: optionalNative,
    plugins: [noBuildKit],
  },
  {
    // `yaml` for the extension (esbuild.js lazyPackages): required when a compose file is first read.
    ...common,
    entryPoints: ['node_modules/yaml/dist/index.js'],
    outfile: 'dist/yaml.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The analysis worker: compose analysis and file reads off the extension host's thread (no vscode, no dockerode).
    ...common,
    entryPoints: ['src/worker/analysisWorker.ts'],
    outfile: 'dist/analysisWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [sharedExternals, yamlBeside],
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
    // The `compose-net` command (package.json "bin"): loads dist/cli-main.js through V8's code cache (src/bootstrap).
    ...common,
    entryPoints: ['src/bootstrap/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [sharedExternals],
    // Node's compile cache (Node >= 22.1) for what the CLI loads later (dist/dockerode.js); a no-op on older Node.
    banner: { js: "#!/usr/bin/env node\ntry { require('module').enableCompileCache?.(); } catch {}" },
  },
  {
    // A worker thread of `lint` over many projects (src/cli/threads.ts): loads dist/cli-main.js as dist/cli.js does.
    ...common,
    entryPoints: ['src/bootstrap/cliWorker.ts'],
    outfile: 'dist/cli-worker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [sharedExternals],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli-main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: optionalNative,
    plugins: [cliSplit.plugin('main'), ...CLI_PLUGINS],
  },
  {
    // Loaded by cli-main.js when a command other than lint first needs it (esbuild.js lazyBundles).
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli-commands.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: optionalNative,
    plugins: [cliSplit.plugin('cli-commands.js'), ...CLI_PLUGINS],
  },
  {
    // The CLI's engine side (esbuild.js engineOutside): required when a command first needs the engine.
    ...common,
    entryPoints: [ENGINE_ENTRY],
    outfile: 'dist/cli-engine.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: optionalNative,
    plugins: [engineEntry, dockerodeOutside, sharedExternals, sharedPackages],
  },
];

/**
 * dist/package.json: Node looks for the package scope of every CommonJS file it loads (for "type"); without one in
 * dist/ it reads and parses the extension's manifest (36 KB) when dist/cli.js or dist/extension.js starts.
 */
function writeScope(dir) {
  const fs = require('fs');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(require('path').join(dir, 'package.json'), '{ "type": "commonjs" }\n');
}

async function main() {
  const fs = require('fs');
  writeScope(require('path').join(__dirname, 'dist'));
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

/**
 * Builds the bundles that run in Node (not the webview) into `dir` with these options on top (e.g. minify), as the
 * bundle tests and the start-up benchmark need them: the metafile of each, by file name.
 */
async function buildRuntimeInto(dir, overrides = {}) {
  const path = require('path');
  const metafiles = {};
  writeScope(dir);
  for (const b of bundles.filter((x) => x.platform === 'node')) {
    const name = path.basename(b.outfile);
    const r = await esbuild.build({ ...b, absWorkingDir: __dirname, logLevel: 'silent', metafile: true, ...overrides, outfile: path.join(dir, name) });
    metafiles[name] = r.metafile;
  }
  return metafiles;
}

// Required by the bundle tests (test/unit/bundle.test.ts) and bench/startup.ts for the same options; run as a script, it builds.
module.exports = { bundles, buildRuntimeInto, engineOutside, lazyBuiltins, lazyBundles, lazyPackages, sharedExternals, sharedPackages };
if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
