import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { KeychainState, PlaidEnvironment } from '../../shared/domain';
import type { ContractHandlers, EventSink } from '../../shared/ipc/contract';
import { openAssetDeskStore, type AssetDeskStore } from '../db';
import type { DesktopAdapters } from './desktop';
import {
  closeSession,
  createSessionFactory,
  type EnvironmentSession,
  type RunningEmulatorLike,
  type StartEmulator,
} from './environment-session';
import { createApplicantHandlers } from './features/applicants';
import { createAuditCopyHandlers } from './features/audit-copies';
import { createDepositHandlers } from './features/deposits';
import { createLinkHandlers } from './features/link';
import { createReportHandlers } from './features/reports';
import { createSettingsHandlers } from './features/settings';
import type { ItemService } from './items';
import type { Logger } from './logger';
import type { PlaidGateway, PlaidGatewayOptions } from './plaid-gateway';
import { sweepRetention } from './removal';
import type { PollIntervals, ReportLifecycle } from './reports/lifecycle';
import type { ServiceContext } from './service-context';
import { createKeychainVault, keychainUnavailableError, type CredentialEnvironment, type KeytarLike } from './vault';
import { createWebhookDesk } from './webhook-desk';

/**
 * The main process's services behind the IPC contract, composed from one module per feature, all
 * scoped to the current Plaid environment's session, none returning a token or a secret.
 * Electron-free: the main process, the web bridge and the tests all build it the same way.
 */

export type { RunningEmulatorLike, StartEmulator } from './environment-session';

export interface AppServicesDeps {
  userDataDir: string;
  desktop: DesktopAdapters;
  events: EventSink;
  logger: Logger;
  /** keytar itself by default; tests may pass one that fails like a missing Secret Service. */
  keychain?: KeytarLike;
  /** Keychain service name (tests use their own so they never touch the officer's entries). */
  keychainService?: string;
  clock?: () => Date;
  /** Extra options for the built-in emulator (port, readyAfterMs, …). */
  emulatorOptions?: Record<string, unknown>;
  startEmulator?: StartEmulator;
  pollIntervals?: Partial<PollIntervals>;
  /** Test-only: where 'sandbox' / 'production' calls go (e.g. the emulator), instead of Plaid's hosts. */
  plaidBasePaths?: Partial<Record<CredentialEnvironment, string>>;
  /** Retry and timeout tuning of the gateway (tests shorten the waits). */
  gatewayOptions?: Pick<PlaidGatewayOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs' | 'sleep'>;
  version?: string;
  transport?: 'electron' | 'web-bridge';
}

export type EnvironmentChangedListener = (change: {
  environment: PlaidEnvironment;
  /** Origin of the in-process emulator while it runs (its Link script must be allowed by the CSP), else null. */
  emulatorOrigin: string | null;
}) => void;

