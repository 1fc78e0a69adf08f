// Evaluates the `when` clauses package.json menus use (==, !=, =~ /re/, !, &&, ||, parentheses), so tests can
// ask which commands a tree item's context menu offers. Enough of VS Code's grammar for our own menus.
export type Context = Record<string, string | boolean | undefined>;

export function evaluateWhen(clause: string, context: Context): boolean {
  const tokens = clause.match(/\/(?:\\.|[^/\\])*\/[a-z]*|==|!=|=~|&&|\|\||[()!]|[^\s()!=&|~]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const value = (t: string): string | boolean | undefined => (t === 'true' ? true : t === 'false' ? false : t in context ? context[t] : t.replace(/^'(.*)'$/, '$1'));
  const or = (): boolean => {
    let v = and();
    while (peek() === '||') {
      i++;
      v = and() || v;
    }
    return v;
  };
  const and = (): boolean => {
    let v = unary();
    while (peek() === '&&') {
      i++;
      v = unary() && v;
    }
    return v;
  };
  const unary = (): boolean => {
    if (peek() === '!') {
      i++;
      return !unary();
    }
    if (peek() === '(') {
      i++;
      const v = or();
      i++; // ')'
      return v;
    }
    const key = tokens[i++];
    const op = peek();
    if (op === '==' || op === '!=') {
      i++;
      const right = tokens[i++];
      const equal = String(context[key] ?? '') === String(value(right));
      return op === '==' ? equal : !equal;
    }
    if (op === '=~') {
      i++;
      const literal = tokens[i++];
      const m = /^\/(.*)\/([a-z]*)$/.exec(literal)!;
      return new RegExp(m[1], m[2]).test(String(context[key] ?? ''));
    }
    return !!context[key];
  };
  return or();
}
