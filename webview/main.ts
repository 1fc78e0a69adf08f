// The diagram webview: shows the SVG the host renders, keeps zoom and pan across updates, lets the user
// navigate by mouse and keyboard, filter by network, and export. Imports only src/shared.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { diagramCss } from '../src/shared/diagramStyle';
import { overlayLines, ownValue } from '../src/shared/overlay';
import { isHostToWebview, type HostToWebview, type WebviewToHost } from '../src/shared/protocol';

declare function acquireVsCodeApi(): { postMessage(m: WebviewToHost): void; getState(): ViewState | undefined; setState(s: ViewState): void };

interface ViewState {
  scale: number;
  x: number;
  y: number;
  filter: string;
  /** Fitted, not zoomed or panned by the user since: the view fits again on resize and when the diagram grows. */
  auto?: boolean;
}

const vscode = acquireVsCodeApi();
const state: ViewState = vscode.getState() ?? { scale: 1, x: 0, y: 0, filter: '', auto: true };
/** Below this scale card text is too small to read: fit the width instead and let the user pan down. */
const READABLE_SCALE = 0.6;
/** How much of the diagram always stays on screen, so zooming or panning never loses it. */
const KEEP_VISIBLE_PX = 80;
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')!.content;
const canvas = document.getElementById('canvas')!;
const stage = document.getElementById('stage')!;
const status = document.getElementById('status')!;
const live = document.getElementById('live')!;
const filter = document.getElementById('filter') as HTMLElement & { value: string };
let current: Extract<HostToWebview, { type: 'render' }> | undefined;

const style = document.createElement('style');
style.nonce = nonce;
style.textContent = diagramCss('vscode') + '\n.dimmed { opacity: .15; }';
document.head.appendChild(style);

function post(m: WebviewToHost): void {
  vscode.postMessage(m);
}

function applyTransform(): void {
  stage.style.transform = `translate(${state.x}px, ${state.y}px) scale(${state.scale})`;
  vscode.setState(state);
}

function diagramSize(): { w: number; h: number } | undefined {
  const svg = stage.querySelector('svg');
  return svg ? { w: Number(svg.getAttribute('width')), h: Number(svg.getAttribute('height')) } : undefined;
}

/** Keeps part of the diagram inside the canvas whatever the zoom or pan. */
function keepInView(): void {
  const size = diagramSize();
  if (!size) return;
  const [w, h] = [size.w * state.scale, size.h * state.scale];
  const [mx, my] = [Math.min(KEEP_VISIBLE_PX, w / 2), Math.min(KEEP_VISIBLE_PX, h / 2)];
  state.x = Math.min(canvas.clientWidth - mx, Math.max(mx - w, state.x));
  state.y = Math.min(canvas.clientHeight - my, Math.max(my - h, state.y));
}

/** Zooms around a point of the canvas (the pointer, or the viewport's centre from the keyboard and buttons). */
function zoom(factor: number, cx = canvas.clientWidth / 2, cy = canvas.clientHeight / 2): void {
  const next = Math.min(4, Math.max(0.1, state.scale * factor));
  state.x = cx - ((cx - state.x) * next) / state.scale;
  state.y = cy - ((cy - state.y) * next) / state.scale;
  state.scale = next;
  state.auto = false;
  keepInView();
  applyTransform();
}

/** The whole diagram when it is readable that way; else the full width at a readable size, from the top. */
function fit(): void {
  const size = diagramSize();
  if (!size || !canvas.clientWidth || !canvas.clientHeight) return;
  const [cw, ch] = [canvas.clientWidth, canvas.clientHeight];
  const whole = Math.min(cw / size.w, ch / size.h) * 0.95;
  state.scale = Math.min(1.5, whole >= READABLE_SCALE ? whole : Math.max(READABLE_SCALE, Math.min(1, (cw / size.w) * 0.95)));
  state.x = Math.max(8, (cw - size.w * state.scale) / 2);
  state.y = 8; // from the top: the tier labels are where the eye starts
  state.auto = true;
  applyTransform();
}