export interface AppServices {
  handlers: ContractHandlers;
  /** Resolves once the keychain is probed and the store is open; resuming reports and retention follow in the background. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when the background start-up work (report resumption, retention sweep) has finished; never rejects. */
  background(): Promise<void>;
  /** Origin of the in-process emulator while it runs (its Link script must be allowed by the CSP). */
  emulatorOrigin(): string | null;
  /** Called after each environment switch; returns the unsubscribe function. */
  onEnvironmentChanged(listener: EnvironmentChangedListener): () => void;
  /** For tests and the main process: the running parts, never exposed over IPC. */
  readonly internals: {
    store(): AssetDeskStore | null;
    environment(): PlaidEnvironment;
    gateway(): PlaidGateway;
    lifecycle(): ReportLifecycle;
    items(): ItemService;
    webhookUrl(): string | null;
    emulator(): RunningEmulatorLike | null;
    /** Resolves once start-up's background work and every webhook, poll and submission in flight has finished. */
    settled(): Promise<void>;
    /** Runs the retention sweep now (it also runs at start and daily). */
    sweepRetention(): Promise<string[]>;
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function createAppServices(deps: AppServicesDeps): AppServices {
  const log = deps.logger.child({ component: 'app' });
  const clock = deps.clock ?? (() => new Date());
  const vault = createKeychainVault({
    ...(deps.keychain ? { keytar: deps.keychain } : {}),
    ...(deps.keychainService ? { service: deps.keychainService } : {}),
  });
  let keychain: KeychainState = {
    state: 'unavailable',
    message: 'AssetDesk is still starting.',
    howToFix: 'Wait a moment and try again.',
  };
  let store: AssetDeskStore | null = null;
  let session: EnvironmentSession | null = null;
  let retentionTimer: NodeJS.Timeout | undefined;
  let backgroundWork: Promise<void> = Promise.resolve();
  let stopped = false;
  const environmentListeners = new Set<EnvironmentChangedListener>();

  function requireStore(): AssetDeskStore {
    if (keychain.state === 'unavailable') throw keychainUnavailableError(keychain);
    if (!store)
      throw new AppError({
        code: ErrorCodes.internal,
        message: 'AssetDesk is still starting. Try again in a moment.',
        retryable: true,
      });
    return store;
  }

  const currentEnvironment = (): PlaidEnvironment => store?.settings.value('environment') ?? 'emulator';

  async function requireSession(): Promise<EnvironmentSession> {
    const s = requireStore();
    session ??= await sessions.open(currentEnvironment(), s);
    return session;
  }

  const sessions = createSessionFactory({
    ...deps,
    vault,
    clock,
    // Only the current session puts our webhook URL into Plaid requests.
    webhookUrl: (of) => (of === session ? webhooks.url() : null),
  });

  const webhooks = createWebhookDesk({
    logger: deps.logger,
    clock,
    enabled: () => store?.settings.value('webhook').enabled ?? true,
    publicUrl: () => store?.settings.value('webhook').publicUrl ?? null,
    session: () => session,
    requireSession,
  });

  const ctx: ServiceContext = {
    desktop: deps.desktop,
    events: deps.events,
    logger: deps.logger,
    clock,
    store: requireStore,
    openStore: () => store,
    environment: currentEnvironment,
    session: requireSession,
    gatewayFor: async (environment) =>
      environment === session?.environment ? session.gateway : sessions.gatewayFor(environment),
  };

  async function switchTo(environment: PlaidEnvironment): Promise<void> {
    const s = requireStore();
    const next = await sessions.open(environment, s); // fails (and nothing changes) when keys are missing
    const previous = session;
    s.settings.update('environment', environment);
    session = next;
    if (previous) await closeSession(previous);
    await next.lifecycle.resume();
    log.info('environment switched', { environment });
    const change = { environment, emulatorOrigin: emulatorOrigin() };
    for (const listener of environmentListeners) {
      try {
        listener(change);
      } catch (error) {
        log.warn('environment listener failed', { error });
      }
    }
  }

  function emulatorOrigin(): string | null {
    const running = sessions.emulator();
    return running ? new URL(running.baseUrl).origin : null;
  }

  /** Opens the saved environment, or the emulator when its keys vanished from the keychain behind our back. */
  async function openSavedSession(s: AssetDeskStore): Promise<EnvironmentSession> {
    try {
      return await sessions.open(currentEnvironment(), s);
    } catch (error) {
      log.warn('could not open the saved environment; using the emulator', { code: (error as AppError).code });
      s.settings.update('environment', 'emulator');
      return sessions.open('emulator', s);
    }
  }

  /** Work that must not hold up the window: carrying on pending reports (network), the retention sweep. */
  async function runBackground(current: EnvironmentSession): Promise<void> {
    try {
      await current.lifecycle.resume();
    } catch (error) {
      log.error('resuming pending reports failed', { code: (error as AppError).code, error });
    }
    await sweepRetention(ctx).catch((error: unknown) => log.warn('retention sweep failed', { error }));
  }

  const handlers: ContractHandlers = {
    ...createSettingsHandlers({
      ctx,
      vault,
      keychain: () => keychain,
      version: deps.version ?? '0.1.0',
      transport: deps.transport ?? 'electron',
      switchEnvironment: switchTo,
      sessionEnvironment: () => session?.environment ?? null,
      webhooks,
      gatewayWith: (environment, credentials) => sessions.gatewayWith(environment, credentials),
    }),
    ...createApplicantHandlers(ctx),
    ...createLinkHandlers(ctx),
    ...createReportHandlers(ctx),
    ...createAuditCopyHandlers(ctx),
    ...createDepositHandlers(ctx),
  };

  const running =
    <T>(pick: (s: EnvironmentSession) => T) =>
    (): T => {
      if (!session) throw new Error('not started');
      return pick(session);
    };

  return {
    handlers,
    async start() {
      stopped = false;
      keychain = await vault.probe();
      if (keychain.state === 'unavailable') {
        // The app still opens: the renderer shows what is missing; secret-needing channels refuse.
        log.error('keychain unavailable', { message: keychain.message });
        return;
      }
      mkdirSync(deps.userDataDir, { recursive: true });
      store = openAssetDeskStore({
        file: join(deps.userDataDir, 'assetdesk.sqlite'),
        dataKey: await vault.dataKey(),
        clock,
        logger: deps.logger,
      });
      await webhooks.start();
      session = await openSavedSession(store);
      backgroundWork = runBackground(session);
      retentionTimer = setInterval(() => void sweepRetention(ctx).catch(() => undefined), DAY_MS);
      retentionTimer.unref();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (retentionTimer) clearInterval(retentionTimer);
      if (session) await closeSession(session);
      await backgroundWork;
      await webhooks.stop();
      await sessions.closeEmulator();
      store?.close();
      store = null;
    },
    background: () => backgroundWork,
    emulatorOrigin,
    onEnvironmentChanged(listener) {
      environmentListeners.add(listener);
      return () => void environmentListeners.delete(listener);
    },
    internals: {
      store: () => store,
      environment: currentEnvironment,
      gateway: running((s) => s.gateway),
      lifecycle: running((s) => s.lifecycle),
      items: running((s) => s.items),
      webhookUrl: () => webhooks.url(),
      emulator: () => sessions.emulator(),
      async settled() {
        await backgroundWork;
        await webhooks.idle();
        await session?.lifecycle.settled();
        await webhooks.idle();
      },
      sweepRetention: () => sweepRetention(ctx),
    },
  };
}
