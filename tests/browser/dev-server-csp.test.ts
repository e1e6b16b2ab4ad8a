import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';
import { buildContentSecurityPolicy } from '../../electron/main/security';
import { launchChromium } from './support/chromium';

/**
 * `npm run dev` serves the renderer from Vite, under the page policy the main process adds to the
 * dev server's responses. React's refresh preamble is an inline module script: under the packaged
 * policy every .tsx module throws "can't detect preamble" and the window stays blank; the dev
 * policy must let the app's modules run.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
let server: ViteDevServer;
let browser: Browser;
let origin = '';
let policy: () => string = () => '';

beforeAll(async () => {
  server = await createServer({
    configFile: `${root}vite.config.ts`,
    mode: 'electron',
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: { host: '127.0.0.1' } },
    plugins: [
      {
        name: 'page-policy',
        configureServer(dev) {
          // What electron/main's installCspHeaders does to the dev server's responses.
          dev.middlewares.use((_req, res, next) => {
            res.setHeader('Content-Security-Policy', policy());
            next();
          });
        },
      },
    ],
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the dev server has no port');
  origin = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Loads the app from the dev server: what the page reported, and whether React rendered into #root. */
async function loadApp(): Promise<{ errors: string[]; rendered: boolean }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  // Vite transforms modules on first request: give them a bounded time to run or fail.
  const rendered = () => page.evaluate(() => (document.getElementById('root')?.childElementCount ?? 0) > 0);
  for (let waited = 0; waited < 30_000 && errors.length === 0 && !(await rendered()); waited += 250) {
    await page.waitForTimeout(250);
  }
  const result = { errors, rendered: await rendered() };
  await page.close();
  return result;
}

test("the dev policy lets Vite's React modules run", async () => {
  policy = () => buildContentSecurityPolicy({ plaidEnvironment: 'emulator', devServerOrigin: origin });
  const { errors, rendered } = await loadApp();
  expect(errors.join('\n')).not.toMatch(/preamble|Content Security Policy/);
  expect(rendered).toBe(true);
}, 120_000);

test('the packaged policy would block the preamble (so the check above means something)', async () => {
  policy = () => buildContentSecurityPolicy({ plaidEnvironment: 'emulator' });
  const { errors, rendered } = await loadApp();
  expect(errors.join('\n')).toMatch(/preamble|Content Security Policy/);
  expect(rendered).toBe(false);
}, 120_000);
