// The characters that make a `lint` argument a glob (expanded by lint itself: `*`, `?`, `[...]`, `{a,b}`). Its own
// file because dist/cli.js reads it too, before the CLI's code loads (cli/tiering.ts startsLean).
export const GLOB_CHARS = /[*?[{]/;
