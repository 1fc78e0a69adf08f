// `.env` and `env_file` syntax as Compose v2 reads it (behaviour learnt from compose-go's dotenv parser):
// - blank lines and lines starting with `#` are skipped; an `export ` prefix is dropped;
// - a key is letters, digits, `_`, `.`, `-`, `[`, `]`; it ends at `=` (or `:`, the YAML-like form);
//   a key alone on its line takes its value from the environment, when set there;
// - unquoted values run to the end of the line, are cut at ` #` (an inline comment) and trimmed on the right;
// - 'single quotes' keep the text as written (no escapes, no interpolation); "double quotes" expand
//   \n \r \t \\ \" \$ (and the other C escapes), then interpolate; both may span lines and may be followed by a comment;
// - `${VAR}` and `$VAR` refer to variables defined earlier in the same file first, then to the environment.
import { envValue, interpolate, type Environment } from './interpolate';
import { LineIndex } from './text';

export interface DotEnvError {
  /** 1-based line where the problem starts. */
  line: number;
  message: string;
}

export interface DotEnvResult {
  values: Record<string, string>;
  errors: DotEnvError[];
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\' };

/** A dictionary without prototype keys: `toString` is a variable like any other. */
export function emptyEnv(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f' || c === '\u0085' || c === '\u00a0';
const isKeyChar = (c: string) => /[\p{L}\p{N}_.\-[\]]/u.test(c);

/** Parses dotenv text. `lookup` is the environment that `${VAR}` falls back to and that bare `KEY` lines read. */
export function parseDotEnvText(text: string, lookup: Environment = {}): DotEnvResult {
  const values = emptyEnv();
  const errors: DotEnvError[] = [];
  const src = text.replace(/^\uFEFF/, '');
  let i = 0;
  let lines: LineIndex | undefined; // built on the first error: slicing the prefix per error was quadratic
  const lineAt = (pos: number) => (lines ??= new LineIndex(src)).positionAt(pos).line + 1;
  const skipToEol = () => {
    const nl = src.indexOf('\n', i);
    i = nl < 0 ? src.length : nl + 1;
  };
  // Earlier variables of this file over the environment, kept up to date as values are set (not copied per value).
  const scope = Object.assign(emptyEnv(), lookup);
  const expand = (value: string): string => {
    if (!value.includes('$')) return value;
    // Earlier variables of this file first, then the environment.
    return interpolate(value, scope).value;
  };
  while (i < src.length) {
    // Statement start: skip whitespace (including newlines) and comment lines.
    while (i < src.length && (isBlank(src[i]) || src[i] === '\n')) i++;
    if (i >= src.length) break;
    if (src[i] === '#') {
      skipToEol();
      continue;
    }
    const start = i;
    const exportMatch = /^export[ \t]+/.exec(src.slice(i, i + 20));
    if (exportMatch) i += exportMatch[0].length;
    // The key: up to `=`, `:` or the end of the line.
    let key = '';
    let sep: string | undefined;
    let bad: string | undefined;
    for (; i < src.length; i++) {
      const c = src[i];
      if (c === '=' || c === ':' || c === '\n') {
        sep = c;
        i++;
        break;
      }
      if (isBlank(c)) {
        key += c;
        continue;
      }
      if (!isKeyChar(c)) {
        bad = c;
        break;
      }
      key += c;
    }
    key = key.trimEnd();
    if (bad !== undefined) {
      errors.push({ line: lineAt(start), message: `unexpected character "${bad}" in variable name` });
      skipToEol();
      continue;
    }
    if (/\s/.test(key)) {
      errors.push({ line: lineAt(start), message: `key "${key}" cannot contain a space` });
      if (sep !== '\n') skipToEol();
      continue;
    }
    if (key === '') {
      if (sep !== undefined && sep !== '\n') skipToEol();
      continue;
    }
    if (sep === undefined || sep === '\n') {
      // A key alone: inherited from the environment when set there.
      const v = envValue(lookup, key);
      if (v !== undefined) values[key] = scope[key] = v;
      continue;
    }
    while (i < src.length && isBlank(src[i])) i++;
    const quote = src[i];
    if (quote === '"' || quote === "'") {
      let end = -1;
      for (let j = i + 1; j < src.length; j++) {
        if (src[j] === quote && src[j - 1] !== '\\') {
          end = j;
          break;
        }
      }
      if (end < 0) {
        errors.push({ line: lineAt(start), message: `unterminated quoted value for ${key}` });
        break;
      }
      const raw = src.slice(i + 1, end);
      values[key] = scope[key] = quote === "'" ? raw : expand(unescapeDouble(raw));
      i = end + 1;
      continue; // what follows on the line is whitespace or a comment, skipped as a statement start
    }
    const nl = src.indexOf('\n', i);
    let value = src.slice(i, nl < 0 ? src.length : nl);
    i = nl < 0 ? src.length : nl + 1;
    const comment = value.indexOf(' #');
    if (comment >= 0) value = value.slice(0, comment);
    values[key] = scope[key] = expand(value.trimEnd()); // trimEnd, not /\s+$/: that is quadratic on long runs of spaces
  }
  return { values, errors };
}

/** Double-quoted escapes; `\$` stays a literal dollar (written `$$` for interpolation). */
function unescapeDouble(raw: string): string {
  return raw.replace(/\\([abfnrtv"\\$]|0[0-7]{0,3})/g, (_m, c: string) => {
    if (c === '$') return '$$';
    if (c.startsWith('0')) return String.fromCharCode(parseInt(c.slice(1) || '0', 8));
    return ESCAPES[c];
  });
}

/** The values only (errors dropped): for callers that just need the variables. */
export function parseDotEnv(text: string, lookup: Environment = {}): Record<string, string> {
  return parseDotEnvText(text, lookup).values;
}
