import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '../log/logger';
import { SandboxApi } from './api';
import {
  ALL_ENTITLEMENTS,
  ClientRegistry,
  DEFAULT_AUDITORS,
  generatedCredentials,
  type ClientCredentials,
  type Entitlements,
} from './clients';
import { EmulatorClock } from './clock';
import { FaultState, type EmulatorFaults } from './faults';
import { LinkUiApi } from './link-api';
import { createBankServer, createEmulatorServer, defaultLinkDir } from './server';
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
  secret?: string; // else generated; kept (sealed) in dataDir only when a storageKey is given
  /** 32 bytes sealing tokens' companions, the applicant's details, the secret and the signing key at rest. */
  storageKey?: Buffer | null;
  /** Auditor clients by auditor id (default: fannie_mae, freddie_mac, ocrolus with generated credentials). */
  auditors?: Record<string, ClientCredentials>;
  /** The owner client's products and add-ons (default: everything enabled). */
  entitlements?: Partial<Entitlements>;
  /** With Fast Assets, how long after the FAST report the FULL one is ready (default 1000 ms). */
  fastReportGapMs?: number;
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
  /** Credentials of the auditor clients, by auditor id: they alone read the audit copies made for them. */
  auditors: Record<string, ClientCredentials>;
  linkScriptUrl: string; // `${baseUrl}/link/v2/stable/link-initialize.js`
  /** The OAuth bank's origin (another loopback port): Link opens its consent page in a pop-up there. */
  bankOrigin: string;
  faults: EmulatorFaults; // programmatic fault injection (also exposed over HTTP under /emulator/_control/*)
  /** Resolves once every webhook started so far has been delivered or given up (tests). */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

export type { EmulatorFaults } from './faults';
export { PERSONA_USERNAMES } from './data/personas';
export { SANDBOX_INSTITUTIONS } from './data/institutions';

const DEFAULT_READY_AFTER_MS = 3000;
const DEFAULT_FAST_GAP_MS = 1000;

/**
 * Credentials: options, else the ones kept in the data folder, else new ones. The client id is kept as is; the
 * secret only sealed, so without the same storage key a restart makes a new one (the app reads it each start).
 */
function resolveCredentials(store: EmulatorStore, options: EmulatorOptions): ClientCredentials {
  const generated = generatedCredentials();
  const clientId = options.clientId ?? store.getMeta('client_id') ?? generated.clientId;
  const secret = options.secret ?? store.getSealedMeta('secret') ?? generated.secret;
  store.setMeta('client_id', clientId);
  store.setSealedMeta('secret', secret);
  return { clientId, secret };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulatorClock = new EmulatorClock(options.clock ?? (() => new Date()));
  const clock = () => emulatorClock.now();
  const store = new EmulatorStore(options.dataDir ?? null, { storageKey: options.storageKey ?? null });
  const { clientId, secret } = resolveCredentials(store, options);
  const auditors =
    options.auditors ?? Object.fromEntries(DEFAULT_AUDITORS.map((id) => [id, generatedCredentials()] as const));
  const clients = new ClientRegistry({ clientId, secret }, auditors, { ...ALL_ENTITLEMENTS, ...options.entitlements });
  const logger = (options.logger ?? createLogger({ level: 'warn' })).child({ component: 'plaid-emulator' });
  const faults = new FaultState({
    readyAfterMs: options.readyAfterMs ?? DEFAULT_READY_AFTER_MS,
    productionRateLimits: options.productionRateLimits ?? false,
    fastReportGapMs: options.fastReportGapMs ?? DEFAULT_FAST_GAP_MS,
  });
  const webhookKey = await loadOrCreateWebhookKey(store, clock());
  const webhooks = new WebhookSender({
    key: webhookKey,
    logger,
    clock,
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
  });
  let baseUrl = '';
  const api = new SandboxApi({ store, faults, webhooks, webhookKey, clock, logger, clients, baseUrl: () => baseUrl });
  let bankOrigin = '';
  const linkUi = new LinkUiApi({
    api,
    store,
    webhooks,
    clock,
    linkOrigin: () => baseUrl,
    bankOrigin: () => bankOrigin,
  });
  const linkDir = options.linkDir ?? defaultLinkDir();
  const server = createEmulatorServer({
    api,
    linkUi,
    faults,
    clients,
    clock: emulatorClock,
    logger,
    linkDir,
    hostedLinkExists: (id) => store.linkTokenByHostedId(id) !== null,
  });

  const bank = createBankServer({ linkDir, linkUi, logger });
  const listen = (target: typeof server, port: number) =>
    new Promise<number>((resolve, reject) => {
      target.once('error', reject);
      target.listen(port, '127.0.0.1', () => {
        target.off('error', reject);
        resolve((target.address() as AddressInfo).port);
      });
    });
  baseUrl = `http://127.0.0.1:${await listen(server, options.port ?? 0)}`;
  bankOrigin = `http://127.0.0.1:${await listen(bank, 0)}`;
  api.assetReports.resumePending();
  logger.info('Plaid emulator listening', { baseUrl });

  let closed: Promise<void> | null = null;
  return {
    baseUrl,
    clientId,
    secret,
    auditors: clients.auditorCredentials(),
    bankOrigin,
    linkScriptUrl: `${baseUrl}/link/v2/stable/link-initialize.js`,
    faults,
    webhooksIdle: () => webhooks.idle(),
    close: () => {
      closed ??= (async () => {
        api.assetReports.close();
        await webhooks.close();
        await Promise.all(
          [server, bank].map(
            (s) =>
              new Promise<void>((resolve) => {
                s.close(() => resolve());
                s.closeAllConnections();
              }),
          ),
        );
        store.close();
      })();
      return closed;
    },
  };
}
