// Strings from compose files and the engine, escaped for where they are shown: Markdown, SVG (XML), terminal.
import * as assert from 'assert';
import { renderSvg } from '../../../src/diagram/svg';
import { layoutProject } from '../../../src/diagram/layout';
import { attachmentTooltip, networkTooltip } from '../../../src/engine/view';
import type { NetworkSummary } from '../../../src/engine/model';
import { escapeMarkdown, escapeMarkup, escapeTerminal, markdownCode } from '../../../src/shared/escape';
import { overlayLine, ownValue } from '../../../src/shared/overlay';
import { lint } from '../compose/helpers';

// A CommonMark renderer with autolinks, standing in for the editor's Markdown (the one vsce uses to render READMEs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const markdownIt = require('markdown-it') as (opts: object) => { render(s: string): string };
const md = markdownIt({ linkify: true, html: false });

const HOSTILE = 'web\n\n[click me](command:workbench.action.quit) `code` ``` **bold** www.evil.example https://evil.example/x <img src=x>\n# Heading\n- item';

/** The rendered HTML has exactly one paragraph, no link, no emphasis beyond ours, no heading or list. */
function assertInert(html: string, ours: { strong?: number } = {}): void {
  assert.strictEqual((html.match(/<p>/g) ?? []).length, 1, html);
  assert.ok(!/<a[\s>]/.test(html), `a link was injected: ${html}`);
  assert.ok(!/<(h\d|ul|ol|li|img|em|pre)[\s>]/.test(html), `markup was injected: ${html}`);
  assert.strictEqual((html.match(/<strong>/g) ?? []).length, ours.strong ?? 0, html);
}

describe('escaping for Markdown (hovers, tooltips)', () => {
  it('escaped text renders as the literal text on one line: no link, heading, list or emphasis', () => {
    const html = md.render(`**Network ${escapeMarkdown(HOSTILE)}**`);
    assertInert(html, { strong: 1 });
    assert.ok(html.includes('[click me](command:workbench.action.quit)'), html);
  });

  it('a code span holds any text literally, whatever backticks and blank lines it has', () => {
    for (const text of [HOSTILE, '`', '``a``', ' lead', 'trail`', '', 'a\r\n\r\nb']) {
      const html = md.render(`label: ${markdownCode(text)}`);
      assertInert(html);
      const code = /<code>([\s\S]*)<\/code>/.exec(html)?.[1];
      const expected = text === '' ? ' ' : text.replace(/[\r\n]+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
      assert.strictEqual(code, expected, `${JSON.stringify(text)} -> ${html}`);
    }
  });

  it('network and container tooltips keep engine labels, names and status inside their own item', () => {
    const network: NetworkSummary = {
      id: 'a'.repeat(64), name: 'evil[x](https://evil.example)', driver: 'bridge', scope: 'local', internal: false, attachable: false, ipv6: false,
      builtIn: false, subnets: [], options: {}, labels: { 'com.example.note': HOSTILE, [HOSTILE]: 'v' }, created: '',
    } as unknown as NetworkSummary;
    const html = md.render(networkTooltip(network));
    assert.ok(!/<a[\s>]/.test(html) && !/<(h\d|img|em)[\s>]/.test(html), html);
    assert.strictEqual((html.match(/<li>/g) ?? []).length, 5, html); // ID, driver, flags, and the two labels: nothing more
    const container = { id: 'c', name: 'app[x](https://evil.example)', image: HOSTILE, state: 'running', status: 'Up\n\n# pwned', endpoints: [] };
    const tip = md.render(attachmentTooltip({ container, endpoint: { networkName: 'n\n\n[x](y)', networkId: 'n', ipv4: '', ipv6: '', mac: '', aliases: [HOSTILE] } } as never));
    assert.ok(!/<a[\s>]/.test(tip) && !/<(h\d|img|em)[\s>]/.test(tip), tip);
  });
});

/** XML 1.0's Char production: what a conforming parser (the webview's DOMParser, an SVG viewer) accepts. */
const XML_CHARS = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

describe('escaping for SVG (XML)', () => {
  it('removes the C0 controls, U+FFFE/U+FFFF and lone surrogates XML forbids, keeps tab and newline', () => {
    assert.strictEqual(escapeMarkup('a\x00b\x07c\x1bd\ufffe\uffffe\ud800f\tg\nh<&>"'), 'abcdef\tg\nh&lt;&amp;&gt;&quot;');
    assert.strictEqual(escapeMarkup('😀'), '😀');
  });

  it('a project whose names and image carry control characters still renders as valid XML', () => {
    const a = lint('services:\n  "we\\u0001b":\n    image: "nginx\\u001b[31m\\u0000\\uFFFF"\n    networks: ["fro\\u0007nt"]\n  "x😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀": {image: a}\nnetworks:\n  "fro\\u0007nt": {}\n');
    assert.ok([...a.project.services.keys()].some((s) => s.includes('\x01')), 'the name reached the model with its control character');
    const svg = renderSvg(layoutProject(a), 'standalone');
    assert.ok(XML_CHARS.test(svg), `not XML: ${JSON.stringify(svg.match(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u))}`);
    assert.ok(svg.includes('data-service="web"'), 'the name without its control character');
  });
});

describe('escaping for the terminal', () => {
  it('shows control characters (ESC, CSI, BEL, line breaks) as visible escapes and keeps tab and Unicode', () => {
    assert.strictEqual(escapeTerminal('a\x1b[2Kb\x1b]0;title\x07c\x9b31md\r\ne\tf é\u2028'), 'a\\x1b[2Kb\\x1b]0;title\\x07c\\x9b31md\\x0d\\x0ae\tf é\\u2028');
  });
});

describe('webview lookups by name', () => {
  it('a service named like an Object.prototype member has no overlay unless the host sent one', () => {
    const services = { web: { state: 'running', addresses: { front: '10.0.0.2' } } };
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      assert.strictEqual(ownValue(services, name), undefined, name);
      assert.strictEqual(overlayLine(services, name), '', name);
    }
    assert.strictEqual(overlayLine(services, 'web'), '● running · front 10.0.0.2');
    const own = JSON.parse('{"constructor": {"state": "exited", "addresses": {}}, "__proto__": {"state": "running", "addresses": {}}}');
    assert.strictEqual(overlayLine(own, 'constructor'), '● exited');
    assert.strictEqual(overlayLine(own, '__proto__'), '● running');
    assert.deepStrictEqual(ownValue({ toString: ['n'] } as Record<string, string[]>, 'toString'), ['n']);
  });
});
