import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaidApi } from 'plaid';
import type { EventName, EventPayload, EventSink } from '../../shared/ipc/contract';
import { NewLoanInput } from '../../shared/domain';
import type { ContractHandlers } from '../../shared/ipc/contract';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createAppServices, type AppServices, type AppServicesDeps } from '../../electron/services/app-services';
import type { AssetDeskStore } from '../../electron/db';
import type { DesktopAdapters } from '../../electron/services/desktop';
import { createMemoryLogger } from '../../electron/log/logger';
import { realKeytar, testKeychainService } from '../helpers/keychain';
import { emulatorPlaid, linkSandboxBank } from '../helpers/emulator-plaid';
import { splitApplicantInput, type ApplicantInput } from '../helpers/applicant';

/** Real parts for core tests: an emulator, a temp user-data folder, the real keychain, in-memory desktop. */
export interface CoreHarness {
  emulator: RunningEmulator;
  services: AppServices;
  handlers: ContractHandlers;
  logger: ReturnType<typeof createMemoryLogger>;
  events: Array<{ event: EventName; payload: unknown }>;
  clipboard: string[];
  notifications: Array<{ title: string; body: string }>;
  /** Every handler response, JSON-encoded, for the secret scan. */
  responses: string[];
  userDataDir: string;
  keychainService: string;
  /** The SDK as a test driver (creates Sandbox Items like Link would). */
  plaid: PlaidApi;
  close(): Promise<void>;
}

// Plainly fake credentials in Plaid's shapes (24 and 30 hex characters) that the test emulator is started with.
export const EMULATOR_CLIENT_ID = '0000000000000000000e3c1d';
export const EMULATOR_SECRET = '0000000000000000000000000e35ec';

export async function startHarness(
  options: {
    emulator?: RunningEmulator;
    readyAfterMs?: number;
    services?: Partial<AppServicesDeps>;
    userDataDir?: string;
    keychainService?: string;
  } = {},
): Promise<CoreHarness> {
  const ownEmulator = !options.emulator;
  const emulator =
    options.emulator ??
    (await startEmulator({
      readyAfterMs: options.readyAfterMs ?? 200,
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      webhookRetryDelaysMs: [50, 100],
    }));
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'assetdesk-core-'));
  const keychainService = options.keychainService ?? testKeychainService();
  const logger = createMemoryLogger();
  const events: CoreHarness['events'] = [];
  const clipboard: string[] = [];
  const notifications: CoreHarness['notifications'] = [];
  const responses: string[] = [];
  const desktop: DesktopAdapters = {
    chooseSavePath: async ({ defaultName }) => join(userDataDir, defaultName),
    chooseFolder: async () => userDataDir,
    chooseFile: async () => null,
    writeClipboard: (text) => void clipboard.push(text),
    notify: (title, body) => void notifications.push({ title, body }),
  };
  const sink: EventSink = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      events.push({ event, payload });
    },
  };
  const services = createAppServices({
    userDataDir,
    desktop,
    events: sink,
    logger,
    keychainService,
    // The test owns the emulator: the app uses it as its built-in one and never closes it.
    startEmulator: async () => ({ ...emulator, close: async () => undefined }),
    plaidBasePaths: { sandbox: emulator.baseUrl },
    gatewayOptions: { baseDelayMs: 20, maxDelayMs: 200 },
    pollIntervals: { initialMs: 100, factor: 1.5, maxMs: 1000 },
    transport: 'web-bridge',
    ...options.services,
  });
  await services.start();
  // Record every response so the test can scan them all for tokens and secrets.
  const handlers = Object.fromEntries(
    Object.entries(services.handlers).map(([channel, handler]) => [
      channel,
      async (request: unknown) => {
        const value = await (handler as (r: unknown) => Promise<unknown>)(request);
        responses.push(
          JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `[${v.byteLength} bytes]` : v)),
        );
        return value;
      },
    ]),
  ) as ContractHandlers;
  const plaid = emulatorPlaid(emulator);

  return {
    emulator,
    services,
    handlers,
    logger,
    events,
    clipboard,
    notifications,
    responses,
    userDataDir,
    keychainService,
    plaid,
    async close() {
      await services.stop();
      if (ownEmulator) await emulator.close();
      if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
      if (!options.keychainService) {
        const keytar = await realKeytar();
        for (const account of ['data-key', 'plaid:sandbox', 'plaid:production'])
          await keytar.deletePassword(keychainService, account).catch(() => false);
      }
    },
  };
}

export const APPLICANT = {
  firstName: 'Alberta',
  middleName: 'Bobbeth',
  lastName: 'Charleson',
  email: 'alberta@example.com',
  phone: '+1 415 555 0100',
  loanNumber: 'LN-2024-0001',
  loanPurpose: 'purchase' as const,
  applicationDate: new Date().toISOString().slice(0, 10),
  qualifyingMonthlyIncome: 8000,
  fundsToClose: 20000,
  reservesNeeded: 0,
  ssn: '123-45-6789',
};

/** Opens a one-borrower loan through loans:create (APPLICANT with `overrides`) and answers its borrower. */
export async function createApplicant(handlers: ContractHandlers, overrides: Partial<ApplicantInput> = {}) {
  // Parsed by the contract's schema, as the bridge does before a handler sees it.
  const loan = await handlers['loans:create'](NewLoanInput.parse(splitApplicantInput({ ...APPLICANT, ...overrides })));
  return loan.borrowers[0]!;
}

/** Links a First Platypus Bank Item the way Link would, through the app's own link:complete. */
export function linkBank(
  h: CoreHarness,
  applicantId: string,
  institutionId = 'ins_109508',
  name = 'First Platypus Bank',
) {
  return linkSandboxBank(h.plaid, h.handlers, applicantId, { institutionId, name });
}

/** Waits (without a time assertion) until `check` holds; every step is a real event, not a timer race. */
export async function until<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  limitMs = 25_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A new loan's borrower links First Platypus Bank at `desk` and a 61-day report is made there; waits until
 * `watcher` (the same desk, or another desk of a team) reads it as ready.
 */
export async function readyReport(desk: CoreHarness, loanNumber: string, watcher: CoreHarness = desk) {
  const borrower = await createApplicant(desk.handlers, { loanNumber });
  const item = await linkBank(desk, borrower.id);
  const report = await desk.handlers['reports:create']({
    loanId: borrower.loanId,
    itemIds: [item.id],
    daysRequested: 61,
    includeApplicantDetails: false,
  });
  await until(
    async () => (await watcher.handlers['reports:summary']({ reportId: report.id })).status === 'ready',
    'the report to be ready',
  );
  return { borrower, item, report };
}

/** Plaid token shapes (any environment) that must never leave the main process. */
export const TOKEN_PATTERN =
  /\b(?:access|public|assets)-(?:sandbox|production|development|emulator)-[0-9a-f-]{36}\b|\ba-(?:sandbox|production|development|emulator)-[A-Z2-7]{20,}\b/;

/** What a crash right after writing a create request's pending row leaves behind: the row, no Plaid ids. */
export async function leftPendingReport(
  store: { reports: { createPending: AssetDeskStore['reports']['createPending'] } },
  borrower: { id: string; loanId: string },
  itemId: string,
) {
  return store.reports.createPending({
    loanId: borrower.loanId,
    applicantId: borrower.id,
    environment: 'emulator',
    kind: 'create',
    parentId: null,
    itemIds: [itemId],
    daysRequested: 61,
    includeApplicantDetails: false,
  });
}
