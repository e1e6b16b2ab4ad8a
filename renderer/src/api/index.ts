import type { WindowApi } from '../../../shared/ipc/contract';
import { createApiClient } from './client';

declare global {
  interface Window {
    /** Set by the preload script in Electron. */
    assetDesk?: WindowApi;
  }
  const __WEB_BRIDGE__: boolean;
}

async function resolveWindowApi(): Promise<WindowApi> {
  if (window.assetDesk) return window.assetDesk;
  if (__WEB_BRIDGE__) {
    const { createWebBridgeWindowApi } = await import('./web-bridge');
    return createWebBridgeWindowApi();
  }
  throw new Error('AssetDesk must run inside its desktop app (window.assetDesk is missing).');
}

const windowApi = await resolveWindowApi();
/** The typed API every screen uses. Calls throw AppError with a message for the officer. */
export const api = createApiClient(windowApi);
export const transport: 'electron' | 'web-bridge' = window.assetDesk ? 'electron' : 'web-bridge';
