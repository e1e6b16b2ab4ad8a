import type { PlaidEnvironment } from '../../shared/domain';
import type { ContractHandlers, EventSink } from '../../shared/ipc/contract';
import type { AssetDeskStore } from '../db';
import { existsSync } from 'node:fs';
import { AppError, ErrorCodes } from '../../shared/errors';
import { AppRuntime } from './app-runtime';
import { createBackupHandlers, type BackupHandlerDeps } from './backup-handlers';
import { createClipboardHandlers } from './clipboard';
import type { DesktopAdapters } from './desktop';
import type { EnvironmentSession, RunningEmulatorLike, StartEmulator } from './environment-session';
import { createBorrowerHandlers } from './features/borrowers';
import { createLoanHandlers } from './features/loans';
import { createAuditCopyHandlers } from './features/audit-copies';
import { createDepositHandlers } from './features/deposits';
import { createFileHandlers } from './features/files';
import { createHandoffHandlers, handoffInForce, lockedDuringHandoff } from './features/handoff';
import { privateDuringHandoff } from './handoff-privacy';
import { createTeamHandlers } from './features/team';
import { teamGuarded } from './team/team-guard';
import type { TeamDesk } from './team/team-desk';
import { createTeamValueCipher } from './team/value-cipher';
import { createValueCipher } from '../db/cipher';
import { moveLocalHistory } from '../db/move-history';
import { createLinkHandlers } from './features/link';
import { createReportHandlers } from './features/reports';
import { createSettingsHandlers, type SettingsFeatureDeps } from './features/settings';
import { underwritingConfirmationHandlers } from './features/underwriting';
import type { Logger } from '../log/logger';
import type { PlaidGateway, PlaidGatewayOptions } from './plaid-gateway';
import type { PollIntervals } from './reports/lifecycle';
import type { CredentialEnvironment, KeytarLike } from './vault';

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
  /** Team mode: how often this desk looks for pending reports nobody polls (default 1 s). */
  teamTakeoverMs?: number;
  /** How long stopping waits for a request that makes something at Plaid to answer (default 10 s; see stopping.ts). */
  stopGraceMs?: number;
}

