// dist/extension.js, the extension's main: loads the extension bundle (dist/extension-main.js) through V8's code cache.
// The cache is written once the first activation has compiled the analyzer path (or when the host exits).
import * as path from 'path';
import { loadWithCodeCache } from './codeCache';

module.exports = loadWithCodeCache(path.join(__dirname, 'extension-main.js'), { writeAfterMs: 30_000 }).exports;
