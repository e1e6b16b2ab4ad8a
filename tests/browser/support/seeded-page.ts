import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { startWebBridge, type WebBridge } from '../../../electron/dev/web-bridge';
import { createAppServices } from '../../../electron/services/app-services';
import type { AssetDeskStore } from '../../../electron/db';
import type { EventSink } from '../../../shared/ipc/contract';
import type { KeytarLike } from '../../../electron/services/vault';
import { buildRenderer, KEYCHAIN_SERVICE, memoryKeytar, openSeedStore } from '../../bench/renderer-seed';
import { launchChromium } from './chromium';

/** A desk in Chromium over the real services, opened on a history a test seeded straight through the store. */
export interface SeededPage {
  bridge: WebBridge;
  browser: Browser;
  page: Page;
  /** Errors the page threw or logged: a test ends by expecting none. */
  pageErrors: string[];
  /** Where the services push events, so a test can send what the main process would. */
  events(): EventSink;
  close(): Promise<void>;
}

/**
 * Builds the web renderer, lets `seed` fill a fresh store (and the in-memory keychain) before the services
 * start, then opens the pipeline in a 1280 × 900 page.
 */
export async function openSeededPage(
  name: string,
  seed: (store: AssetDeskStore, keytar: KeytarLike) => Promise<void> | void,
): Promise<SeededPage> {
  const workDir = mkdtempSync(join(tmpdir(), `assetdesk-${name}-`));
  let bridge: WebBridge | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await bridge?.close();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const staticDir = join(workDir, 'renderer-web');
    const userDataDir = join(workDir, 'user-data');
    buildRenderer(staticDir);
    const keytar = memoryKeytar();
    const store = await openSeedStore(userDataDir, keytar);
    try {
      await seed(store, keytar);
    } finally {
      await store.close();
    }
    let sink: EventSink | null = null;
    bridge = await startWebBridge({
      userDataDir,
      staticDir,
      port: 0,
      createServices: (deps) => {
        sink = deps.events;
        return createAppServices({
          ...deps,
          keychain: keytar,
          keychainService: KEYCHAIN_SERVICE,
          transport: 'web-bridge',
        });
      },
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(bridge.url);
    await page.getByTestId('pipeline-screen').waitFor();
    const opened = bridge;
    return {
      bridge: opened,
      browser,
      page,
      pageErrors,
      events: () => {
        if (!sink) throw new Error('the services have not started');
        return sink;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
