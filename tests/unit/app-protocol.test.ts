import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  handleAppProtocol,
  mimeTypeFor,
  registerAppSchemePrivileges,
  resolveAppPath,
} from '../../electron/main/app-protocol';
import { buildContentSecurityPolicy, parseContentSecurityPolicy } from '../../electron/main/security';

// Real files in a temp dir: out/renderer-like root, a secret next to it, and symlinks in and out.
let base: string;
let root: string;
const CSP = "default-src 'self'";

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'assetdesk-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>AssetDesk</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'pdf.worker.min.mjs'), '//worker');
  writeFileSync(join(root, 'assets', 'blob.bin'), 'x');
  writeFileSync(join(root, 'assets', 'name with space.svg'), '<svg/>');
  writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'leak.txt'));
  symlinkSync(base, join(root, 'up'));
  symlinkSync(join(root, 'assets', 'style.css'), join(root, 'inside-link.css'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('registerAppSchemePrivileges', () => {
  it('registers app:// as standard and secure with fetch, and never bypasses CSP', () => {
    const registered: unknown[] = [];
    registerAppSchemePrivileges({ registerSchemesAsPrivileged: (schemes) => void registered.push(...schemes) });
    expect(registered).toStrictEqual([APP_SCHEME_PRIVILEGES]);
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({
      standard: true,
      secure: true,
      supportFetchAPI: true,
      bypassCSP: false,
      allowServiceWorkers: false,
    });
  });
});

describe('resolveAppPath', () => {
  it.each([
    ['app://assetdesk/', 'index.html'],
    ['app://assetdesk', 'index.html'],
    ['app://assetdesk/index.html', 'index.html'],
    ['app://assetdesk/index.html?x=1#/applicants', 'index.html'],
    ['app://assetdesk/assets/index-abc.js', 'assets/index-abc.js'],
    ['app://assetdesk/assets/name%20with%20space.svg', 'assets/name with space.svg'],
    ['app://assetdesk/inside-link.css', 'inside-link.css'],
    ['app://assetdesk/missing.js', 'missing.js'],
  ])('%s → <root>/%s', (url, expected) => {
    expect(resolveAppPath(root, url)).toBe(join(root, expected));
  });

  it.each([
    'app://assetdesk/../secret.txt',
    'app://assetdesk/assets/../../secret.txt',
    'app://assetdesk/./index.html',
    'app://assetdesk/%2e%2e/secret.txt',
    'app://assetdesk/%2E%2E/secret.txt',
    'app://assetdesk/.%2e/secret.txt',
    'app://assetdesk/assets%2f..%2f..%2fsecret.txt',
    'app://assetdesk/..%5csecret.txt',
    'app://assetdesk/%252e%252e/secret.txt',
    'app://assetdesk/%25252e%25252e/secret.txt',
    'app://assetdesk/..\\secret.txt',
    'app://assetdesk/assets\\..\\..\\secret.txt',
    'app://assetdesk//etc/passwd',
    'app://assetdesk/C:/Windows/win.ini',
    'app://assetdesk/c:%5cwindows',
    'app://assetdesk/index.html%00.js',
    'app://assetdesk/index.html\0',
    'app://assetdesk/assets//index-abc.js',
    'app://assetdesk/%E0%A4%A', // malformed encoding
    'app://assetdesk/assets/leak.txt', // symlink to a file outside the root
    'app://assetdesk/up/secret.txt', // symlinked folder outside the root
    'app://evil/index.html',
    'app://assetdesk.evil/index.html',
    'app://assetdesk:8080/index.html',
    'app://user@assetdesk/index.html',
    'file:///etc/passwd',
    'https://assetdesk/index.html',
    `app://assetdesk${'/'}../renderer-evil/x.js`,
  ])('rejects %s', (url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });

  it('rejects everything when the root itself is missing', () => {
    expect(resolveAppPath(join(base, 'nope'), 'app://assetdesk/index.html')).toBeNull();
  });
});

describe('app protocol handler', () => {
  // Electron's net.fetch reads file:// URLs; this stand-in reads the same file from disk.
  const net = {
    fetch: async (url: string | Request) => new Response(await readFile(fileURLToPath(String(url)))),
  } as unknown as Parameters<typeof createAppProtocolHandler>[0];
  const handler = () => createAppProtocolHandler(net, root, CSP);

  it('serves files with their MIME type, the CSP and nosniff', async () => {
    const response = await handler()(new Request('app://assetdesk/assets/index-abc.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('serves the report analysis worker as a script, under a policy that lets the page start it', async () => {
    // Vite emits `new Worker(new URL(…), { type: 'module' })` as its own file under assets/.
    writeFileSync(join(root, 'assets', 'report-analysis.worker-D6VfI8mg.js'), 'self.onmessage = () => {};');
    const policy = buildContentSecurityPolicy({ plaidEnvironment: 'sandbox' });
    const response = await createAppProtocolHandler(
      net,
      root,
      policy,
    )(new Request('app://assetdesk/assets/report-analysis.worker-D6VfI8mg.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('self.onmessage = () => {};');
    const directives = parseContentSecurityPolicy(response.headers.get('content-security-policy')!);
    expect(directives['worker-src']).toContain("'self'");
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
  });

  it('serves index.html for the root', async () => {
    const response = await handler()(new Request('app://assetdesk/'));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe(readFileSync(join(root, 'index.html'), 'utf8'));
  });

  it.each([
    'app://assetdesk/missing.js',
    'app://assetdesk/assets',
    'app://assetdesk/assets/leak.txt',
    'app://assetdesk/%2e%2e/secret.txt',
  ])('404 for %s, never the file outside', async (url) => {
    const response = await handler()(new Request(url));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(CSP);
    expect(await response.text()).not.toContain('TOP SECRET');
  });

  it('reads a policy function on every request (the emulator origin can change)', async () => {
    let policy = "default-src 'self'";
    const serve = createAppProtocolHandler(net, root, () => policy);
    expect((await serve(new Request('app://assetdesk/'))).headers.get('content-security-policy')).toBe(policy);
    policy = "default-src 'self'; script-src 'self' http://127.0.0.1:4010";
    expect((await serve(new Request('app://assetdesk/'))).headers.get('content-security-policy')).toBe(policy);
    expect((await serve(new Request('app://assetdesk/nope'))).headers.get('content-security-policy')).toBe(policy);
  });

  it('refuses other methods', async () => {
    const response = await handler()(new Request('app://assetdesk/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
  });

  it('registers the handler on the app scheme', async () => {
    const handled: [string, (r: Request) => Promise<Response>][] = [];
    handleAppProtocol(
      { handle: (scheme, h) => void handled.push([scheme, h as (r: Request) => Promise<Response>]) },
      net,
      root,
      CSP,
    );
    expect(handled.map(([scheme]) => scheme)).toStrictEqual(['app']);
    const response = await handled[0]![1](new Request('app://assetdesk/assets/style.css'));
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.woff2', 'font/woff2'],
    ['a.wasm', 'application/wasm'],
    ['a.bcmap', 'application/octet-stream'],
    ['a.SVG', 'image/svg+xml'],
  ])('MIME type of %s is %s', (file, mime) => {
    expect(mimeTypeFor(file)).toBe(mime);
  });
});
