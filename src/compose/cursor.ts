// What the user is typing at a position, read from the text by indentation (the YAML may be incomplete).

export type CompletionContext =
  | { kind: 'service-network'; service: string }
  | { kind: 'network-mode-service'; start: number }
  | undefined;

const KEY_LINE = /^(\s*)(?:-\s+)?["']?([\w.-]+)["']?\s*:\s*(#.*)?$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The chain of block keys enclosing line `lineNo` (innermost first), found by decreasing indentation. */
function enclosingKeys(lines: string[], lineNo: number, indent: number): string[] {
  const keys: string[] = [];
  let limit = indent;
  for (let i = lineNo - 1; i >= 0 && limit > 0; i--) {
    const l = lines[i];
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    const ind = indentOf(l);
    if (ind >= limit) continue;
    const m = KEY_LINE.exec(l);
    if (!m) return keys;
    keys.push(m[2]);
    limit = ind;
  }
  return keys;
}

export function completionContext(text: string, offset: number): CompletionContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const lines = text.slice(0, lineStart).split('\n');
  lines.pop();
  const lineNo = lines.length;

  const mode = /^\s*network_mode:\s*["']?service:([\w.-]*)$/.exec(before);
  if (mode) return { kind: 'network-mode-service', start: offset - mode[1].length };

  // `networks: [a, |` on one line: the service is the key above this line.
  const flow = /^(\s*)networks:\s*\[[^\]]*$/.exec(before);
  if (flow) {
    const [service, services] = enclosingKeys(lines, lineNo, flow[1].length);
    return service && services === 'services' ? { kind: 'service-network', service } : undefined;
  }
  if (!/^\s*(-\s*)?["']?[\w.-]*$/.test(before)) return undefined;
  const [parent, service, services] = enclosingKeys(lines, lineNo, indentOf(before) || (before.trimStart().startsWith('-') ? 0 : before.length));
  return parent === 'networks' && service && services === 'services' ? { kind: 'service-network', service } : undefined;
}
