import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import { createValueCipher } from './cipher';
import type Database from 'better-sqlite3';
import { openDatabase } from './connection';
import { holdHistory } from './history-lock';
import { createStoreContext, type StoreContext } from './context';
import { sqliteEngine } from './sql';
import {
  createAccountConfirmationRepository,
  type AccountConfirmationRepository,
} from './repositories/account-confirmations';
import { RECOVERY_META_KEY, saveWrappedDataKey } from './recovery';
import { createActivityLog, type ActivityLog } from './repositories/activity';
import { createApplicantRepository, type ApplicantRepository } from './repositories/applicants';
import { createAuditCopyRepository, type AuditCopyRepository } from './repositories/audit-copies';
import {
  createHostedLinkSessionRepository,
  type HostedLinkSessionRepository,
} from './repositories/hosted-link-sessions';
import { createItemRepository, type ItemRepository } from './repositories/items';
import { createLoanRepository, type LoanRepository } from './repositories/loans';
import { createReportRepository, type ReportRepository } from './repositories/reports';
import { createSettingsRepository, type SettingsRepository } from './repositories/settings';
import { createSourcedDepositRepository, type SourcedDepositRepository } from './repositories/sourced-deposits';

export type { ActivityLog, NewActivity } from './repositories/activity';
export type { ApplicantRepository } from './repositories/applicants';
export type { LoanRepository, PipelineQuery } from './repositories/loans';
export { LOAN_NUMBER_TAKEN } from './repositories/loans';
export type { AuditCopyRepository } from './repositories/audit-copies';
export type { ItemBasics, ItemRepository, NewItem } from './repositories/items';
export type {
  HostedLinkSessionRecord,
  HostedLinkSessionRepository,
  NewHostedLinkSession,
} from './repositories/hosted-link-sessions';
export type {
  NewPendingReport,
  ReadyReport,
  ReportRecord,
  ReportRepository,
  ReportSearchQuery,
} from './repositories/reports';
export { REPORT_REMOVAL_SENT } from './repositories/reports';
export type {
  RejectedCredentials,
  SettingsRepository,
  SettingsValues,
  UnderwritingPreferences,
  WebhookSettings,
} from './repositories/settings';
export { SETTINGS_DEFAULTS } from './repositories/settings';
export type { SourcedDeposit, SourcedDepositRepository } from './repositories/sourced-deposits';
export type { AccountConfirmationRepository, StoredAccountConfirmation } from './repositories/account-confirmations';
export { LATEST_SCHEMA_VERSION } from './migrations';

/** The data key in the keychain is not the one this database was written with. */
export const STORE_KEY_MISMATCH = 'STORE_KEY_MISMATCH';

