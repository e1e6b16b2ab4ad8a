import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { PlaidEnvironment } from '../../shared/domain';
import type { EventSink } from '../../shared/ipc/contract';
import type { AssetDeskStore } from '../db';
import { startEmulator as startBuiltInEmulator } from '../emulator';
import type { DesktopAdapters } from './desktop';
import { createItemService, PLAID_LINK_SCRIPT_URL, type ItemService } from './link/items';
import type { Logger } from '../log/logger';
import { createPlaidGateway, type PlaidGateway, type PlaidGatewayOptions } from './plaid-gateway';
import type { ReportCoordination } from './reports/coordination';
import { createReportLifecycle, type PollIntervals, type ReportLifecycle } from './reports/lifecycle';
import type { Stopping } from './stopping';
import { emulatorFingerprint } from './team/emulator-per-desk';
import type { CredentialEnvironment, KeychainVault, PlaidCredentials } from './vault';

/**
 * One Plaid environment at work: its gateway and the services bound to it. Switching environment
 * swaps the whole session, so nothing of one environment can act on another's Items or reports.
 */
export interface EnvironmentSession {
  environment: PlaidEnvironment;
  gateway: PlaidGateway;
  items: ItemService;
  lifecycle: ReportLifecycle;
}

/** What the app needs from the built-in emulator (electron/emulator). */
export interface RunningEmulatorLike {
  baseUrl: string;
  clientId: string;
  secret: string;
  linkScriptUrl: string;
  /** The emulator's OAuth bank site (a second loopback origin), when it has one. */
  bankOrigin?: string;
  close(): Promise<void>;
}
export type StartEmulator = (options: {
  dataDir: string;
  logger?: Logger;
  [option: string]: unknown;
}) => Promise<RunningEmulatorLike>;

export interface SessionFactoryDeps {
  userDataDir: string;
  vault: KeychainVault;
  desktop: DesktopAdapters;
  events: EventSink;
  logger: Logger;
  clock: () => Date;
  emulatorOptions?: Record<string, unknown>;
  startEmulator?: StartEmulator;
  pollIntervals?: Partial<PollIntervals>;
  /** In team mode, how this desk shares pending reports with the others (read when a session opens). */
  coordination?: () => ReportCoordination | undefined;
  plaidBasePaths?: Partial<Record<CredentialEnvironment, string>>;
  gatewayOptions?: Pick<PlaidGatewayOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'timeoutMs' | 'sleep'>;
  /** AssetDesk stopping, shared by every gateway of the run. */
  stopping?: Stopping;
  /** The webhook URL for a session's requests, or null (e.g. once the session is no longer current). */
  webhookUrl: (session: EnvironmentSession) => string | null;
  /** Told the keys of every gateway made (to keep them out of the log). */
  onCredentials?: (credentials: PlaidCredentials) => void;
}

