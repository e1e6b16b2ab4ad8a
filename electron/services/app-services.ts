import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { AssetReportGetResult } from '../../shared/asset-report';
import type { CredentialState, KeychainState, PlaidEnvironment, ReportSummary, Settings } from '../../shared/domain';
import type { ContractHandlers, EventSink } from '../../shared/ipc/contract';
import {
  analyzeReport,
  DEFAULT_UNDERWRITING_SETTINGS,
  loanInputsFromApplicant,
  underwritingSettings,
} from '../../shared/underwriting';
import { openAssetDeskStore, type AssetDeskStore } from '../db';
import { deleteApplicantLocally, planRetention } from '../db/retention';
import { startEmulator as startBuiltInEmulator } from '../emulator';
import { exportApplicantFile } from './applicant-export';
import { createBackupHandlers } from './backup-handlers';
import { buildCoverPage, prependCoverPage } from './cover-page';
import type { DesktopAdapters } from './desktop';
import { createItemService, PLAID_LINK_SCRIPT_URL, type ItemService } from './items';
import type { Logger } from '../log/logger';
import { createPlaidGateway, type PlaidGateway, type PlaidGatewayOptions } from './plaid-gateway';
import { createReportLifecycle, type PollIntervals, type ReportLifecycle } from './report-lifecycle';
import { writeFileSafely } from './safe-write';
import {
  createKeychainVault,
  keychainUnavailableError,
  type CredentialEnvironment,
  type KeychainVault,
  type KeytarLike,
  type PlaidCredentials,
} from './vault';
import {
  startWebhookReceiver,
  type PlaidWebhook,
  type PlaidWebhookKey,
  type WebhookReceiver,
} from './webhook-receiver';

/**
 * The main process's services behind the IPC contract: one handler per channel, all scoped to the
 * current Plaid environment, none returning a token or a secret. Electron-free: the main process,
 * the web bridge and the tests all build it the same way.
 */

/** What the app needs from the built-in emulator (electron/emulator). */
export interface RunningEmulatorLike {
  baseUrl: string;
  clientId: string;
  secret: string;
  linkScriptUrl: string;
  close(): Promise<void>;
}
export type StartEmulator = (options: {
  dataDir: string;
  logger?: Logger;
  [option: string]: unknown;
}) => Promise<RunningEmulatorLike>;

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

export interface AppServices {
  handlers: ContractHandlers;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Origin of the in-process emulator while it runs (its Link script must be allowed by the CSP). */
  emulatorOrigin(): string | null;
  /** For tests and the main process: the running parts, never exposed over IPC. */
  readonly internals: {
    store(): AssetDeskStore | null;
    environment(): PlaidEnvironment;
    gateway(): PlaidGateway;
    lifecycle(): ReportLifecycle;
    items(): ItemService;
    webhookUrl(): string | null;
    emulator(): RunningEmulatorLike | null;
    /** Resolves once every webhook, poll and submission in flight has finished. */
    settled(): Promise<void>;
    /** Runs the retention sweep now (it also runs at start and daily). */
    sweepRetention(): Promise<string[]>;
  };
}

interface EnvironmentContext {
  environment: PlaidEnvironment;
  gateway: PlaidGateway;
  items: ItemService;
  lifecycle: ReportLifecycle;
}

const SETTINGS_KEYS = {
  environment: 'environment',
  webhook: 'webhook',
  retentionDays: 'retentionDays',
  largeDepositShare: 'largeDepositShare',
  documentAgeRule: 'documentAgeRule',
  rejected: 'credentialsRejected',
} as const;

const VERIFY_INSTITUTION = 'ins_109508';

