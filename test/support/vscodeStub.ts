// A `node -r <stub>` preload making `require('vscode')` answer anything: enough to require the extension's bundle
// outside VS Code (bundle tests, the start-up benchmark). Like the real API object, the stub has the API's top-level
// names (from @types/vscode) as own properties, so esbuild's namespace interop copies as many as it would in VS Code;
// each is a stub, callable and constructible, and so is anything read from it.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');

/** The names `declare module 'vscode'` exports at its top level (namespaces, classes, enums, functions, constants). */
export function vscodeApiNames(): string[] {
  const dts = fs.readFileSync(path.join(ROOT, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  return [...new Set([...dts.matchAll(/^\texport (?:namespace|class|enum|function|const|let|var) (\w+)/gm)].map((m) => m[1]))];
}

/** Writes the preload into `dir` and returns its path. */
export function writeVscodeStub(dir: string): string {
  const stub = path.join(dir, 'vscode-stub.js');
  fs.writeFileSync(
    stub,
    `const Module = require('module');
const make = () => new Proxy(function () {}, { get: (t, p) => (p === Symbol.toPrimitive ? () => '' : p === 'then' ? undefined : make()), apply: () => make(), construct: () => make() });
const vscode = Object.create(make());
for (const name of ${JSON.stringify(vscodeApiNames())}) vscode[name] = make();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
`,
  );
  return stub;
}
