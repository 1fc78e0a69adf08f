// The diagram's colours: VS Code theme variables in the webview; a light palette with a dark variant for files.

export type Theme = 'standalone' | 'vscode';

/** Colours: VS Code theme variables in the webview; a light palette with a dark variant for files. */
export function diagramCss(theme: Theme): string {
  const v = (name: string, fallback: string) => (theme === 'vscode' ? `var(--vscode-${name}, ${fallback})` : fallback);
  const rules = `
  .bg { fill: ${v('editor-background', '#ffffff')}; }
  text { font-family: ${theme === 'vscode' ? 'var(--vscode-font-family, sans-serif)' : 'system-ui, sans-serif'}; fill: ${v('foreground', '#1f2328')}; font-size: 12px; }
  .tier-label { font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .06em; fill: ${v('descriptionForeground', '#59636e')}; }
  .host rect { fill: ${v('sideBar-background', '#f6f8fa')}; stroke: ${v('focusBorder', '#0969da')}; stroke-width: 1.5; }
  .network > rect { fill: ${v('editorWidget-background', '#f6f8fa')}; stroke: ${v('panel-border', '#8c959f')}; stroke-width: 1.2; }
  .network.internal > rect { stroke: ${v('charts-orange', '#bc4c00')}; }
  .network.external > rect { stroke-dasharray: 6 4; }
  .network .title { font-weight: 600; }
  .meta { font-size: 11px; fill: ${v('descriptionForeground', '#59636e')}; }
  .meta.undeclared { fill: ${v('errorForeground', '#cf222e')}; }
  .service > rect { fill: ${v('editor-background', '#ffffff')}; stroke: ${v('editorWidget-border', '#8c959f')}; stroke-width: 1; }
  .service .title { font-weight: 600; }
  .service:focus > rect, .service.highlight > rect { stroke: ${v('focusBorder', '#0969da')}; stroke-width: 2.5; }
  .service:focus { outline: none; }
  .edge { fill: none; stroke: ${v('charts-blue', '#0969da')}; stroke-width: 1.3; opacity: .7; }
  .edge.port { stroke: ${v('charts-green', '#1a7f37')}; stroke-dasharray: 4 3; }
  .badge.error circle { fill: ${v('errorForeground', '#cf222e')}; }
  .badge.warning circle { fill: ${v('editorWarning-foreground', '#bf8700')}; }
  .badge.info circle { fill: ${v('editorInfo-foreground', '#0969da')}; }
  .badge text { fill: #ffffff; font-size: 10px; font-weight: 700; }
  .overlay { font-size: 10.5px; fill: ${v('charts-green', '#1a7f37')}; }
  .edge.rated { opacity: .85; }
  .edge.busiest { stroke: ${v('charts-orange', '#bc4c00')}; opacity: 1; }
  .rate { font-size: 9.5px; fill: ${v('descriptionForeground', '#59636e')}; }
  .rate.busiest { fill: ${v('charts-orange', '#bc4c00')}; font-weight: 700; }
  .exposed { fill: ${v('descriptionForeground', '#59636e')}; }
  .exposed-open { fill: ${v('editorWarning-foreground', '#9a6700')}; font-weight: 600; }
  .flow { fill: none; stroke: ${v('charts-purple', '#8250df')}; stroke-width: 2.2; }
  .flow.unexpected { stroke: ${v('editorWarning-foreground', '#bf8700')}; stroke-dasharray: 7 4; }
  .flow-arrow { fill: ${v('charts-purple', '#8250df')}; }
  .flow-arrow.unexpected { fill: ${v('editorWarning-foreground', '#bf8700')}; }
  .flow-label { font-size: 10px; font-weight: 600; fill: ${v('charts-purple', '#8250df')}; paint-order: stroke; stroke: ${v('editor-background', '#ffffff')}; stroke-width: 3px; }
  .flow-label.unexpected { fill: ${v('editorWarning-foreground', '#bf8700')}; }`;
  const dark = `
  @media (prefers-color-scheme: dark) {
    .bg { fill: #0d1117; } text { fill: #e6edf3; } .tier-label, .meta { fill: #9198a1; }
    .host rect, .network > rect { fill: #161b22; } .service > rect { fill: #0d1117; stroke: #3d444d; }
  }`;
  return `${rules}${theme === 'standalone' ? dark : ''}`;
}

