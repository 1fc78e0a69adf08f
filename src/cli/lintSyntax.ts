// What `lint`'s command line means, shared by its parser (cli/lint.ts) and by dist/cli.js, which reads the arguments
// before the CLI's code loads to decide how the process starts (cli/tiering.ts startsLean).

/** The characters that make a `lint` argument a glob (expanded by lint itself: `*`, `?`, `[...]`, `{a,b}`). */
export const GLOB_CHARS = /[*?[{]/;

/** The `lint` options that take the next argument as their value (it is then not a path). */
export const LINT_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set(['-f', '--file', '--format']);