// A resized editor (split, side bar, window) fits again unless the user chose a zoom; then the diagram stays in view.
new ResizeObserver(() => {
  if (state.auto !== false) fit();
  else {
    keepInView();
    applyTransform();
  }
}).observe(canvas);

function applyFilter(): void {
  if (!current) return;
  const network = state.filter;
  for (const g of stage.querySelectorAll<SVGGElement>('[data-network]')) g.classList.toggle('dimmed', !!network && g.dataset.network !== network);
  for (const g of stage.querySelectorAll<SVGGElement>('[data-service]')) g.classList.toggle('dimmed', !!network && !(ownValue(current.networksOf, g.dataset.service!) ?? []).includes(network));
}

function render(m: Extract<HostToWebview, { type: 'render' }>): void {
  current = m;
  // The SVG is our own renderer's output (escaped text, no scripts); parse it as SVG rather than splicing HTML.
  const doc = new DOMParser().parseFromString(m.svg, 'image/svg+xml');
  stage.replaceChildren(document.importNode(doc.documentElement, true));
  const options = ['', ...m.networks];
  if (filter.dataset.options !== options.join('\n')) {
    filter.dataset.options = options.join('\n');
    filter.replaceChildren(
      ...options.map((n) => {
        const o = document.createElement('vscode-option');
        o.setAttribute('value', n);
        o.textContent = n || 'All networks';
        return o;
      }),
    );
    if (!m.networks.includes(state.filter)) state.filter = '';
    filter.value = state.filter;
  }
  applyFilter();
  // New content (a service added) fits again while the view is fitted; a user's zoom is kept, but never off-screen.
  if (state.auto !== false) fit();
  else {
    keepInView();
    applyTransform();
  }
  const services = stage.querySelectorAll('[data-service]').length;
  status.textContent = `${services} services · ${m.networks.length} networks · ${m.file}`;
  post({ type: 'rendered', file: m.file, services, networks: stage.querySelectorAll('[data-network]').length });
}

/** The SVG with the theme's colours written in, so an exported picture looks like the one on screen. */
function themedSvg(): string {
  const svg = stage.querySelector('svg')!.cloneNode(true) as SVGSVGElement;
  const computed = getComputedStyle(document.documentElement);
  const css = diagramCss('vscode').replace(/var\((--[\w-]+), ([^)]+)\)/g, (_, name: string, fallback: string) => computed.getPropertyValue(name).trim() || fallback);
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  el.textContent = css;
  svg.insertBefore(el, svg.firstChild);
  for (const d of svg.querySelectorAll('.dimmed')) d.classList.remove('dimmed');
  return new XMLSerializer().serializeToString(svg);
}

async function exportPng(): Promise<void> {
  const svgText = themedSvg();
  const svg = stage.querySelector('svg')!;
  const [w, h] = [Number(svg.getAttribute('width')), Number(svg.getAttribute('height'))];
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('could not rasterise the diagram'));
    img.src = url;
  });
  const c = document.createElement('canvas');
  c.width = w * 2;
  c.height = h * 2;
  const ctx = c.getContext('2d')!;
  ctx.scale(2, 2);
  ctx.drawImage(img, 0, 0);
  URL.revokeObjectURL(url);
  post({ type: 'export', format: 'png', data: c.toDataURL('image/png') });
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const m = e.data;
  if (!isHostToWebview(m)) return; // only our host's well-formed messages
  switch (m.type) {
    case 'render':
      render(m);
      break;
    case 'highlight':
      for (const g of stage.querySelectorAll('.service.highlight')) g.classList.remove('highlight');
      if (m.service) stage.querySelector(`[data-service="${CSS.escape(m.service)}"]`)?.classList.add('highlight');
      break;
    case 'overlay':
      for (const t of stage.querySelectorAll<SVGTextElement>('[data-overlay-for]')) {
        // The state, then one line per address: the card keeps room for them, so nothing is clipped (or exported clipped).
        const x = t.getAttribute('x')!;
        t.replaceChildren(
          ...overlayLines(m.services, t.dataset.overlayFor!).map((line, i) => {
            const span = document.createElementNS('http://www.w3.org/2000/svg', 'tspan');
            span.setAttribute('x', x);
            if (i > 0) span.setAttribute('dy', '15');
            span.textContent = line;
            return span;
          }),
        );
      }
      // An unreachable engine must not leave the last known "● running" on screen: say the overlay is unavailable.
      live.textContent = m.unavailable ?? '';
      live.hidden = !m.unavailable;
      post({ type: 'overlaid', live: [...stage.querySelectorAll('[data-overlay-for]')].filter((t) => t.textContent).length, ...(m.unavailable ? { unavailable: m.unavailable } : {}) });
      break;
    case 'error':
      status.textContent = m.message;
      break;
  }
});

