import Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { MoveReport } from '../../shared/ipc/team-contract';
import type { ValueCipher } from './cipher';
import { inspectWal } from './connection';
import { STORE_KEY_MISMATCH } from './index';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { LOAN_NUMBER_TAKEN } from './repositories/loans';
import type { SqlEngine } from './sql';

/** Why a move was refused, beside the store's own codes (LOAN_NUMBER_TAKEN, STORE_DATA_CORRUPT, STORE_KEY_MISMATCH). */
export const MoveErrorCodes = {
  /** The local file is in an older format: open it once in this version first. */
  localHistoryOutdated: 'LOCAL_HISTORY_OUTDATED',
  /** A local table or column the team database (or this code) does not have. */
  schemaMismatch: 'TEAM_MOVE_SCHEMA_MISMATCH',
  /** A bank connection or report already in the team database under another record. */
  conflict: 'TEAM_MOVE_CONFLICT',
} as const;

/** The team database to move into: its engine, and the team cipher values are re-sealed with. */
export interface MoveTarget {
  engine: SqlEngine;
  cipher: ValueCipher;
}

export interface MoveProgress {
  /** The local table being copied. */
  table: string;
  done: number;
  total: number;
}

export interface MoveLocalHistoryOptions {
  /** The officer's local database file (opened read-only; nothing in it changes). */
  sqliteFile: string;
  /** Opens the local file's sealed values (its data key from the keychain). */
  localCipher: ValueCipher;
  /** With a TeamStore: `{ engine: teamStore.engine, cipher: teamCipher }`. */
  team: MoveTarget;
  onProgress?: (progress: MoveProgress) => void;
  /** Who moved it, for the `history_moved` activity entry (e.g. the member's name). */
  movedBy?: string;
  clock?: () => Date;
}

export interface MoveResult extends MoveReport {
  /** Per local table: rows copied and rows already in the team database. */
  tables: Record<string, { moved: number; skipped: number }>;
  /** How long the move took, in milliseconds. */
  tookMs: number;
}

export type Row = Record<string, unknown>;

export interface TablePlan {
  table: string;
  /** The primary key: a row whose key the team database already holds is left as it is. */
  key: string[];
  /** Local read, in an order the team database's foreign keys and triggers accept. */
  select: string;
  /** Sealed columns and the row id their AAD names (as the repositories seal them). */
  sealed: Record<string, (row: Row) => string>;
}

export const byId = (row: Row) => String(row.id);

/**
 * Every table of the local store that holds history, parents before children. Items go in before
 * reports, so the last insert touching a loan's pipeline summary (kept by triggers) sees all its rows.
 */
export const PLANS: TablePlan[] = [
  { table: 'loans', key: ['id'], select: 'SELECT * FROM loans ORDER BY created_at, id', sealed: {} },
  {
    table: 'applicants',
    key: ['id'],
    select: 'SELECT * FROM applicants ORDER BY loan_id, position, id',
    sealed: { ssn_enc: byId },
  },
  {
    table: 'items',
    key: ['id'],
    select: 'SELECT * FROM items ORDER BY linked_at, id',
    sealed: { access_token_enc: byId, accounts_enc: byId },
  },
  {
    table: 'reports',
    key: ['id'],
    // A refreshed or filtered report names the report it came from: parents first.
    select: `WITH RECURSIVE lineage(id, depth) AS (
               SELECT id, 0 FROM reports WHERE parent_id IS NULL OR parent_id NOT IN (SELECT id FROM reports)
               UNION ALL
               SELECT r.id, lineage.depth + 1 FROM reports r JOIN lineage ON r.parent_id = lineage.id
               WHERE lineage.depth < 10000
             )
             SELECT r.* FROM reports r JOIN lineage ON lineage.id = r.id ORDER BY lineage.depth, r.created_at, r.id`,
    sealed: { report_token_enc: byId },
  },
  {
    table: 'report_items',
    key: ['report_id', 'item_id'],
    select: 'SELECT * FROM report_items ORDER BY report_id, item_id',
    sealed: {},
  },
  {
    table: 'report_content',
    key: ['report_id'],
    select: 'SELECT * FROM report_content ORDER BY report_id',
    sealed: {
      json_enc: (row) => String(row.report_id),
      pdf_enc: (row) => String(row.report_id),
      view_enc: (row) => String(row.report_id),
      view_first_enc: (row) => String(row.report_id),
    },
  },
  {
    table: 'audit_copies',
    key: ['id'],
    select: 'SELECT * FROM audit_copies ORDER BY created_at, id',
    sealed: { token_enc: byId },
  },
  {
    table: 'sourced_deposits',
    key: ['report_id', 'transaction_id'],
    select: 'SELECT * FROM sourced_deposits ORDER BY report_id, transaction_id',
    sealed: { note_enc: (row) => `${String(row.report_id)}/${String(row.transaction_id)}` },
  },
  {
    table: 'account_confirmations',
    key: ['applicant_id', 'account_key', 'kind'],
    select: 'SELECT * FROM account_confirmations ORDER BY applicant_id, account_key, kind',
    sealed: {
      note_enc: (row) => `${String(row.applicant_id)}/${String(row.account_key)}/${String(row.kind)}`,
    },
  },
  {
    table: 'hosted_link_sessions',
    key: ['id'],
    select: 'SELECT * FROM hosted_link_sessions ORDER BY created_at, id',
    sealed: { link_token_enc: byId, url_enc: byId },
  },
];

