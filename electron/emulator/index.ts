import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../log/logger';
import { SandboxApi } from './api';
import { FaultState, type EmulatorFaults } from './faults';
import { LinkUiApi } from './link-api';
import { createEmulatorServer, defaultLinkDir } from './server';
import { EmulatorStore } from './store';
import { loadOrCreateWebhookKey, WebhookSender } from './webhooks';

/**
 * AssetDesk's built-in Plaid Sandbox: Plaid's Assets API, Link and webhooks on 127.0.0.1, Electron-free.
 * See electron/emulator/README.md for personas, faults and the CLI.
 */
export interface EmulatorOptions {
  port?: number; // 0 or omitted = a free port; always binds 127.0.0.1
  dataDir?: string | null; // SQLite state in dataDir/emulator.sqlite; null/omitted = in-memory
  clientId?: string;
  secret?: string; // else generated (and kept in dataDir when there is one)
  readyAfterMs?: number; // report generation delay, default 3000; tests use 0
  productionRateLimits?: boolean; // off by default
  logger?: Logger;
  clock?: () => Date; // for deterministic tests
  /** Waits between webhook retries (default 200, 800, 3200 ms). */
  webhookRetryDelaysMs?: number[];
  /** Where link-initialize.js and ui/ live (default: ./link next to this module). */
  linkDir?: string;
}

export interface RunningEmulator {
  baseUrl: string; // http://127.0.0.1:PORT (no trailing slash)
  clientId: string;
  secret: string;
  linkScriptUrl: string; // `${baseUrl}/link/v2/stable/link-initialize.js`
  faults: EmulatorFaults; // programmatic fault injection (also exposed over HTTP under /emulator/_control/*)
  /** Resolves once every webhook started so far has been delivered or given up (tests). */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

export type { EmulatorFaults } from './faults';
export { PERSONA_USERNAMES } from './data/personas';
export { SANDBOX_INSTITUTIONS } from './data/institutions';

const DEFAULT_READY_AFTER_MS = 3000;

/** Credentials: options, else the ones kept in the data folder, else new ones (kept when there is a folder). */
function resolveCredentials(store: EmulatorStore, options: EmulatorOptions): { clientId: string; secret: string } {
  const clientId = options.clientId ?? store.getMeta('client_id') ?? randomBytes(12).toString('hex');
  const secret = options.secret ?? store.getMeta('secret') ?? randomBytes(15).toString('hex');
  store.setMeta('client_id', clientId);
  store.setMeta('secret', secret);
  return { clientId, secret };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = options.clock ?? (() => new Date());
  const store = new EmulatorStore(options.dataDir ?? null);
  const { clientId, secret } = resolveCredentials(store, options);
  const logger = (options.logger ?? createLogger({ level: 'warn' })).child({ component: 'plaid-emulator' });
  const faults = new FaultState({
    readyAfterMs: options.readyAfterMs ?? DEFAULT_READY_AFTER_MS,
    productionRateLimits: options.productionRateLimits ?? false,
  });
  const webhookKey = await loadOrCreateWebhookKey(store, clock());
  const webhooks = new WebhookSender({
    key: webhookKey,
    logger,
    clock,
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
  });
  let baseUrl = '';
  const api = new SandboxApi({ store, faults, webhooks, webhookKey, clock, logger, clientId, baseUrl: () => baseUrl });
  const linkUi = new LinkUiApi({ api, store, webhooks, clock });
  const server = createEmulatorServer({
    api,
    linkUi,
    faults,
    clientId,
    secret,
    clock,
    logger,
    linkDir: options.linkDir ?? defaultLinkDir(),
    hostedLinkExists: (id) => store.linkTokenByHostedId(id) !== null,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  api.resumePending();
  logger.info('Plaid emulator listening', { baseUrl });

  let closed: Promise<void> | null = null;
  return {
    baseUrl,
    clientId,
    secret,
    linkScriptUrl: `${baseUrl}/link/v2/stable/link-initialize.js`,
    faults,
    webhooksIdle: () => webhooks.idle(),
    close: () => {
      closed ??= (async () => {
        api.close();
        await webhooks.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        store.close();
      })();
      return closed;
    },
  };
}
