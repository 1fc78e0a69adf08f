// Escaping text from a compose file or the engine for where it is shown: markup (HTML, SVG), Markdown, terminals.

/** Characters XML 1.0 forbids: C0 controls other than tab, newline and carriage return, U+FFFE/U+FFFF, lone surrogates. */
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for HTML and SVG: its special characters as entities, characters XML forbids removed (a parser would reject the page). */
export function escapeMarkup(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Line breaks and other control characters (C0, DEL, C1, line/paragraph separators) that end a Markdown line or block. */
const MARKDOWN_BREAKS = /[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g;

/**
 * Text shown literally inside Markdown (hovers, tooltips): on one line, every punctuation character Markdown
 * (or the HTML it allows) could read as syntax backslash-escaped, so no link, emphasis, heading or list appears.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(MARKDOWN_BREAKS, ' ').replace(/[\\`*_{}[\]()<>#+\-.!|~&"'=:$^]/g, '\\$&');
}

/** An inline code span holding `s` literally, whatever backticks or line breaks it contains. */
export function markdownCode(s: string): string {
  const text = s.replace(MARKDOWN_BREAKS, ' ');
  if (text.trim() === '') return '` `'; // a span of spaces only is shown as one space
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longestRun + 1);
  // A span that starts or ends with a backtick (or is blank) needs a space inside its fences.
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * One field of a terminal line: control characters (C0 except tab, so also line breaks; DEL; C1 including the
 * 8-bit CSI) shown as visible escapes, so a name cannot recolour, erase lines, set the window title or forge a line.
 */
export function escapeTerminal(s: string): string {
  return s.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