// Mouse: wheel zooms at the pointer, drag pans, click reveals the definition.
canvas.addEventListener('wheel', (e) => {
  e.preventDefault();
  // offsetX/Y are relative to whatever element is under the pointer (a card, a label): measure from the canvas.
  const box = canvas.getBoundingClientRect();
  zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1, e.clientX - box.left, e.clientY - box.top);
}, { passive: false });
let drag: { x: number; y: number; moved: boolean } | undefined;
canvas.addEventListener('pointerdown', (e) => (drag = { x: e.clientX, y: e.clientY, moved: false }));
window.addEventListener('pointermove', (e) => {
  if (!drag) return;
  const [dx, dy] = [e.clientX - drag.x, e.clientY - drag.y];
  if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
  if (drag.moved) {
    state.x += dx;
    state.y += dy;
    state.auto = false;
    keepInView();
    drag.x = e.clientX;
    drag.y = e.clientY;
    applyTransform();
  }
});
window.addEventListener('pointerup', () => setTimeout(() => (drag = undefined)));

function reveal(target: EventTarget | null): void {
  const g = (target as Element | null)?.closest?.('[data-service], [data-network]') as SVGGElement | null;
  if (!g) return;
  if (g.dataset.service) post({ type: 'reveal', kind: 'service', name: g.dataset.service });
  else if (g.dataset.network) post({ type: 'reveal', kind: 'network', name: g.dataset.network });
}
stage.addEventListener('click', (e) => {
  if (!drag?.moved) reveal(e.target);
});
// Keyboard: Tab moves between cards and networks, Enter reveals, + - 0 zoom and fit, arrows pan.
window.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') reveal(document.activeElement);
  else if (e.key === '+' || e.key === '=') zoom(1.2);
  else if (e.key === '-') zoom(1 / 1.2);
  else if (e.key === '0') fit();
  else if (e.key.startsWith('Arrow') && document.activeElement === document.body) {
    const step = 40;
    if (e.key === 'ArrowLeft') state.x += step;
    if (e.key === 'ArrowRight') state.x -= step;
    if (e.key === 'ArrowUp') state.y += step;
    if (e.key === 'ArrowDown') state.y -= step;
    state.auto = false;
    keepInView();
    applyTransform();
  }
});

document.getElementById('zoom-in')!.addEventListener('click', () => zoom(1.2));
document.getElementById('zoom-out')!.addEventListener('click', () => zoom(1 / 1.2));
document.getElementById('fit')!.addEventListener('click', fit);
document.getElementById('export-svg')!.addEventListener('click', () => post({ type: 'export', format: 'svg', data: themedSvg() }));
document.getElementById('export-png')!.addEventListener('click', () => void exportPng().catch((err: Error) => (status.textContent = err.message)));
filter.addEventListener('change', () => {
  state.filter = filter.value;
  vscode.setState(state);
  applyFilter();
});

post({ type: 'ready' });