/**
 * Local tables deliberately not copied: the key check and recovery key belong to the local file, the team's
 * settings are the admin's, and the pipeline summary is rebuilt by the team database's own triggers.
 */
export const NOT_MOVED = new Set(['store_meta', 'settings', 'loan_env_summary']);
/**
 * Activity columns the team database fills itself: its own id, and who did it (from the member's database
 * role; a local history's entries were all its desk's officer's, who is the one moving them).
 */
export const ACTIVITY_OWN_COLUMNS = new Set(['id', 'actor']);

/** The local file, read-only, checked for a damaged journal, an unexpected format and the right data key. */
export function openLocalHistory(file: string, cipher: ValueCipher): Database.Database {
  const wal = inspectWal(`${file}-wal`);
  if (wal.damaged) {
    throw new AppError({
      code: ErrorCodes.storeCorrupt,
      message:
        `This desk's journal of recent changes (${file}-wal) is damaged (${wal.reason}), so its history may be incomplete. ` +
        'Nothing was moved. Restore your latest backup, open it in AssetDesk, then move the history again.',
      retryable: false,
    });
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new AppError(
      {
        code: ErrorCodes.notFound,
        message: `There is no AssetDesk history to move at ${file}. Check the data folder and try again.`,
        retryable: false,
      },
      { cause: error },
    );
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) {
      throw new AppError({
        code: ErrorCodes.storeTooNew,
        message:
          `This history was saved by a newer AssetDesk (database version ${version}). ` +
          'Install the latest AssetDesk, then move it. Nothing was moved.',
        retryable: false,
      });
    }
    if (version < LATEST_SCHEMA_VERSION) {
      throw new AppError({
        code: MoveErrorCodes.localHistoryOutdated,
        message:
          'This history is in an older format. Open it once in this version of AssetDesk (which updates it), ' +
          'then move it. Nothing was moved.',
        retryable: false,
      });
    }
    const where = { table: 'store_meta', column: 'value_enc', rowId: 'key_check' };
    const check = db.prepare('SELECT value_enc FROM store_meta WHERE key = ?').pluck().get('key_check') as
      Buffer | undefined;
    try {
      if (check) cipher.open(check, where);
    } catch (error) {
      throw new AppError(
        {
          code: STORE_KEY_MISMATCH,
          message:
            "AssetDesk's data key in the system keychain does not match this history, so it can't be read or moved. " +
            'Restore the keychain entry from a backup. Nothing was moved.',
          retryable: false,
        },
        { cause: error },
      );
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Every local table is either moved or deliberately left, and every local column has a team column and,
 * when sealed, a known location: a newer local schema must not lose a column or copy a sealed value as is.
 */
export async function checkTables(local: Database.Database, engine: SqlEngine): Promise<TablePlan[]> {
  const localTables = local
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const known = new Set([...PLANS.map((p) => p.table), 'activity', ...NOT_MOVED]);
  const unknown = localTables.filter((t) => !known.has(t));
  if (unknown.length > 0) throw schemaMismatch(`this version does not know how to move ${unknown.join(', ')}`);
  for (const table of [...PLANS.map((p) => p.table), 'activity']) {
    const localColumns = columnsOf(local, table).filter((c) => table !== 'activity' || !ACTIVITY_OWN_COLUMNS.has(c));
    const teamColumns = new Set(
      (await engine
        .statement(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?',
        )
        .pluck()
        .all(table)) as string[],
    );
    const missing = localColumns.filter((c) => !teamColumns.has(c));
    if (missing.length > 0)
      throw schemaMismatch(`the team database has no ${missing.map((c) => `${table}.${c}`).join(', ')}`);
    const plan = PLANS.find((p) => p.table === table);
    const unsealed = localColumns.filter((c) => c.endsWith('_enc') && plan && !(c in plan.sealed));
    if (unsealed.length > 0) throw schemaMismatch(`no known way to re-seal ${unsealed.join(', ')}`);
  }
  return PLANS.filter((p) => localTables.includes(p.table));
}

export function columnsOf(local: Database.Database, table: string): string[] {
  return (local.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

export function schemaMismatch(reason: string): AppError {
  return new AppError({
    code: MoveErrorCodes.schemaMismatch,
    message:
      `This history can't be moved: ${reason}. Update AssetDesk on this desk and ask your admin to open the ` +
      'team once with the same version, then move again. Nothing was moved.',
    retryable: false,
  });
}

/** The team database's own key check, when it has one: values sealed with another team's key would be lost. */
export async function checkTeamKey(team: MoveTarget): Promise<void> {
  const sealed = (await team.engine
    .statement('SELECT value_enc FROM store_meta WHERE key = ?')
    .pluck()
    .get('key_check')) as Buffer | undefined;
  if (!sealed) return;
  try {
    team.cipher.open(sealed, { table: 'store_meta', column: 'value_enc', rowId: 'key_check' });
  } catch (error) {
    throw new AppError(
      {
        code: STORE_KEY_MISMATCH,
        message:
          "This desk's team key does not open the team database, so nothing was moved. " +
          'Ask your AssetDesk admin for a new join code and join the team again.',
        retryable: false,
      },
      { cause: error },
    );
  }
}

/** A local loan number that a different loan already has in the team database refuses the whole move. */
export async function refuseTakenLoanNumbers(local: Database.Database, engine: SqlEngine): Promise<void> {
  const loans = local.prepare('SELECT id, loan_number, loan_number_key FROM loans ORDER BY loan_number').all() as {
    id: string;
    loan_number: string;
    loan_number_key: string;
  }[];
  const taken: string[] = [];
  const owner = engine.statement('SELECT id FROM loans WHERE loan_number_key = ?').pluck();
  for (const loan of loans) {
    const teamId = (await owner.get(loan.loan_number_key)) as string | undefined;
    if (teamId !== undefined && teamId !== loan.id) taken.push(loan.loan_number);
  }
  if (taken.length > 0) throw loanNumbersTaken(taken);
}

export function loanNumbersTaken(numbers: string[]): AppError {
  const list = numbers.join(', ');
  return new AppError({
    code: LOAN_NUMBER_TAKEN,
    message:
      (numbers.length === 1
        ? `Loan number ${list} is already used by another loan file in the team database. `
        : `Loan numbers ${list} are already used by other loan files in the team database. `) +
      'Nothing was moved. Change those numbers in this desk’s history (or agree with the team whose file they are), then move again.',
    retryable: false,
  });
}

/** A row another desk put in with the same unique value meanwhile (or before): said plainly, nothing moved. */
export function explainTeamConflict(error: unknown): unknown {
  if (error instanceof AppError) {
    if (error.code !== ErrorCodes.storeCorrupt) return error;
    return new AppError(
      { code: error.code, message: `${error.message} Nothing was moved to the team database.`, retryable: false },
      { cause: error },
    );
  }
  const pgError = error as { code?: unknown; constraint?: unknown; table?: unknown };
  if (pgError.code !== '23505') return error;
  if (pgError.constraint === 'loans_loan_number_key') {
    return new AppError(
      {
        code: LOAN_NUMBER_TAKEN,
        message:
          'Another desk just used one of these loan numbers in the team database. Nothing was moved. ' +
          'Move again to see which numbers are taken.',
        retryable: false,
      },
      { cause: error },
    );
  }
  const what =
    pgError.table === 'items'
      ? 'a bank connection'
      : pgError.table === 'reports'
        ? 'an Asset Report'
        : `a record (${String(pgError.table)})`;
  return new AppError(
    {
      code: MoveErrorCodes.conflict,
      message:
        `The team database already holds ${what} from this history under another record, so nothing was moved. ` +
        'It was probably linked or created again from another desk; ask your admin which copy to keep.',
      retryable: false,
    },
    { cause: error },
  );
}