export type EnvironmentChangedListener = (change: {
  environment: PlaidEnvironment;
  /** Origin of the in-process emulator while it runs (its Link script must be allowed by the CSP), else null. */
  emulatorOrigin: string | null;
  /** Origin of the emulator's OAuth bank site while it runs (Link opens it in a pop-up), else null. */
  emulatorBankOrigin: string | null;
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
  /** Origin of the emulator's OAuth bank site (Link's bank pop-up in emulator mode). */
  emulatorBankOrigin(): string | null;
  /** Plaid keys and the team database password in use this run, for the logger to remove (see runtime-secrets.ts). */
  secretsInUse(): readonly string[];
  /** Called after each environment switch; returns the unsubscribe function. */
  onEnvironmentChanged(listener: EnvironmentChangedListener): () => void;
  /** For tests and the main process: the running parts, never exposed over IPC. */
  readonly internals: {
    store(): AssetDeskStore | null;
    environment(): PlaidEnvironment;
    gateway(): PlaidGateway;
    webhookUrl(): string | null;
    emulator(): RunningEmulatorLike | null;
    /** Resolves once start-up's background work and every webhook, poll and submission in flight has finished. */
    settled(): Promise<void>;
  };
}

export function createAppServices(given: AppServicesDeps): AppServices {
  // Every service sends its events and OS notices through the hand-off's privacy filter (handoff-privacy.ts),
  // which asks this desk's own state whether a borrower holds the computer.
  const deps: AppServicesDeps = {
    ...given,
    ...privateDuringHandoff({
      events: given.events,
      desktop: given.desktop,
      holder: () => handoffInForce(runtime.desk),
    }),
  };
  const runtime = new AppRuntime(deps);

  // While an applicant holds this computer only their own linking calls run (features/handoff.ts).
  // On a team the member's role and the server's reachability come first (team/team-guard.ts).
  const handlers = lockedDuringHandoff(
    runtime.context,
    runtime.desk,
    teamGuarded(() => runtime.team, deskHandlers(runtime, deps)),
  );

  // The log cannot be written (full disk …): the officer is told once; the app keeps running.
  deps.logger.onWriteFailure?.((failure) => deps.events.emit('log:writeFailed', failure));

  return {
    handlers,
    start: () => runtime.start(),
    stop: () => runtime.stop(),
    background: () => runtime.background,
    emulatorOrigin: () => runtime.emulatorOrigin(),
    emulatorBankOrigin: () => runtime.emulatorBankOrigin(),
    onEnvironmentChanged: (listener) => runtime.onEnvironmentChanged(listener),
    secretsInUse: () => runtime.secrets.list(),
    internals: runningParts(runtime),
  };
}

/** Every feature's handlers, one module each, before the hand-off lock wraps them. */
function deskHandlers(runtime: AppRuntime, deps: AppServicesDeps): ContractHandlers {
  const ctx = runtime.context;
  return {
    ...createClipboardHandlers(deps.desktop),
    ...createFileHandlers(deps.desktop),
    ...createHandoffHandlers(ctx, runtime.desk),
    ...createSettingsHandlers(settingsDeps(runtime, deps)),
    ...createLoanHandlers(ctx),
    ...createBorrowerHandlers(ctx),
    ...createLinkHandlers(ctx),
    ...createReportHandlers(ctx),
    ...createAuditCopyHandlers(ctx),
    ...createDepositHandlers(ctx),
    ...underwritingConfirmationHandlers(ctx),
    ...createBackupHandlers(backupDeps(runtime, deps)),
    ...createTeamHandlers({
      userDataDir: deps.userDataDir,
      logger: deps.logger,
      keychain: runtime.teamKeychain,
      team: () => runtime.team,
      problem: () => runtime.teamProblem,
      restart: async () => {
        await runtime.stop();
        runtime.vault.forget();
        await runtime.start();
      },
      gatewayFor: (environment) => runtime.context.gatewayFor(environment),
      moveHistory: (desk) => moveHistoryInto(desk, runtime),
    }),
  };
}

function settingsDeps(runtime: AppRuntime, deps: AppServicesDeps): SettingsFeatureDeps {
  return {
    ctx: runtime.context,
    vault: runtime.vault,
    keychain: () => runtime.keychain,
    version: deps.version ?? '0.1.0',
    transport: deps.transport ?? 'electron',
    backgroundWork: () => runtime.backgroundWork,
    switchEnvironment: (environment) => runtime.switchTo(environment),
    sessionEnvironment: () => runtime.session?.environment ?? null,
    webhooks: runtime.webhooks,
    gatewayWith: (environment, credentials) => runtime.sessions.gatewayWith(environment, credentials),
  };
}

/** Backup work that needs the database file closed stops the services around it; the vault is re-read on start. */
function backupDeps(runtime: AppRuntime, deps: AppServicesDeps): BackupHandlerDeps {
  return {
    databaseFile: runtime.databaseFile,
    store: () => runtime.store,
    vault: runtime.vault,
    desktop: deps.desktop,
    clock: runtime.context.clock,
    logger: deps.logger,
    withStoreClosed: async (work) => {
      await runtime.stop();
      try {
        return await work();
      } finally {
        runtime.vault.forget();
        await runtime.start();
      }
    },
    restart: async () => {
      await runtime.stop();
      runtime.vault.forget();
      await runtime.start();
      return runtime.keychain;
    },
  };
}

/** The running parts behind AppServices.internals, read at call time (a restart or switch replaces them). */
function runningParts(runtime: AppRuntime): AppServices['internals'] {
  const running =
    <T>(pick: (session: EnvironmentSession) => T) =>
    (): T => {
      if (!runtime.session) throw new Error('not started');
      return pick(runtime.session);
    };

  return {
    store: () => runtime.store,
    environment: () => runtime.environment(),
    gateway: running((s) => s.gateway),
    webhookUrl: () => runtime.webhooks.url(),
    emulator: () => runtime.sessions.emulator(),
    async settled() {
      await runtime.background;
      await runtime.webhooks.idle();
      await runtime.session?.lifecycle.settled();
      await runtime.webhooks.idle();
    },
  };
}

/** This desk's own SQLite history into its team's database (idempotent: what is there already is skipped). */
async function moveHistoryInto(desk: TeamDesk, runtime: AppRuntime) {
  if (!existsSync(runtime.databaseFile))
    throw new AppError({
      code: ErrorCodes.notFound,
      message: 'This desk has no local history to move.',
      retryable: false,
    });
  const moved = await moveLocalHistory({
    sqliteFile: runtime.databaseFile,
    localCipher: createValueCipher(await runtime.vault.dataKey({ databaseExists: true })),
    team: { engine: desk.store.engine, cipher: createTeamValueCipher(desk.keyring()) },
    movedBy: desk.config.memberName,
  });
  return {
    loans: moved.loans,
    borrowers: moved.borrowers,
    items: moved.items,
    reports: moved.reports,
    auditCopies: moved.auditCopies,
    activity: moved.activity,
    skipped: moved.skipped,
  };
}