export function createAppServices(deps: AppServicesDeps): AppServices {
  const log = deps.logger.child({ component: 'app' });
  const clock = deps.clock ?? (() => new Date());
  const vault: KeychainVault = createKeychainVault({
    ...(deps.keychain ? { keytar: deps.keychain } : {}),
    ...(deps.keychainService ? { service: deps.keychainService } : {}),
  });
  let keychain: KeychainState = {
    state: 'unavailable',
    message: 'AssetDesk is still starting.',
    howToFix: 'Wait a moment and try again.',
  };
  let store: AssetDeskStore | null = null;
  let emulator: RunningEmulatorLike | null = null;
  let receiver: WebhookReceiver | null = null;
  let context: EnvironmentContext | null = null;
  let retentionTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const databaseFile = (): string => join(deps.userDataDir, 'assetdesk.sqlite');

  // ── state helpers ──────────────────────────────────────────────────────────────────────────
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

  function currentEnvironment(): PlaidEnvironment {
    return store?.settings.get<PlaidEnvironment>(SETTINGS_KEYS.environment, 'emulator') ?? 'emulator';
  }

  async function requireContext(): Promise<EnvironmentContext> {
    requireStore();
    if (context) return context;
    context = await activate(currentEnvironment());
    return context;
  }

  function rejectedReasons(): Partial<Record<CredentialEnvironment, string>> {
    return store?.settings.get<Partial<Record<CredentialEnvironment, string>>>(SETTINGS_KEYS.rejected, {}) ?? {};
  }

  async function credentialState(environment: CredentialEnvironment): Promise<CredentialState> {
    if (keychain.state === 'unavailable') return { state: 'not_configured' };
    const rejected = rejectedReasons()[environment];
    if (rejected) return { state: 'rejected', reason: rejected };
    const credentials = await vault.getCredentials(environment).catch(() => null);
    return credentials ? { state: 'configured' } : { state: 'not_configured' };
  }

  async function settings(): Promise<Settings> {
    const s = store;
    return {
      environment: currentEnvironment(),
      credentials: { sandbox: await credentialState('sandbox'), production: await credentialState('production') },
      webhook: s?.settings.get(SETTINGS_KEYS.webhook, { enabled: true, publicUrl: null as string | null }) ?? {
        enabled: true,
        publicUrl: null,
      },
      retentionDays: s?.settings.get<number | null>(SETTINGS_KEYS.retentionDays, null) ?? null,
      largeDepositShare:
        s?.settings.get(SETTINGS_KEYS.largeDepositShare, DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare) ??
        DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare,
      documentAgeRule:
        s?.settings.get(SETTINGS_KEYS.documentAgeRule, DEFAULT_UNDERWRITING_SETTINGS.documentAgeRule) ??
        DEFAULT_UNDERWRITING_SETTINGS.documentAgeRule,
    };
  }

  function webhookSettings(): { enabled: boolean; publicUrl: string | null } {
    return (
      store?.settings.get(SETTINGS_KEYS.webhook, { enabled: true, publicUrl: null as string | null }) ?? {
        enabled: true,
        publicUrl: null,
      }
    );
  }

  /**
   * The URL Plaid should send webhooks to: the configured public URL, else our loopback receiver —
   * but only when Plaid itself is on this machine (emulator, or a test pointing elsewhere at it).
   */
  function webhookUrl(): string | null {
    const configured = webhookSettings();
    if (!configured.enabled) return null;
    if (configured.publicUrl) return configured.publicUrl;
    if (!receiver || !context) return null;
    return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(context.gateway.basePath)
      ? receiver.url
      : null;
  }

  async function ensureEmulator(): Promise<RunningEmulatorLike> {
    if (emulator) return emulator;
    const start: StartEmulator = deps.startEmulator ?? ((options) => startBuiltInEmulator(options));
    emulator = await start({
      ...deps.emulatorOptions,
      dataDir: join(deps.userDataDir, 'emulator'),
      logger: deps.logger.child({ component: 'emulator' }),
    });
    log.info('emulator started', { baseUrl: emulator.baseUrl });
    return emulator;
  }

  function gatewayFor(environment: PlaidEnvironment, credentials: PlaidCredentials, basePath?: string): PlaidGateway {
    return createPlaidGateway({
      environment,
      clientId: credentials.clientId,
      secret: credentials.secret,
      logger: deps.logger,
      ...(basePath ? { basePath } : {}),
      ...deps.gatewayOptions,
    });
  }

  async function gatewayForEnvironment(environment: PlaidEnvironment): Promise<PlaidGateway> {
    if (environment === 'emulator') {
      const running = await ensureEmulator();
      return gatewayFor('emulator', { clientId: running.clientId, secret: running.secret }, running.baseUrl);
    }
    const credentials = await vault.getCredentials(environment);
    if (!credentials) {
      throw new AppError({
        code: ErrorCodes.credentialsMissing,
        message: `No Plaid keys are saved for ${environment === 'sandbox' ? 'Sandbox' : 'Production'}. Enter your client ID and secret in Settings, or switch to the built-in emulator.`,
        retryable: false,
      });
    }
    return gatewayFor(environment, credentials, deps.plaidBasePaths?.[environment]);
  }

  async function activate(environment: PlaidEnvironment): Promise<EnvironmentContext> {
    const s = requireStore();
    const gateway = await gatewayForEnvironment(environment);
    const ctxRef: { current?: EnvironmentContext } = {};
    const items = createItemService({
      store: s,
      gateway,
      environment,
      events: deps.events,
      logger: deps.logger,
      webhookUrl: () => (ctxRef.current === context ? webhookUrl() : null),
      linkScriptUrl: environment === 'emulator' && emulator ? emulator.linkScriptUrl : PLAID_LINK_SCRIPT_URL,
    });
    const lifecycle = createReportLifecycle({
      store: s,
      gateway,
      environment,
      items,
      events: deps.events,
      desktop: deps.desktop,
      logger: deps.logger,
      clock,
      webhookUrl: () => (ctxRef.current === context ? webhookUrl() : null),
      underwriting: () => ({
        largeDepositShare: s.settings.get(
          SETTINGS_KEYS.largeDepositShare,
          DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare,
        ),
        documentAgeRule: s.settings.get(SETTINGS_KEYS.documentAgeRule, DEFAULT_UNDERWRITING_SETTINGS.documentAgeRule),
      }),
      ...(deps.pollIntervals ? { pollIntervals: deps.pollIntervals } : {}),
    });
    const created = { environment, gateway, items, lifecycle };
    ctxRef.current = created;
    return created;
  }

  async function switchTo(environment: PlaidEnvironment): Promise<void> {
    const s = requireStore();
    const next = await activate(environment); // fails (and nothing changes) when keys are missing
    const previous = context;
    s.settings.set(SETTINGS_KEYS.environment, environment);
    context = next;
    if (previous) {
      previous.items.stop();
      await previous.lifecycle.stop();
    }
    await next.lifecycle.resume();
    log.info('environment switched', { environment });
  }

  async function startReceiver(): Promise<void> {
    if (receiver || !webhookSettings().enabled) return;
    receiver = await startWebhookReceiver({
      logger: deps.logger,
      clock,
      allowedHosts: () => {
        const publicUrl = webhookSettings().publicUrl;
        return publicUrl ? [new URL(publicUrl).host] : [];
      },
      fetchKey: async (kid) => {
        const ctx = await requireContext();
        const got = await ctx.gateway.call('/webhook_verification_key/get', (p) =>
          p.webhookVerificationKeyGet({ key_id: kid }),
        );
        return got.key as unknown as PlaidWebhookKey;
      },
      onWebhook: async (webhook: PlaidWebhook) => {
        const ctx = await requireContext();
        // Plaid names its environment; an emulator webhook says 'sandbox' like Plaid's Sandbox does.
        if (webhook.webhook_type === 'ASSETS') await ctx.lifecycle.handleWebhook(webhook);
        else await ctx.items.handleWebhook(webhook);
      },
    });
  }

  async function stopReceiver(): Promise<void> {
    const r = receiver;
    receiver = null;
    await r?.close();
  }

  async function sweepRetention(): Promise<string[]> {
    const s = requireStore();
    const retentionDays = s.settings.get<number | null>(SETTINGS_KEYS.retentionDays, null);
    const due = planRetention(s, { retentionDays, now: clock() });
    const removed: string[] = [];
    for (const report of due) {
      try {
        await removeReportEverywhere(report, 'retention');
        removed.push(report.id);
      } catch (error) {
        log.warn('retention could not remove a report', { reportId: report.id, code: (error as AppError).code });
      }
    }
    if (removed.length) log.info('retention sweep removed reports', { count: removed.length, retentionDays });
    return removed;
  }

  /** Removes a report at Plaid (in its own environment) and locally, logged with the reason. */
  async function removeReportEverywhere(report: ReportSummary, reason: string): Promise<void> {
    const s = requireStore();
    if (report.status !== 'removed' && report.plaidReportId) {
      const ctx = await requireContext();
      if (report.environment === ctx.environment) {
        await ctx.lifecycle.removeAtPlaid(report);
      } else {
        const gateway = await gatewayForEnvironment(report.environment);
        const token = s.reports.reportToken(report.id);
        if (token) {
          await gateway
            .call('/asset_report/remove', (p) => p.assetReportRemove({ asset_report_token: token }))
            .catch((error: unknown) => {
              if (!(error instanceof AppError && error.code === 'INVALID_ASSET_REPORT_TOKEN')) throw error;
            });
        }
      }
    }
    if (report.status !== 'removed') s.reports.markRemoved(report.id);
    s.activity.append({
      action: 'report_removed',
      applicantId: report.applicantId,
      reportId: report.id,
      detail: { plaidReportId: report.plaidReportId, reason },
    });
  }

  function requireReport(reportId: string): ReportSummary {
    const s = requireStore();
    const report = s.reports.get(reportId);
    if (!report || report.environment !== currentEnvironment()) {
      throw new AppError({
        code: ErrorCodes.notFound,
        message: 'This report no longer exists in the current environment.',
        retryable: false,
      });
    }
    return report;
  }

  function requireApplicant(applicantId: string) {
    const applicant = requireStore().applicants.get(applicantId);
    if (!applicant)
      throw new AppError({ code: ErrorCodes.notFound, message: 'This applicant no longer exists.', retryable: false });
    return applicant;
  }

  function requireReadyReport(reportId: string): ReportSummary {
    const summary = requireReport(reportId);
    if (summary.status !== 'ready') {
      throw new AppError({
        code: 'REPORT_NOT_READY',
        message:
          summary.status === 'pending'
            ? 'This report is still being generated.'
            : 'This report has no content (it failed or was removed).',
        retryable: summary.status === 'pending',
      });
    }
    return summary;
  }

  async function saveExport(
    reportId: string,
    format: 'pdf' | 'json' | 'csv',
    withCoverPage: boolean,
  ): Promise<{ saved: true; path: string } | { saved: false }> {
    const summary = requireReadyReport(reportId);
    // The JSON names the file (Plaid's generated date) and feeds CSV, JSON and the cover page; the PDF is
    // read only for a PDF export.
    const json = requireStore().reports.readJson(reportId) as AssetReportGetResult;
    const applicant = requireApplicant(summary.applicantId);
    const name = exportFileName(summary, applicant.lastName, json, format);
    const path = await deps.desktop.chooseSavePath({
      title: 'Save Asset Report',
      defaultName: name,
      extensions: [format],
    });
    if (!path) return { saved: false };
    let bytes: Uint8Array | string;
    if (format === 'json') bytes = JSON.stringify(json, null, 2);
    else if (format === 'csv') bytes = transactionsCsv(json);
    else {
      const pdf = requireStore().reports.readPdf(reportId);
      bytes = withCoverPage
        ? await prependCoverPage(pdf, await buildCoverPage(coverPageInput(summary, applicant, json)))
        : pdf;
    }
    writeFileSafely(path, bytes, 'the report');
    requireStore().activity.append({
      action: 'report_exported',
      applicantId: summary.applicantId,
      reportId,
      detail: { format, path, withCoverPage },
    });
    log.info('report exported', { reportId, format, path });
    return { saved: true, path };
  }

  function coverPageInput(
    summary: ReportSummary,
    applicant: ReturnType<typeof requireApplicant>,
    json: AssetReportGetResult,
  ) {
    const s = requireStore();
    const asOf = clock().toISOString().slice(0, 10);
    const settings = underwritingSettings({
      largeDepositShare: s.settings.get(
        SETTINGS_KEYS.largeDepositShare,
        DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare,
      ),
      documentAgeRule: s.settings.get(SETTINGS_KEYS.documentAgeRule, DEFAULT_UNDERWRITING_SETTINGS.documentAgeRule),
      sourcedDeposits: s.sourcedDeposits
        .list(summary.id)
        .map((d) => ({ transactionId: d.transactionId, note: d.note })),
    });
    return {
      analysis: analyzeReport(json, loanInputsFromApplicant(applicant), settings, asOf),
      applicantName: [applicant.firstName, applicant.middleName, applicant.lastName].filter(Boolean).join(' '),
      loanNumber: applicant.loanNumber,
      reportId: summary.plaidReportId ?? summary.id,
      generatedAt: clock().toISOString(),
      asOf,
    };
  }

  // ── handlers ───────────────────────────────────────────────────────────────────────────────
  const handlers: ContractHandlers = {
    'app:info': async () => ({
      version: deps.version ?? '0.1.0',
      environment: currentEnvironment(),
      keychain,
      transport: deps.transport ?? 'electron',
    }),

    'settings:get': () => settings(),
    'settings:update': async (changes) => {
      const s = requireStore();
      if (changes.webhook !== undefined) s.settings.set(SETTINGS_KEYS.webhook, changes.webhook);
      if (changes.retentionDays !== undefined) s.settings.set(SETTINGS_KEYS.retentionDays, changes.retentionDays);
      if (changes.largeDepositShare !== undefined)
        s.settings.set(SETTINGS_KEYS.largeDepositShare, changes.largeDepositShare);
      if (changes.documentAgeRule !== undefined) s.settings.set(SETTINGS_KEYS.documentAgeRule, changes.documentAgeRule);
      if (changes.webhook !== undefined) {
        if (changes.webhook.enabled) await startReceiver();
        else await stopReceiver();
      }
      s.activity.append({ action: 'settings_changed', detail: { fields: Object.keys(changes) } });
      return settings();
    },
    'settings:switchEnvironment': async ({ environment }) => {
      await switchTo(environment);
      requireStore().activity.append({ action: 'environment_switched', detail: { environment } });
      return settings();
    },
    'credentials:save': async ({ environment, clientId, secret }) => {
      const s = requireStore();
      const gateway = gatewayFor(environment, { clientId, secret }, deps.plaidBasePaths?.[environment]);
      const rejected = { ...rejectedReasons() };
      try {
        // A cheap call proves the keys before anything is stored.
        await gateway.call(
          '/institutions/get_by_id',
          (p) => p.institutionsGetById({ institution_id: VERIFY_INSTITUTION, country_codes: ['US' as never] }),
          { retry: false },
        );
      } catch (error) {
        const appError =
          error instanceof AppError
            ? error
            : new AppError({ code: ErrorCodes.internal, message: 'Verification failed.', retryable: true });
        if (appError.code === ErrorCodes.network || (appError.retryable && appError.code !== 'INVALID_API_KEYS'))
          throw appError;
        rejected[environment] = `${appError.message} (${appError.code})`;
        s.settings.set(SETTINGS_KEYS.rejected, rejected);
        s.activity.append({ action: 'credentials_rejected', detail: { environment, code: appError.code } });
        return settings();
      }
      await vault.saveCredentials(environment, { clientId, secret });
      delete rejected[environment];
      s.settings.set(SETTINGS_KEYS.rejected, rejected);
      s.activity.append({ action: 'credentials_saved', detail: { environment } });
      if (context?.environment === environment) await switchTo(environment);
      return settings();
    },
    'credentials:clear': async ({ environment }) => {
      const s = requireStore();
      await vault.clearCredentials(environment);
      const rejected = { ...rejectedReasons() };
      delete rejected[environment];
      s.settings.set(SETTINGS_KEYS.rejected, rejected);
      s.activity.append({ action: 'credentials_cleared', detail: { environment } });
      if (currentEnvironment() === environment) await switchTo('emulator');
      return settings();
    },

    'applicants:list': async (query) =>
      requireStore().applicants.search({ environment: currentEnvironment(), ...query }),
    'applicants:get': async ({ applicantId }) => {
      const s = requireStore();
      const applicant = requireApplicant(applicantId);
      const environment = currentEnvironment();
      return {
        applicant,
        items: s.items.listForApplicant(applicantId, environment),
        reports: s.reports.listForApplicant(applicantId, environment),
      };
    },
    'applicants:create': async (input) => {
      const s = requireStore();
      const applicant = s.applicants.create(input);
      s.activity.append({
        action: 'applicant_created',
        applicantId: applicant.id,
        detail: { loanNumber: applicant.loanNumber },
      });
      return applicant;
    },
    'applicants:update': async ({ applicantId, changes }) => {
      const s = requireStore();
      const applicant = s.applicants.update(applicantId, changes);
      s.activity.append({ action: 'applicant_updated', applicantId, detail: { fields: Object.keys(changes) } });
      return applicant;
    },
    'applicants:delete': async ({ applicantId }) => {
      const s = requireStore();
      requireApplicant(applicantId);
      // Plaid first (reports, then Items), so nothing stays at Plaid that we no longer know about.
      for (const environment of ['emulator', 'sandbox', 'production'] as const) {
        for (const report of s.reports.listForApplicant(applicantId, environment)) {
          try {
            await removeReportEverywhere(report, 'applicant_deleted');
          } catch (error) {
            log.warn('could not remove a report at Plaid while deleting an applicant', {
              reportId: report.id,
              code: (error as AppError).code,
            });
          }
        }
        for (const item of s.items.listForApplicant(applicantId, environment)) {
          if (item.status === 'removed') continue;
          try {
            const gateway =
              environment === context?.environment ? context.gateway : await gatewayForEnvironment(environment);
            await gateway
              .call('/item/remove', (p) => p.itemRemove({ access_token: s.items.accessToken(item.id) }))
              .catch((error: unknown) => {
                if (!(
                  error instanceof AppError &&
                  (error.code === 'INVALID_ACCESS_TOKEN' || error.code === 'ITEM_NOT_FOUND')
                ))
                  throw error;
              });
            s.items.remove(item.id);
          } catch (error) {
            log.warn('could not remove an Item at Plaid while deleting an applicant', {
              itemId: item.id,
              code: (error as AppError).code,
            });
          }
        }
      }
      deleteApplicantLocally(s, applicantId);
      log.info('applicant deleted', { applicantId });
      return { ok: true as const };
    },
    'applicants:export': async ({ applicantId }) => {
      const s = requireStore();
      requireApplicant(applicantId);
      const folder = await deps.desktop.chooseFolder({ title: 'Export loan file' });
      if (!folder) return { saved: false as const };
      const result = exportApplicantFile(s, applicantId, folder, { environment: currentEnvironment(), now: clock() });
      // exportApplicantFile logs the 'exported' activity entry itself.
      log.info('applicant exported', { applicantId, folder: result.folder });
      return { saved: true as const, folder: result.folder, files: result.files };
    },

    'link:createToken': async ({ applicantId, itemId }) =>
      (await requireContext()).items.createLinkToken(applicantId, itemId),
    'link:complete': async ({ applicantId, publicToken, metadata }) =>
      (await requireContext()).items.complete(applicantId, publicToken, metadata),
    'link:updateComplete': async ({ itemId }) => (await requireContext()).items.updateComplete(itemId),
    'link:createHosted': async ({ applicantId }) => (await requireContext()).items.createHosted(applicantId),
    'link:hostedStatus': async ({ hostedLinkId }) => (await requireContext()).items.hostedStatus(hostedLinkId),
    'items:remove': async ({ itemId }) => {
      await (await requireContext()).items.remove(itemId);
      return { ok: true as const };
    },

    'reports:create': async (request) => (await requireContext()).lifecycle.create(request),
    'reports:search': async (query) => requireStore().reports.search({ environment: currentEnvironment(), ...query }),
    'reports:get': async ({ reportId }) => {
      const summary = requireReadyReport(reportId);
      return { summary, contentJson: maskSsnInReportJson(requireStore().reports.readJsonText(reportId)) };
    },
    'reports:pdf': async ({ reportId }) => {
      requireReadyReport(reportId);
      return { pdf: Uint8Array.from(requireStore().reports.readPdf(reportId)) }; // the PDF alone, not the report's JSON too
    },
    'reports:refresh': async ({ reportId, daysRequested }) =>
      (await requireContext()).lifecycle.refresh(reportId, daysRequested),
    'reports:filter': async ({ reportId, accountIdsToExclude }) =>
      (await requireContext()).lifecycle.filter(reportId, accountIdsToExclude),
    'reports:remove': async ({ reportId }) => {
      await (await requireContext()).lifecycle.remove(reportId);
      return { ok: true as const };
    },
    'reports:export': async ({ reportId, format, withCoverPage }) =>
      saveExport(reportId, format, withCoverPage ?? false),

    'auditCopies:list': async ({ reportId }) => {
      requireReport(reportId);
      return requireStore().auditCopies.list(reportId);
    },
    'auditCopies:create': async ({ reportId, auditorId }) =>
      (await requireContext()).lifecycle.createAuditCopy(reportId, auditorId),
    'auditCopies:copyToken': async ({ auditCopyId }) => {
      (await requireContext()).lifecycle.copyAuditCopyToken(auditCopyId);
      return { ok: true as const };
    },
    'auditCopies:remove': async ({ auditCopyId }) => {
      await (await requireContext()).lifecycle.removeAuditCopy(auditCopyId);
      return { ok: true as const };
    },

    'deposits:markSourced': async ({ reportId, transactionId, note }) => {
      const report = requireReport(reportId);
      requireStore().sourcedDeposits.mark(reportId, transactionId, note);
      requireStore().activity.append({
        action: 'deposit_sourced',
        applicantId: report.applicantId,
        reportId,
        detail: { transactionId },
      });
      return { ok: true as const };
    },
    'deposits:unmarkSourced': async ({ reportId, transactionId }) => {
      const report = requireReport(reportId);
      requireStore().sourcedDeposits.unmark(reportId, transactionId);
      requireStore().activity.append({
        action: 'deposit_unsourced',
        applicantId: report.applicantId,
        reportId,
        detail: { transactionId },
      });
      return { ok: true as const };
    },
    'deposits:listSourced': async ({ reportId }) => {
      requireReport(reportId);
      return requireStore()
        .sourcedDeposits.list(reportId)
        .map((d) => ({ transactionId: d.transactionId, note: d.note, markedAt: d.markedAt }));
    },

    'activity:list': async (filter) => requireStore().activity.list(filter),

    ...createBackupHandlers({
      databaseFile: databaseFile(),
      store: () => store,
      vault,
      desktop: deps.desktop,
      clock,
      logger: deps.logger,
      withStoreClosed: async (work) => {
        await services.stop();
        try {
          return await work();
        } finally {
          vault.forget();
          await services.start();
        }
      },
      restart: async () => {
        await services.stop();
        vault.forget();
        await services.start();
        return keychain;
      },
    }),
  };

  // The log cannot be written (full disk …): the officer is told once; the app keeps running.
  deps.logger.onWriteFailure?.((failure) => deps.events.emit('log:writeFailed', failure));

  const services: AppServices = {
    handlers,
    async start() {
      stopped = false;
      // A history on disk means its key must exist: the vault then never creates a new one.
      keychain = await vault.probe({ databaseExists: existsSync(databaseFile()) });
      if (keychain.state === 'unavailable') {
        // The app still opens: the renderer shows what is missing; secret-needing channels refuse.
        log.error('keychain unavailable', { message: keychain.message });
        return;
      }
      mkdirSync(deps.userDataDir, { recursive: true });
      try {
        store = openAssetDeskStore({
          file: databaseFile(),
          dataKey: await vault.dataKey({ databaseExists: true }),
          clock,
          logger: deps.logger,
        });
      } catch (error) {
        // Damaged file or journal, read-only folder, wrong key: say what and what to do; never start empty.
        if (!(error instanceof AppError)) throw error;
        log.error('history could not be opened', { code: error.code });
        const [what, ...todo] = error.message.split('. ');
        keychain = { state: 'unavailable', message: `${what}.`, howToFix: todo.join('. ') };
        return;
      }
      await startReceiver();
      try {
        context = await activate(currentEnvironment());
      } catch (error) {
        // Keys removed from the keychain behind our back: fall back to the emulator, never to another account.
        log.warn('could not open the saved environment; using the emulator', { code: (error as AppError).code });
        store.settings.set(SETTINGS_KEYS.environment, 'emulator');
        context = await activate('emulator');
      }
      await context.lifecycle.resume();
      await sweepRetention().catch((error: unknown) => log.warn('retention sweep failed', { error }));
      retentionTimer = setInterval(() => void sweepRetention().catch(() => undefined), 24 * 60 * 60 * 1000);
      retentionTimer.unref();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (retentionTimer) clearInterval(retentionTimer);
      if (context) {
        context.items.stop();
        await context.lifecycle.stop();
      }
      await stopReceiver();
      await emulator?.close();
      emulator = null;
      store?.close();
      store = null;
    },
    emulatorOrigin: () => (emulator ? new URL(emulator.baseUrl).origin : null),
    internals: {
      store: () => store,
      environment: currentEnvironment,
      gateway: () => {
        if (!context) throw new Error('not started');
        return context.gateway;
      },
      lifecycle: () => {
        if (!context) throw new Error('not started');
        return context.lifecycle;
      },
      items: () => {
        if (!context) throw new Error('not started');
        return context.items;
      },
      webhookUrl,
      emulator: () => emulator,
      async settled() {
        await receiver?.idle();
        await context?.lifecycle.settled();
        await receiver?.idle();
      },
      sweepRetention,
    },
  };
  return services;
}