export interface AssetDeskStore {
  loans: LoanRepository;
  /** The borrowers (one row per person on a loan). */
  applicants: ApplicantRepository;
  items: ItemRepository;
  hostedLinkSessions: HostedLinkSessionRepository;
  reports: ReportRepository;
  auditCopies: AuditCopyRepository;
  sourcedDeposits: SourcedDepositRepository;
  accountConfirmations: AccountConfirmationRepository;
  activity: ActivityLog;
  settings: SettingsRepository;
  /** Runs `fn` in one transaction (nested calls become savepoints); rolls back if it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** `local`: the officer's SQLite file; `team`: the office's PostgreSQL, shared by the branch. */
  readonly kind: 'local' | 'team';
  /** The local database file path (empty for the team database). */
  readonly file: string;
  /** An online, consistent copy of the database into `destination` (SQLite's backup API; writes may go on). */
  backup(destination: string): Promise<void>;
  /** Folds the WAL into the main file (after a backup, before a restore, at quiet moments). */
  checkpoint(): void;
  /** Keeps the data key wrapped by the officer's recovery key (replacing an older one). */
  saveRecoveryWrappedKey(wrapped: Buffer): Promise<void>;
  /** Whether a recovery key was ever set up for this history. */
  hasRecoveryKey(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** The database file inside the app's user-data folder. */
  file: string;
  /** 32 random bytes from the keychain (the core's vault). */
  dataKey: Buffer;
  clock?: () => Date;
  logger?: Logger;
  /**
   * The app itself: holds the history against a second AssetDesk while open (HISTORY_IN_USE). Tools that may share
   * it with the running app (backup, tests) leave it off.
   */
  hold?: boolean;
}

const KEY_CHECK = 'key_check';

export async function openAssetDeskStore(options: OpenStoreOptions): Promise<AssetDeskStore> {
  const logger = options.logger?.child({ component: 'store' });
  const cipher = createValueCipher(options.dataKey, logger);
  const hold = options.hold ? holdHistory(options.file) : null;
  let db: Database.Database;
  try {
    db = openDatabase(options.file, logger);
  } catch (err) {
    hold?.release();
    throw err;
  }
  try {
    // A known value sealed with the key on first open: a replaced keychain entry is caught here,
    // with one clear message, instead of as "damaged data" on every report later.
    const where = { table: 'store_meta', column: 'value_enc', rowId: KEY_CHECK };
    const check = db.prepare('SELECT value_enc FROM store_meta WHERE key = ?').get(KEY_CHECK) as
      { value_enc: Buffer } | undefined;
    if (!check) {
      db.prepare('INSERT INTO store_meta (key, value_enc) VALUES (?, ?)').run(
        KEY_CHECK,
        cipher.seal(randomBytes(16), where),
      );
    } else {
      try {
        cipher.open(check.value_enc, where);
      } catch (err) {
        throw new AppError(
          {
            code: STORE_KEY_MISMATCH,
            message:
              "AssetDesk's data key in the system keychain does not match this database, so saved loan files can't be opened. " +
              'Restore the keychain entry from a backup, or move the database aside to start with an empty one.',
            retryable: false,
          },
          { cause: err },
        );
      }
    }
  } catch (err) {
    db.close();
    hold?.release();
    throw err;
  }

  const engine = sqliteEngine(db);
  const ctx = createStoreContext(engine, cipher, options.clock ?? (() => new Date()), logger);
  return assembleStore(ctx, {
    kind: 'local',
    file: options.file,
    backup: async (destination) => {
      // One step: the copy is read in a single read transaction, so writers in other processes cannot keep
      // restarting it, and it is one consistent snapshot.
      await db.backup(destination, { progress: () => 1_000_000 });
    },
    checkpoint: () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: async () => {
      if (!db.open) return;
      if (!engine.inTransaction()) db.pragma('optimize'); // refreshes planner statistics where they drifted; cheap
      await engine.close();
      hold?.release(); // after the history is closed, journal folded: the next AssetDesk finds it whole
    },
  });
}

/** What differs between the engines; everything else is the same repositories over the context's engine. */
export type EngineOperations = Pick<AssetDeskStore, 'kind' | 'file' | 'backup' | 'checkpoint' | 'close'>;

/** The repositories over one store context (either engine). */
export async function assembleStore(ctx: StoreContext, operations: EngineOperations): Promise<AssetDeskStore> {
  const applicants = createApplicantRepository(ctx);
  const settings = createSettingsRepository(ctx);
  await settings.reload();
  return {
    loans: createLoanRepository(ctx, applicants),
    applicants,
    items: createItemRepository(ctx),
    hostedLinkSessions: createHostedLinkSessionRepository(ctx),
    reports: createReportRepository(ctx),
    auditCopies: createAuditCopyRepository(ctx),
    sourcedDeposits: createSourcedDepositRepository(ctx),
    accountConfirmations: createAccountConfirmationRepository(ctx),
    activity: createActivityLog(ctx),
    settings,
    transaction: (fn) => ctx.transaction(fn),
    saveRecoveryWrappedKey: (wrapped) => saveWrappedDataKey(ctx, wrapped),
    hasRecoveryKey: async () =>
      Boolean(await ctx.statement('SELECT 1 FROM store_meta WHERE key = ?').get(RECOVERY_META_KEY)),
    ...operations,
  };
}