export function createSessionFactory(deps: SessionFactoryDeps) {
  const log = deps.logger.child({ component: 'app' });
  let emulator: RunningEmulatorLike | null = null;

  async function ensureEmulator(): Promise<RunningEmulatorLike> {
    if (emulator) return emulator;
    const start: StartEmulator = deps.startEmulator ?? ((options) => startBuiltInEmulator(options));
    emulator = await start({
      ...deps.emulatorOptions,
      dataDir: join(deps.userDataDir, 'emulator'),
      storageKey: await emulatorStorageKey(deps.vault),
      // The emulator names itself in the log (component plaid-emulator); a second name here doubled the key.
      logger: deps.logger,
    });
    log.info('emulator started', { baseUrl: emulator.baseUrl });
    return emulator;
  }

  /** A gateway with these keys (verifying keys before they are saved uses one too). */
  function gatewayWith(environment: PlaidEnvironment, credentials: PlaidCredentials, basePath?: string): PlaidGateway {
    deps.onCredentials?.(credentials);
    const override = basePath ?? (environment === 'emulator' ? undefined : deps.plaidBasePaths?.[environment]);
    return createPlaidGateway({
      environment,
      clientId: credentials.clientId,
      secret: credentials.secret,
      logger: deps.logger,
      ...(override ? { basePath: override } : {}),
      ...deps.gatewayOptions,
      ...(deps.stopping ? { stopping: deps.stopping } : {}),
    });
  }

  async function gatewayFor(environment: PlaidEnvironment): Promise<PlaidGateway> {
    if (environment === 'emulator') {
      const running = await ensureEmulator();
      return gatewayWith('emulator', { clientId: running.clientId, secret: running.secret }, running.baseUrl);
    }
    const credentials = await deps.vault.getCredentials(environment);
    if (!credentials) {
      throw new AppError({
        code: ErrorCodes.credentialsMissing,
        message: `No Plaid keys are saved for ${environment === 'sandbox' ? 'Sandbox' : 'Production'}. Enter your client ID and secret in Settings, or switch to the built-in emulator.`,
        retryable: false,
      });
    }
    return gatewayWith(environment, credentials);
  }

  /** Opens a session; fails (and nothing changes) when the environment's keys are missing. */
  async function open(environment: PlaidEnvironment, store: AssetDeskStore): Promise<EnvironmentSession> {
    const gateway = await gatewayFor(environment);
    const linkScriptUrl = environment === 'emulator' && emulator ? emulator.linkScriptUrl : PLAID_LINK_SCRIPT_URL;
    const emulatorId = environment === 'emulator' && emulator ? emulatorFingerprint(emulator.clientId) : null;
    return bindSession(deps, { environment, gateway, store, linkScriptUrl, emulatorId });
  }

  return {
    ensureEmulator,
    gatewayWith,
    gatewayFor,
    open,
    emulator: () => emulator,
    async closeEmulator(): Promise<void> {
      const running = emulator;
      emulator = null;
      await running?.close();
    },
  };
}

export type SessionFactory = ReturnType<typeof createSessionFactory>;

/**
 * The built-in emulator's storage key, derived from the keychain's data key: the same on every run
 * (so its sealed data, e.g. a report's applicant details, survives restarts), never the data key itself.
 */
export async function emulatorStorageKey(vault: Pick<KeychainVault, 'dataKey'>): Promise<Buffer> {
  const dataKey = await vault.dataKey({ databaseExists: true });
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'AssetDesk built-in emulator storage', 32));
}

/** The services of one environment, bound to its gateway. */
async function bindSession(
  deps: SessionFactoryDeps,
  parts: {
    environment: PlaidEnvironment;
    gateway: PlaidGateway;
    store: AssetDeskStore;
    linkScriptUrl: string;
    emulatorId: string | null;
  },
): Promise<EnvironmentSession> {
  const { environment, gateway, store } = parts;
  const session = { environment, gateway } as EnvironmentSession;
  const webhookUrl = () => deps.webhookUrl(session);
  const coordination = deps.coordination?.();
  session.items = createItemService({
    store,
    gateway,
    environment,
    events: deps.events,
    logger: deps.logger,
    webhookUrl,
    linkScriptUrl: parts.linkScriptUrl,
    clock: deps.clock,
    // Only a team's desks share a history that another desk's emulator made part of.
    emulatorId: coordination?.shared ? parts.emulatorId : null,
  });
  // Hosted Links sent before a restart (or in this environment before a switch) are followed again.
  await session.items.resumeHosted();
  session.lifecycle = createReportLifecycle({
    store,
    gateway,
    environment,
    items: session.items,
    events: deps.events,
    desktop: deps.desktop,
    logger: deps.logger,
    clock: deps.clock,
    webhookUrl,
    emulatorId: parts.emulatorId,
    ...(deps.pollIntervals ? { pollIntervals: deps.pollIntervals } : {}),
    ...(coordination ? { coordination } : {}),
  });
  return session;
}

/** Ends a session's background work (Hosted Link polls, report polls) before another takes over. */
export async function closeSession(session: EnvironmentSession): Promise<void> {
  session.items.stop();
  await session.lifecycle.stop();
}
