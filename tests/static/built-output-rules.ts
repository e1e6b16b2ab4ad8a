import { FORBIDDEN_SWITCHES, parseContentSecurityPolicy } from '../../electron/main/security';

/**
 * Rules over the compiled app (out/main, out/preload, out/renderer). Pure: the test feeds them
 * the real bundles and, to prove each rule bites, small bundles that break it.
 */

export interface BuiltBundles {
  main: Map<string, string>;
  preload: Map<string, string>;
  renderer: Map<string, string>;
  /** out/renderer-web, the web-bridge build, when it was built. */
  rendererWeb?: Map<string, string> | undefined;
}

// `true`/`false` as written by hand, by esbuild (`!0`/`!1`) or in JSON.
const TRUE = String.raw`(?:true|!0)`;
const FALSE = String.raw`(?:false|!1)`;
const key = (name: string) => String.raw`["']?\b${name}["']?\s*:\s*`;

const INSECURE_OPTIONS: [RegExp, string][] = [
  [new RegExp(key('nodeIntegration') + TRUE), 'nodeIntegration: true'],
  [new RegExp(key('nodeIntegrationInSubFrames') + TRUE), 'nodeIntegrationInSubFrames: true'],
  [new RegExp(key('nodeIntegrationInWorker') + TRUE), 'nodeIntegrationInWorker: true'],
  [new RegExp(key('contextIsolation') + FALSE), 'contextIsolation: false'],
  [new RegExp(key('sandbox') + FALSE), 'sandbox: false'],
  [new RegExp(key('webSecurity') + FALSE), 'webSecurity: false'],
  [new RegExp(key('allowRunningInsecureContent') + TRUE), 'allowRunningInsecureContent: true'],
  [new RegExp(key('experimentalFeatures') + TRUE), 'experimentalFeatures: true'],
  [new RegExp(key('webviewTag') + TRUE), 'webviewTag: true'],
  [new RegExp(key('enableBlinkFeatures') + String.raw`["'\x60]`), 'enableBlinkFeatures set'],
  [new RegExp(key('bypassCSP') + TRUE), 'a scheme with bypassCSP: true'],
];

/**
 * The ASSETDESK_* variables the shipped main process reads: the dev server (only when unpackaged) and the
 * team database's address (an office may deploy desks with it set; README "Team mode").
 */
const ALLOWED_RUNTIME_ENV: readonly string[] = ['ASSETDESK_DEV_SERVER_URL', 'ASSETDESK_DATABASE_URL'];

const SWITCH_CALL = /\.(?:appendSwitch|appendArgument)\(\s*["'`]-{0,2}([\w-]+)/g;

/** Every rule's violations, as `<folder>/<file>: <what>` lines; empty means the build is clean. */
export function findBuiltOutputViolations(bundles: BuiltBundles): string[] {
  const violations: string[] = [];
  const each = (folder: keyof BuiltBundles, check: (file: string, text: string) => void) => {
    for (const [file, text] of bundles[folder] ?? []) check(`${folder}/${file}`, text);
  };

  for (const folder of ['main', 'preload', 'renderer'] as const) {
    each(folder, (file, text) => {
      for (const [pattern, what] of INSECURE_OPTIONS) if (pattern.test(text)) violations.push(`${file}: ${what}`);
      if (/<webview\b/i.test(text)) violations.push(`${file}: <webview> tag`);
    });
  }

  each('main', (file, text) => {
    for (const match of text.matchAll(SWITCH_CALL)) {
      const name = match[1] ?? '';
      if (FORBIDDEN_SWITCHES.includes(name)) violations.push(`${file}: appends the insecure switch ${name}`);
    }
    if (/\.loadFile\(|\.loadURL\(\s*["'`]file:/.test(text))
      violations.push(`${file}: loads the UI from file:// instead of app://`);
    // Native modules load with require(): import() inside app.asar has regressed in Electron before.
    for (const match of text.matchAll(/(?<![\w$.])import\(\s*["'`]([^"'`.][^"'`]*)["'`]\s*\)/g))
      violations.push(`${file}: loads ${match[1]} with import() instead of require()`);
    // Test hooks (crash injection and the like) are read from ASSETDESK_* variables; the build
    // replaces them with constants, so none may survive into what ships.
    for (const match of text.matchAll(/ASSETDESK_[A-Z_]+/g)) {
      if (!ALLOWED_RUNTIME_ENV.includes(match[0])) violations.push(`${file}: contains the test hook ${match[0]}`);
    }
  });

  each('preload', (file, text) => {
    for (const call of text.matchAll(/exposeInMainWorld\(([^;]*)/g)) {
      const args = call[1] ?? '';
      if (/^\s*["'`]ipcRenderer["'`]/.test(args)) violations.push(`${file}: exposes ipcRenderer by name`);
      if (/^[^,]+,\s*(?:[\w$]+\.)?ipcRenderer\s*\)/.test(args))
        violations.push(`${file}: exposes the ipcRenderer object`);
      if (/\bipcRenderer\s*[:,}]/.test(args)) violations.push(`${file}: exposes ipcRenderer as a property`);
      if (/\.ipcRenderer\.(?:on|once|send|sendSync|invoke|postMessage)\s*[,})]/.test(args)) {
        violations.push(`${file}: exposes a raw ipcRenderer method`);
      }
    }
  });

  each('renderer', (file, text) => {
    if (/require\(\s*["'`]electron["'`]\s*\)|from\s*["'`]electron["'`]/.test(text))
      violations.push(`${file}: requires electron`);
    if (/\bipcRenderer\b/.test(text))
      violations.push(`${file}: mentions ipcRenderer (the renderer only has the window API)`);
    if (text.includes('/__bridge/')) violations.push(`${file}: contains web-bridge code`);
    if (file.endsWith('.html')) violations.push(...htmlViolations(file, text));
  });

  return violations;
}

/** No inline scripts, no inline handlers, no javascript: URLs; a CSP meta, if any, without eval or inline script. */
export function htmlViolations(file: string, html: string): string[] {
  const violations: string[] = [];
  for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attributes = script[1] ?? '';
    if (!/\bsrc\s*=/.test(attributes) || (script[2] ?? '').trim() !== '') violations.push(`${file}: inline <script>`);
  }
  if (/<[^>]+\son[a-z]+\s*=/i.test(html)) violations.push(`${file}: inline event handler attribute`);
  if (/javascript:/i.test(html)) violations.push(`${file}: javascript: URL`);
  for (const meta of html.matchAll(/<meta\b[^>]*http-equiv\s*=\s*["']Content-Security-Policy["'][^>]*>/gi)) {
    const content = /content\s*=\s*"([^"]*)"|content\s*=\s*'([^']*)'/i.exec(meta[0]);
    const policy = parseContentSecurityPolicy(content?.[1] ?? content?.[2] ?? '');
    const scriptSources = policy['script-src'] ?? policy['default-src'] ?? [];
    if (Object.values(policy).some((sources) => sources.includes("'unsafe-eval'")))
      violations.push(`${file}: CSP allows unsafe-eval`);
    if (scriptSources.includes("'unsafe-inline'")) violations.push(`${file}: CSP allows inline scripts`);
  }
  return violations;
}
