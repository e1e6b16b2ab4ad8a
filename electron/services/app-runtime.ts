import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { KeychainState, PlaidEnvironment } from '../../shared/domain';
import type { BackgroundWork } from '../../shared/ipc/contract';
import { planRetention } from '../db/retention';
import { openAssetDeskStore, type AssetDeskStore } from '../db';
import type { AppServicesDeps, EnvironmentChangedListener } from './app-services';
import {
  closeSession,
  createSessionFactory,
  type EnvironmentSession,
  type SessionFactory,
} from './environment-session';
import type { Logger } from '../log/logger';
import { sweepRetention } from './removal';
import type { ServiceContext } from './service-context';
import { Stopping } from './stopping';
import { createKeychainVault, keychainUnavailableError, type KeychainVault } from './vault';
import { createWebhookDesk, type WebhookDesk } from './webhook-desk';
import { RuntimeSecrets, rememberingTeamSecrets } from './runtime-secrets';
import { createTeamKeychain, type TeamKeychain } from './team/keychain';
import { withTeamCredentials } from './team/team-credentials';
import { openTeamDesk, readTeamConfig, type TeamDesk, type TeamDeskConfig } from './team/team-desk';
import { SIGN_IN_ADVICE } from './team/connectivity';
import { adoptDeskSettingsFromHistory, openDeskState, type DeskState } from './desk-state';
import { readyContent } from './reports/ready-content';
import { emulatorFingerprint } from './team/emulator-per-desk';

const DAY_MS = 24 * 60 * 60 * 1000;
/** On a team, unfinished removals are looked for on one look for pending reports in this many (about 30 s). */
const REMOVAL_LOOK_EVERY = 30;

/**
 * The running state behind the services: keychain, store, the current environment session and the
 * webhook receiver, with start-up, shutdown and the environment swap. Feature modules see it only
 * through the ServiceContext it provides.
 */