/** `{LoanNumber}_{LastName}_AssetReport_{YYYY-MM-DD}_{first 8 of report id}.{ext}`, safe on every OS. */
export function exportFileName(
  summary: ReportSummary,
  lastName: string,
  json: AssetReportGetResult,
  format: 'pdf' | 'json' | 'csv',
): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
  const date = (json.report.date_generated ?? summary.readyAt ?? summary.createdAt).slice(0, 10);
  const id = (summary.plaidReportId ?? summary.id).replace(/-/g, '').slice(0, 8);
  const suffix = format === 'csv' ? '_Transactions.csv' : `.${format}`;
  return `${safe(summary.loanNumber)}_${safe(lastName)}_AssetReport_${date}_${id}${suffix}`;
}

/** Transactions as RFC 4180 CSV: date, account name, mask, description, amount, category. */
export function transactionsCsv(json: AssetReportGetResult): string {
  const field = (value: unknown): string => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [['date', 'account name', 'mask', 'description', 'amount', 'category'].join(',')];
  for (const item of json.report.items) {
    for (const account of item.accounts) {
      for (const t of account.transactions) {
        const description = t.original_description ?? (t as { name?: string | null }).name ?? '';
        const category = ((t as { category?: string[] | null }).category ?? []).join(' > ');
        lines.push([t.date, account.name, account.mask, description, t.amount, category].map(field).join(','));
      }
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/** Plaid echoes the SSN in `report.user`; the full number never leaves the main process (exports excepted). */
function maskSsn(ssn: string): string {
  return `***-**-${ssn.slice(-4)}`;
}

// A JSON "ssn" member with a string value; a quote inside a string is always escaped, so this can't match inside one.
const SSN_MEMBER = /"ssn"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/**
 * The report's JSON text as the renderer gets it: report.user.ssn masked to its last four digits, without
 * parsing the tens of MB around it. Plaid's report has that one "ssn"; any other member of the name would
 * be masked too, never left readable.
 */
export function maskSsnInReportJson(text: string): string {
  return text.replace(SSN_MEMBER, (member: string, colon: string, literal: string) => {
    const ssn = JSON.parse(`"${literal}"`) as string;
    return ssn ? `"ssn"${colon}${JSON.stringify(maskSsn(ssn))}` : member;
  });
}
