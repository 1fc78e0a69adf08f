// Compose's variable interpolation: $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?msg}, ${VAR?msg}, ${VAR:+r}, ${VAR+r}, $$.
// A variable that is unset and has no default makes the whole value unknown: rules must not guess.

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  value: string;
  unknown: boolean;
  /** Set when `${...}` nests deeper than MAX_INTERPOLATION_DEPTH: the value is unknown and the analyzer says so. */
  tooDeep?: boolean;
}

/** Deeper nesting than this is not expanded (real files nest two or three levels). */
export const MAX_INTERPOLATION_DEPTH = 64;

/**
 * The value of a variable: own properties only, so `${constructor}` or `${__proto__}` read like any unset
 * variable instead of reaching Object.prototype; non-strings count as unset.
 */
export function envValue(env: Environment, name: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(env, name)) return undefined;
  const v = env[name];
  return typeof v === 'string' ? v : undefined;
}

export function interpolate(text: string, env: Environment): Interpolated {
  if (!text.includes('$')) return { value: text, unknown: false };
  return new Expander(text, env).run();
}

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

/** A span of the text being expanded into `out`; its result is appended to the frame below it. */
interface Frame {
  pos: number;
  end: number;
  out: string;
}

/**
 * Expands with an explicit stack instead of recursion, so nesting depth costs heap, not call stack, and each
 * character is scanned once: braces are matched in one pass up front.
 */
class Expander {
  private readonly close = new Map<number, number>();
  private unknown = false;
  private tooDeep = false;

  constructor(
    private readonly text: string,
    private readonly env: Environment,
  ) {
    const open: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 123) open.push(i);
      else if (c === 125 && open.length) this.close.set(open.pop()!, i);
    }
  }

  run(): Interpolated {
    const { text } = this;
    const stack: Frame[] = [{ pos: 0, end: text.length, out: '' }];
    for (;;) {
      const f = stack[stack.length - 1];
      if (f.pos >= f.end) {
        stack.pop();
        if (stack.length === 0) return { value: f.out, unknown: this.unknown, ...(this.tooDeep ? { tooDeep: true } : {}) };
        stack[stack.length - 1].out += f.out;
        continue;
      }
      const dollar = text.indexOf('$', f.pos);
      if (dollar < 0 || dollar >= f.end) {
        f.out += text.slice(f.pos, f.end);
        f.pos = f.end;
        continue;
      }
      f.out += text.slice(f.pos, dollar);
      const next = dollar + 1 < f.end ? text[dollar + 1] : '';
      if (next === '$') {
        f.out += '$';
        f.pos = dollar + 2;
      } else if (next === '{') {
        const close = this.close.get(dollar + 1);
        if (close === undefined || close >= f.end) {
          f.out += text.slice(dollar, f.end); // unterminated: Compose rejects it; keep the text and mark it unknown
          this.unknown = true;
          f.pos = f.end;
          continue;
        }
        f.pos = close + 1;
        const arg = this.braced(f, dollar + 2, close);
        if (!arg) continue;
        if (stack.length >= MAX_INTERPOLATION_DEPTH) {
          this.unknown = true;
          this.tooDeep = true;
          continue;
        }
        stack.push({ pos: arg.start, end: close, out: '' });
      } else {
        let end = dollar + 1;
        if (end < f.end && isNameStart(text.charCodeAt(end))) while (end < f.end && isNameChar(text.charCodeAt(end))) end++;
        if (end === dollar + 1) {
          f.out += '$';
          f.pos = dollar + 1;
          continue;
        }
        f.out += this.lookup(text.slice(dollar + 1, end));
        f.pos = end;
      }
    }
  }

  private lookup(name: string): string {
    const v = envValue(this.env, name);
    if (v === undefined) this.unknown = true;
    return v ?? '';
  }

  /** `${inner}` between `start` and `close`: appends a direct result to `f`, or returns the argument to expand. */
  private braced(f: Frame, start: number, close: number): { start: number } | undefined {
    const { text } = this;
    let end = start;
    if (end < close && isNameStart(text.charCodeAt(end))) while (end < close && isNameChar(text.charCodeAt(end))) end++;
    if (end === start) {
      this.unknown = true;
      return undefined;
    }
    const name = text.slice(start, end);
    if (end === close) {
      f.out += this.lookup(name);
      return undefined;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, end));
    if (!op) {
      this.unknown = true;
      return undefined;
    }
    const arg = { start: end + op.length };
    const v = envValue(this.env, name);
    const unsetOrEmpty = v === undefined || v === '';
    switch (op) {
      case ':-':
        if (unsetOrEmpty) return arg;
        f.out += v;
        return undefined;
      case '-':
        if (v === undefined) return arg;
        f.out += v;
        return undefined;
      case ':?':
      case '?':
        if (op === ':?' ? unsetOrEmpty : v === undefined) this.unknown = true; // Compose stops with the argument as the error
        f.out += v ?? '';
        return undefined;
      case ':+':
        return unsetOrEmpty ? undefined : arg;
      default: // '+'
        return v === undefined ? undefined : arg;
    }
  }
}