export class AppRuntime {
  readonly vault: KeychainVault;
  readonly sessions: SessionFactory;
  readonly webhooks: WebhookDesk;
  readonly context: ServiceContext;
  /** What belongs to this computer whatever history it works on: the borrower hand-off (desk-state.ts). */
  readonly desk: DeskState;
  keychain: KeychainState = {
    state: 'unavailable',
    message: 'AssetDesk is still starting.',
    howToFix: 'Wait a moment and try again.',
  };
  store: AssetDeskStore | null = null;
  session: EnvironmentSession | null = null;
  /** In team mode: the shared store on the office's PostgreSQL, its live feed and report coordination. */
  team: TeamDesk | null = null;
  /** Why this desk, set up for a team, could not open the team database (null when it did or is local). */
  teamProblem: { code: string; message: string } | null = null;
  readonly teamKeychain: TeamKeychain;
  /** Plaid keys and the team database password this run has used: never written to the log. */
  readonly secrets = new RuntimeSecrets();
  /** Stopping this run: what Plaid calls may still do, and how long saving what Plaid made may take. */
  readonly stopping: Stopping;
  /** Start-up work that runs after start() resolved (report resumption, retention); never rejects. */
  background: Promise<void> = Promise.resolve();
  /** What that work is doing now, for the officer's status line; null when idle. */
  backgroundWork: BackgroundWork | null = null;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly environmentListeners = new Set<EnvironmentChangedListener>();
  private retentionTimer: NodeJS.Timeout | undefined;
  private teamRetry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: AppServicesDeps) {
    this.log = deps.logger.child({ component: 'app' });
    this.clock = deps.clock ?? (() => new Date());
    this.desk = openDeskState(deps.userDataDir, this.log);
    this.stopping = new Stopping(deps.stopGraceMs);
    // Plaid keys come from the team database on a team (the admin's), from this desk's keychain otherwise.
    this.vault = withTeamCredentials(
      createKeychainVault({
        ...(deps.keychain ? { keytar: deps.keychain } : {}),
        ...(deps.keychainService ? { service: deps.keychainService } : {}),
      }),
      () => this.team?.store ?? null,
    );
    this.teamKeychain = rememberingTeamSecrets(
      createTeamKeychain({
        ...(deps.keychain ? { keytar: deps.keychain } : {}),
        ...(deps.keychainService ? { service: `${deps.keychainService} team` } : {}),
      }),
      this.secrets,
    );
    this.sessions = createSessionFactory({
      ...deps,
      vault: this.vault,
      clock: this.clock,
      stopping: this.stopping,
      coordination: () => this.team?.coordination,
      // Only the current session puts our webhook URL into Plaid requests.
      webhookUrl: (of) => (of === this.session ? this.webhooks.url() : null),
      onCredentials: ({ clientId, secret }) => this.secrets.add(clientId, secret),
    });
    this.webhooks = createWebhookDesk({
      logger: deps.logger,
      clock: this.clock,
      enabled: () => this.store?.settings.cached('webhook').enabled ?? true,
      publicUrl: () => this.store?.settings.cached('webhook').publicUrl ?? null,
      session: () => this.session,
      requireSession: () => this.requireSession(),
      // The port is this computer's: on a team each desk keeps its own (a member may not write the team's settings).
      savedPort: () => this.desk.value('webhookPort'),
      savePort: async (port) => this.desk.update('webhookPort', port),
    });
    this.context = {
      desktop: deps.desktop,
      events: deps.events,
      logger: deps.logger,
      clock: this.clock,
      store: () => this.requireStore(),
      openStore: () => this.store,
      environment: () => this.environment(),
      session: () => this.requireSession(),
      gatewayFor: async (environment) =>
        environment === this.session?.environment ? this.session.gateway : this.sessions.gatewayFor(environment),
      ownEmulator: async () =>
        this.team ? emulatorFingerprint((await this.sessions.ensureEmulator()).clientId) : null,
    };
  }

  requireStore(): AssetDeskStore {
    if (this.keychain.state === 'unavailable') throw keychainUnavailableError(this.keychain);
    if (!this.store)
      throw new AppError({
        code: ErrorCodes.internal,
        message: 'AssetDesk is still starting. Try again in a moment.',
        retryable: true,
      });
    return this.store;
  }

  environment(): PlaidEnvironment {
    return this.store?.settings.cached('environment') ?? 'emulator';
  }

  async requireSession(): Promise<EnvironmentSession> {
    const store = this.requireStore();
    // On a team the admin may have switched the environment since this desk's session opened: it follows first.
    if (this.session && this.session.environment !== this.environment()) {
      const problem = await this.follow();
      if (problem) throw teamEnvironmentUnavailable(this.environment(), problem);
    }
    this.session ??= await this.sessions.open(this.environment(), store);
    return this.session;
  }

  emulatorOrigin(): string | null {
    const running = this.sessions.emulator();
    return running ? new URL(running.baseUrl).origin : null;
  }

  emulatorBankOrigin(): string | null {
    const running = this.sessions.emulator();
    return running?.bankOrigin ? new URL(running.bankOrigin).origin : null;
  }

  onEnvironmentChanged(listener: EnvironmentChangedListener): () => void {
    this.environmentListeners.add(listener);
    return () => void this.environmentListeners.delete(listener);
  }

  /** Swaps the whole environment session; fails, changing nothing, when the new environment's keys are missing. */
  switchTo(environment: PlaidEnvironment): Promise<void> {
    return this.oneSwapAtATime(async () => {
      const store = this.requireStore();
      const next = await this.sessions.open(environment, store);
      await store.settings.update('environment', environment);
      await this.useSession(next);
    });
  }

  /**
   * On a team the environment is the team's setting (its admin's choice), read by every desk: when another desk
   * switched it, this desk's session follows, so what it creates is in the environment its screens show. A desk
   * that cannot open it (a processor's has no Plaid keys) keeps its session and only reads.
   */
  async followTeamEnvironment(): Promise<void> {
    const problem = await this.follow().catch((error: unknown) => error as AppError);
    if (problem)
      this.log.warn('could not follow the team to another environment', {
        environment: this.environment(),
        code: problem.code,
      });
  }

  /** Opens the team's environment in place of this desk's session; the reason when it cannot (nothing changed). */
  private follow(): Promise<AppError | null> {
    return this.oneSwapAtATime(async () => {
      const store = this.store;
      const current = this.session;
      const wanted = this.environment();
      if (!this.team || !store || !current || this.stopped || wanted === current.environment) return null;
      let next: EnvironmentSession;
      try {
        next = await this.sessions.open(wanted, store);
      } catch (error) {
        return error instanceof AppError
          ? error
          : new AppError(
              { code: ErrorCodes.internal, message: 'Its Plaid keys could not be read.', retryable: true },
              { cause: error },
            );
      }
      await this.useSession(next);
      return null;
    });
  }

  private swapping: Promise<unknown> = Promise.resolve();
  /** Session swaps (this desk's switch, following another desk's) run one after the other. */
  private oneSwapAtATime<T>(swap: () => Promise<T>): Promise<T> {
    const run = this.swapping.then(swap);
    this.swapping = run.catch(() => undefined);
    return run;
  }

  /** Makes `next` the current session: the previous one stops, pending reports carry on, listeners are told. */
  private async useSession(next: EnvironmentSession): Promise<void> {
    const environment = next.environment;
    const previous = this.session;
    this.session = next;
    if (previous) await closeSession(previous);
    await next.lifecycle.resume();
    this.log.info('environment switched', { environment });
    const change = {
      environment,
      emulatorOrigin: this.emulatorOrigin(),
      emulatorBankOrigin: this.emulatorBankOrigin(),
    };
    for (const listener of this.environmentListeners) {
      try {
        listener(change);
      } catch (error) {
        this.log.warn('environment listener failed', { error });
      }
    }
  }

  /** The history's database file. */
  get databaseFile(): string {
    return join(this.deps.userDataDir, 'assetdesk.sqlite');
  }

  /** Resolves once the keychain is probed and the store is open; nothing here waits on Plaid. */
  async start(): Promise<void> {
    this.stopped = false;
    this.stopping.reset();
    // A restart (restore, unlock) begins with a clean status line; what is still due is told again below.
    if (this.backgroundWork) this.publish(null);
    // A history on disk means its key must exist: the vault then never creates a new one.
    this.keychain = await this.vault.probe({ databaseExists: existsSync(this.databaseFile) });
    if (this.keychain.state === 'unavailable') {
      // The app still opens: the renderer shows what is missing; secret-needing channels refuse.
      this.log.error('keychain unavailable', { message: this.keychain.message });
      return;
    }
    mkdirSync(this.deps.userDataDir, { recursive: true });
    const teamConfig = readTeamConfig(this.deps.userDataDir);
    const store = teamConfig ? await this.openTeam(teamConfig) : await this.openLocal();
    if (!store) return;
    // An older version kept the hand-off in the history's settings; only a desk that may write them moves it.
    if (!this.team || this.team.config.role === 'admin')
      await adoptDeskSettingsFromHistory(store, this.desk).catch((error: unknown) =>
        this.log.warn('could not move the hand-off out of the history settings', { error }),
      );
    await this.webhooks.start();
    this.session = await this.openSavedSession(store);
    // Counted before start() returns, so a window that asks right away already sees the work under way.
    const pending = (await store.reports.listPending(this.session.environment)).length;
    this.background = this.runBackground(this.session, pending);
    if (this.sweepsRetention()) {
      this.retentionTimer = setInterval(() => void this.sweepRetentionVisibly(), DAY_MS);
      this.retentionTimer.unref();
    }
  }

  /** The officer's own SQLite history; false (with the reason on screen) when it cannot be opened. */
  private async openLocal(): Promise<AssetDeskStore | null> {
    try {
      this.store = await openAssetDeskStore({
        file: this.databaseFile,
        dataKey: await this.vault.dataKey({ databaseExists: true }),
        clock: this.clock,
        logger: this.deps.logger,
        hold: true, // one AssetDesk at a time on this history (a second window, `npm run web` on the same folder)
      });
      return this.store;
    } catch (error) {
      // Damaged file or journal, read-only folder, wrong key, another AssetDesk on it: say what and what to do;
      // never start empty.
      if (!(error instanceof AppError)) throw error;
      this.log.error('history could not be opened', { code: error.code });
      const [what, ...todo] = error.message.split('. ');
      this.keychain = { state: 'unavailable', message: `${what}.`, howToFix: todo.join('. ') };
      return null;
    }
  }

  /**
   * The team's history on the office's PostgreSQL. When the server cannot be reached the desk says so
   * (nothing pretends to work) and tries again by itself; a missing key or login is told with what to do.
   */
  private async openTeam(config: TeamDeskConfig): Promise<AssetDeskStore | null> {
    try {
      const secrets = await this.teamKeychain.load(config.teamId);
      if (!secrets) throw teamSecretsMissing(config);
      const fromEnv = process.env.ASSETDESK_DATABASE_URL;
      if (fromEnv && URL.canParse(fromEnv)) this.secrets.add(decodeURIComponent(new URL(fromEnv).password));
      this.team = await openTeamDesk({
        config: fromEnv ? { ...config, url: fromEnv } : config,
        secrets,
        keychain: this.teamKeychain,
        events: this.deps.events,
        logger: this.deps.logger,
        clock: this.clock,
        onSettingsChanged: () => void this.followTeamEnvironment(),
        ...(this.deps.teamTakeoverMs !== undefined ? { takeoverMs: this.deps.teamTakeoverMs } : {}),
      });
      this.store = this.team.store;
      this.teamProblem = null;
      return this.store;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      this.log.error('team database could not be opened', { code: error.code });
      // This desk signs in with the login joining gave it: there is no name or password for the member to check.
      const message =
        error.code === ErrorCodes.teamDatabaseAuth
          ? `The team database refused this desk's sign-in. ${SIGN_IN_ADVICE}`
          : error.message;
      this.teamProblem = { code: error.code, message };
      this.keychain = {
        state: 'unavailable',
        message,
        howToFix: error.retryable
          ? 'AssetDesk tries again every 15 seconds; what you saved is on the team database and is not lost.'
          : 'Fix what the message says, then choose Try again.',
      };
      if (error.retryable && !this.stopped) {
        this.teamRetry = setTimeout(() => void this.start().catch(() => undefined), 15_000);
        this.teamRetry.unref();
      }
      return null;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.teamRetry) clearTimeout(this.teamRetry);
    // Plaid first: nothing new is sent, reads in flight are abandoned (repeated at the next start), and what saves
    // something Plaid makes gets the grace to finish; so no Plaid outage holds the quit for longer than that.
    await this.stopping.begin();
    if (this.session) await closeSession(this.session);
    await this.background;
    await this.webhooks.stop();
    await this.sessions.closeEmulator();
    if (this.team) await this.team.close();
    else await this.store?.close();
    this.team = null;
    this.store = null;
    readyContent.clear(); // decrypted reports go with the history they came from
  }

  sweepRetention(): Promise<string[]> {
    return sweepRetention(this.context);
  }

  /** The saved environment, or the emulator when its keys vanished from the keychain behind our back. */
  private async openSavedSession(store: AssetDeskStore): Promise<EnvironmentSession> {
    try {
      return await this.sessions.open(this.environment(), store);
    } catch (error) {
      this.log.warn('could not open the saved environment; using the emulator', { code: (error as AppError).code });
      // A team's environment is the team's: this desk (a processor's has no Plaid keys) reads it and only opens
      // the emulator for itself; requireSession says why when something needs Plaid.
      if (!this.team) await store.settings.update('environment', 'emulator');
      return this.sessions.open('emulator', store);
    }
  }

  /** Work that must not hold up the window: carrying on pending reports (network), the retention sweep. */
  private async runBackground(session: EnvironmentSession, pending: number): Promise<void> {
    if (pending) this.tell({ task: 'resumingReports', count: pending, state: 'running', message: checking(pending) });
    try {
      await session.lifecycle.resume();
      // On a team, pending reports another desk stops polling (closed, crashed) are carried on here, by the
      // session of the moment (the environment may change while the desk runs), and so are removals a desk sent
      // to Plaid before it stopped.
      // Removals are looked for on every REMOVAL_LOOK_EVERY-th look only: their query reads the activity log, and a
      // desk gone mid-removal is not urgent (its report only looks ready a little longer).
      let looks = 0;
      this.team?.watchReports({
        pending: async () => {
          const current = this.session;
          const store = this.store;
          if (!current || !store) return [];
          const removing =
            current.lifecycle.finishesRemovals && looks++ % REMOVAL_LOOK_EVERY === 0
              ? await store.reports.listUnfinishedRemovals(current.environment)
              : [];
          return [...(await store.reports.listPending(current.environment)), ...removing].map((r) => r.id);
        },
        takeOver: async (reportId) => this.session?.lifecycle.takeOver(reportId),
      });
      this.tell(null);
    } catch (error) {
      this.log.error('resuming pending reports failed', { code: (error as AppError).code });
      this.tell({
        task: 'resumingReports',
        count: pending,
        state: 'failed',
        message: `Pending reports could not be checked with Plaid (${(error as Error).message}). Open a report to try again.`,
      });
    }
    await this.sweepRetentionVisibly();
  }

  /** On a team only the admin's desk sweeps retention (at start and daily), so two desks never remove the same report. */
  private sweepsRetention(): boolean {
    return !this.team || this.team.config.role === 'admin';
  }

  /** The retention sweep with its progress on the officer's status line; never rejects. */
  private async sweepRetentionVisibly(): Promise<void> {
    const store = this.store;
    if (!store || !this.sweepsRetention()) return;
    let due: number;
    try {
      due = (
        await planRetention(store, {
          retentionDays: await store.settings.value('retentionDays'),
          now: this.clock(),
        })
      ).length;
    } catch (error) {
      this.log.warn('retention sweep could not list the reports due', { code: (error as AppError).code });
      return;
    }
    if (!due) return;
    const failed = (count: number): BackgroundWork => ({
      task: 'retention',
      count,
      state: 'failed',
      message: `${reports(count)} past retention could not be removed at Plaid. AssetDesk tries again tomorrow.`,
    });
    this.tell({ task: 'retention', count: due, state: 'running', message: `Removing ${reports(due)} past retention…` });
    try {
      const elsewhere: string[] = [];
      const removed = await sweepRetention(this.context, { atAnotherDesk: ({ by }) => elsewhere.push(by) });
      const notRemoved = due - removed.length;
      if (elsewhere.length > 0) {
        const desks = [...new Set(elsewhere)].map((by) => `${by}'s desk`).join(', ');
        const them = elsewhere.length === 1 ? 'it' : 'them';
        const more = notRemoved > elsewhere.length ? ` ${failed(notRemoved - elsewhere.length).message}` : '';
        this.tell({
          task: 'retention',
          count: notRemoved,
          state: 'failed',
          message:
            `${reports(elsewhere.length)} past retention ${elsewhere.length === 1 ? 'was' : 'were'} made in the ` +
            `built-in emulator of ${desks}, which only that desk can reach: remove ${them} there, or switch the ` +
            `team to Plaid Sandbox.${more}`,
        });
      } else this.tell(notRemoved > 0 ? failed(notRemoved) : null);
    } catch (error) {
      this.log.warn('retention sweep failed', { error });
      this.tell(failed(due));
    }
  }

  /** Publishes what the background work is doing; a failure already on screen stays until the next step. */
  private tell(work: BackgroundWork | null): void {
    if (work === null && (this.backgroundWork === null || this.backgroundWork.state === 'failed')) return;
    this.publish(work);
  }

  private publish(work: BackgroundWork | null): void {
    this.backgroundWork = work;
    this.deps.events.emit('app:backgroundWork', { work });
  }
}

const reports = (count: number): string => (count === 1 ? '1 report' : `${count} reports`);
const checking = (count: number): string =>
  `Checking ${count === 1 ? '1 pending report' : `${count} pending reports`} with Plaid…`;

/** What a call that needs Plaid answers when this desk cannot open the environment its team works in. */
function teamEnvironmentUnavailable(environment: PlaidEnvironment, problem: AppError): AppError {
  const name = environment === 'production' ? 'Production' : environment === 'sandbox' ? 'Sandbox' : 'the emulator';
  return new AppError(
    {
      code: problem.code,
      message:
        problem.code === ErrorCodes.credentialsMissing
          ? `Your team works in ${name}, and this desk has no Plaid keys for it. Ask your team admin to save the team’s ${name} keys in Settings → Plaid keys, then try again.`
          : `Your team works in ${name}, and this desk could not open it: ${problem.message}`,
      retryable: true,
    },
    { cause: problem },
  );
}

function teamSecretsMissing(config: TeamDeskConfig): AppError {
  return new AppError({
    code: ErrorCodes.teamKeyMissing,
    message: `This desk is set up for the team "${config.teamName}" but its team key is not in the system keychain.`,
    retryable: false,
  });
}
