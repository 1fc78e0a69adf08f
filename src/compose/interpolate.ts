// Compose's variable interpolation: $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?msg}, ${VAR?msg}, ${VAR:+r}, ${VAR+r}, $$.
// A variable that is unset and has no default makes the whole value unknown: rules must not guess.

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  value: string;
  unknown: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, env: Environment): Interpolated {
  if (!text.includes('$')) return { value: text, unknown: false };
  const state = { unknown: false };
  const value = expand(text, env, state);
  return { value, unknown: state.unknown };
}

function expand(text: string, env: Environment, state: { unknown: boolean }): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const close = matchingBrace(text, i + 1);
      if (close < 0) {
        out += text.slice(i); // unterminated: Compose rejects it; keep the text and mark it unknown
        state.unknown = true;
        break;
      }
      out += expandBraced(text.slice(i + 2, close), env, state);
      i = close + 1;
    } else {
      const m = NAME.exec(text.slice(i + 1));
      if (!m) {
        out += '$';
        i++;
        continue;
      }
      out += lookup(m[0], env, state);
      i += 1 + m[0].length;
    }
  }
  return out;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function lookup(name: string, env: Environment, state: { unknown: boolean }): string {
  const v = env[name];
  if (v === undefined) state.unknown = true;
  return v ?? '';
}

function expandBraced(inner: string, env: Environment, state: { unknown: boolean }): string {
  const m = NAME.exec(inner);
  if (!m) {
    state.unknown = true;
    return '';
  }
  const name = m[0];
  const rest = inner.slice(name.length);
  if (rest === '') return lookup(name, env, state);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!op) {
    state.unknown = true;
    return '';
  }
  const arg = rest.slice(op.length);
  const v = env[name];
  const unsetOrEmpty = v === undefined || v === '';
  switch (op) {
    case ':-':
      return unsetOrEmpty ? expand(arg, env, state) : (v as string);
    case '-':
      return v === undefined ? expand(arg, env, state) : v;
    case ':?':
    case '?':
      if (op === ':?' ? unsetOrEmpty : v === undefined) state.unknown = true; // Compose stops with `arg` as the error
      return v ?? '';
    case ':+':
      return unsetOrEmpty ? '' : expand(arg, env, state);
    default: // '+'
      return v === undefined ? '' : expand(arg, env, state);
  }
}

/** Parses a `.env` file the way Compose does for the common cases: KEY=VALUE, quotes, comments, `export`. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[m[1]] = value;
  }
  return out;
}
