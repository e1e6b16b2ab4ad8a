import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build-output';
import { mainWiringViolations } from './main-wiring';

const GOOD = `
import { app, BrowserWindow, net, protocol, session, shell } from 'electron';
const { forbiddenSwitchesPresent } = applyAppSwitches(app);
registerAppSchemePrivileges(protocol);
void app.whenReady().then(() => {
  const csp = buildContentSecurityPolicy({});
  installPermissionHandlers(session.defaultSession);
  installCspHeaders(session.defaultSession, csp);
  handleAppProtocol(protocol, net, rendererDir, csp);
  createMainWindow(BrowserWindow, { app, preloadPath, shell });
});`;

describe('startup wires the security baseline', () => {
  it('electron/main/index.ts calls every security step, the pre-ready ones before ready', () => {
    const index = join(ROOT, 'electron', 'main', 'index.ts');
    if (!existsSync(index)) throw new Error('FAILED: electron/main/index.ts does not exist yet');
    expect(mainWiringViolations(readFileSync(index, 'utf8'))).toStrictEqual([]);
  });

  it('accepts the intended shape', () => {
    expect(mainWiringViolations(GOOD)).toStrictEqual([]);
  });

  it('accepts a logger given the run-time secrets', () => {
    const withLogger = GOOD.replace(
      'registerAppSchemePrivileges(protocol);',
      'registerAppSchemePrivileges(protocol); const logger = createLogger({ file, secrets: () => [] });',
    );
    expect(mainWiringViolations(withLogger)).toStrictEqual([]);
  });

  it('rejects the protocol and CSP steps re-implemented inline', () => {
    const inline = GOOD.replace(
      'handleAppProtocol(protocol, net, rendererDir, csp);',
      "protocol.handle('app', (request) => createAppProtocolHandler(net, rendererDir, policy())(request));",
    ).replace(
      'installCspHeaders(session.defaultSession, csp);',
      'session.defaultSession.webRequest.onHeadersReceived((d, cb) => cb({ responseHeaders: withSecurityHeaders(d.responseHeaders ?? {}, policy()) }));',
    );
    const found = mainWiringViolations(inline).join('\n');
    expect(found).toContain('never calls handleAppProtocol');
    expect(found).toContain('handles app:// inline');
    expect(found).toContain('never calls installCspHeaders');
    expect(found).toContain('sets response headers inline');
  });

  it.each([
    ['installPermissionHandlers(session.defaultSession);', '', 'never calls installPermissionHandlers'],
    ['createMainWindow(BrowserWindow, { app, preloadPath, shell });', '', 'never calls createMainWindow'],
    ['applyAppSwitches(app)', 'undefined', 'never calls applyAppSwitches'],
    [
      'registerAppSchemePrivileges(protocol);\nvoid app.whenReady().then(() => {',
      'void app.whenReady().then(() => {\nregisterAppSchemePrivileges(protocol);',
      'registerAppSchemePrivileges() after ready',
    ],
    [
      'const { forbiddenSwitchesPresent } = applyAppSwitches(app);',
      "app.on('ready', () => applyAppSwitches(app));",
      'applyAppSwitches() after ready',
    ],
    [
      'createMainWindow(BrowserWindow, { app, preloadPath, shell });',
      "createMainWindow(BrowserWindow, { app, preloadPath, shell }); win.loadFile('index.html');",
      'file://',
    ],
    [
      'registerAppSchemePrivileges(protocol);',
      "registerAppSchemePrivileges(protocol); app.commandLine.appendSwitch('no-sandbox');",
      'appends a Chromium switch',
    ],
    [
      'registerAppSchemePrivileges(protocol);',
      "registerAppSchemePrivileges(protocol); const logger = createLogger({ file: 'assetdesk.log' });",
      'logger without the run-time secrets',
    ],
  ])('catches a startup that breaks it: %s', (from, to, expected) => {
    expect(mainWiringViolations(GOOD.replace(from, to)).join('\n')).toContain(expected);
  });
});
