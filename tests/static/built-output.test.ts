import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR, ensureBuilt, readBundle, requireBuilt } from './build-output';
import type { BuildState } from './build-output';
import { findBuiltOutputViolations } from './built-output-rules';
import type { BuiltBundles } from './built-output-rules';

const clean = (): BuiltBundles => ({
  main: new Map([
    [
      'index.cjs',
      'app.enableSandbox(); new BrowserWindow({ webPreferences: { sandbox: true, contextIsolation: true } });',
    ],
  ]),
  preload: new Map([
    [
      'index.cjs',
      'import_electron.contextBridge.exposeInMainWorld("assetDesk", { invoke: (c, p) => import_electron.ipcRenderer.invoke(c, p) });',
    ],
  ]),
  renderer: new Map([
    ['index.html', '<!doctype html><script type="module" crossorigin src="./assets/index.js"></script>'],
  ]),
});

function violationsWith(folder: 'main' | 'preload' | 'renderer', file: string, text: string): string[] {
  const bundles = clean();
  bundles[folder] = new Map([...bundles[folder], [file, text]]);
  return findBuiltOutputViolations(bundles);
}

describe('built-output rules catch each violation', () => {
  it('passes a clean build', () => {
    expect(findBuiltOutputViolations(clean())).toStrictEqual([]);
  });

  it.each([
    ['main', 'x.cjs', 'new BrowserWindow({ webPreferences: { nodeIntegration: true } })', 'nodeIntegration: true'],
    ['main', 'x.cjs', 'webPreferences:{nodeIntegration:!0}', 'nodeIntegration: true'],
    ['main', 'x.cjs', '{ contextIsolation: false }', 'contextIsolation: false'],
    ['main', 'x.cjs', '{"contextIsolation":!1}', 'contextIsolation: false'],
    ['main', 'x.cjs', '{ sandbox: false }', 'sandbox: false'],
    ['main', 'x.cjs', '{ webSecurity: false }', 'webSecurity: false'],
    ['main', 'x.cjs', '{ allowRunningInsecureContent: true }', 'allowRunningInsecureContent: true'],
    ['main', 'x.cjs', '{ experimentalFeatures: true }', 'experimentalFeatures: true'],
    ['main', 'x.cjs', '{ webviewTag: true }', 'webviewTag: true'],
    ['main', 'x.cjs', "{ enableBlinkFeatures: 'CSSVariables' }", 'enableBlinkFeatures set'],
    ['main', 'x.cjs', '{ privileges: { standard: true, bypassCSP: true } }', 'bypassCSP'],
    ['main', 'x.cjs', 'app.commandLine.appendSwitch("enable-experimental-web-platform-features")', 'insecure switch'],
    ['main', 'x.cjs', "app.commandLine.appendSwitch('ignore-certificate-errors')", 'insecure switch'],
    ['main', 'x.cjs', 'app.commandLine.appendArgument("--no-sandbox")', 'insecure switch'],
    ['main', 'x.cjs', 'win.loadFile(path.join(__dirname, "index.html"))', 'file://'],
    ['main', 'x.cjs', 'const at = process.env.ASSETDESK_CRASH_AT ?? null;', 'test hook ASSETDESK_CRASH_AT'],
    ['main', 'x.cjs', 'keytarPromise ??= import("keytar").then((m) => m.default);', 'keytar with import()'],
    ['main', 'x.cjs', 'win.loadURL(`file://${__dirname}/index.html`)', 'file://'],
    ['preload', 'x.cjs', 'contextBridge.exposeInMainWorld("ipcRenderer", api)', 'by name'],
    [
      'preload',
      'x.cjs',
      'import_electron.contextBridge.exposeInMainWorld("electron", import_electron.ipcRenderer)',
      'object',
    ],
    ['preload', 'x.cjs', 'contextBridge.exposeInMainWorld("electron", { ipcRenderer })', 'property'],
    [
      'preload',
      'x.cjs',
      'contextBridge.exposeInMainWorld("electron", { ipcRenderer: import_electron.ipcRenderer })',
      'property',
    ],
    [
      'preload',
      'x.cjs',
      'contextBridge.exposeInMainWorld("api", { on: import_electron.ipcRenderer.on })',
      'raw ipcRenderer method',
    ],
    ['renderer', 'assets/a.js', 'const { ipcRenderer } = require("electron")', 'requires electron'],
    ['renderer', 'assets/a.js', 'window.ipcRenderer.send("x")', 'ipcRenderer'],
    ['renderer', 'assets/a.js', 'fetch(`${base}/__bridge/invoke`)', 'web-bridge'],
    ['renderer', 'assets/a.js', 'el.innerHTML = "<webview src=x>"', '<webview>'],
    ['renderer', 'index.html', '<script>window.boot()</script>', 'inline <script>'],
    ['renderer', 'index.html', '<script type="module">import "./a.js"</script>', 'inline <script>'],
    ['renderer', 'index.html', '<img src=x onerror="alert(1)">', 'inline event handler'],
    ['renderer', 'index.html', '<a href="javascript:alert(1)">x</a>', 'javascript: URL'],
    [
      'renderer',
      'index.html',
      `<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'unsafe-eval'">`,
      'unsafe-eval',
    ],
    [
      'renderer',
      'index.html',
      `<meta http-equiv="Content-Security-Policy" content="default-src 'self' 'unsafe-inline'">`,
      'inline scripts',
    ],
  ] as const)('%s/%s: %s', (folder, file, text, expected) => {
    const violations = violationsWith(folder, file, text);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toContain(expected);
  });

  it('does not mistake the forbidden-switch list or a safe preload for violations', () => {
    expect(violationsWith('main', 'x.cjs', 'const url = process.env.ASSETDESK_DEV_SERVER_URL;')).toStrictEqual([]);
    expect(
      violationsWith('main', 'x.cjs', 'var FORBIDDEN_SWITCHES = ["no-sandbox", "ignore-certificate-errors"];'),
    ).toStrictEqual([]);
    expect(
      violationsWith(
        'preload',
        'x.cjs',
        'exposeInMainWorld("assetDesk", { on: (c, l) => { const h = (_e, p) => l(p); import_electron.ipcRenderer.on(c, h); } });',
      ),
    ).toStrictEqual([]);
  });
});

describe('the compiled app', () => {
  let built: BuildState | undefined;
  beforeAll(() => {
    built = ensureBuilt();
  }, 300_000);

  it('breaks none of the built-output rules', () => {
    requireBuilt(built);
    const bundles: BuiltBundles = {
      main: readBundle('main'),
      preload: readBundle('preload'),
      renderer: readBundle('renderer'),
    };
    expect(bundles.main.size).toBeGreaterThan(0);
    expect(bundles.preload.size).toBeGreaterThan(0);
    expect([...bundles.renderer.keys()]).toContain('index.html');
    expect(findBuiltOutputViolations(bundles)).toStrictEqual([]);
  });

  it('keeps the web bridge out of the Electron renderer (and the check sees it in the web build)', () => {
    requireBuilt(built);
    for (const [file, text] of readBundle('renderer'))
      expect(text.includes('/__bridge/'), `out/renderer/${file}`).toBe(false);
    if (existsSync(join(OUT_DIR, 'renderer-web'))) {
      const web = [...readBundle('renderer-web').values()];
      expect(web.some((text) => text.includes('/__bridge/'))).toBe(true);
    }
  });
});
