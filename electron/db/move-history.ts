import type Database from 'better-sqlite3';
import type { MoveReport } from '../../shared/ipc/team-contract';
import type { SealedValueLocation } from './cipher';
import type { SqlEngine } from './sql';
import {
  ACTIVITY_OWN_COLUMNS,
  checkTables,
  checkTeamKey,
  columnsOf,
  explainTeamConflict,
  openLocalHistory,
  refuseTakenLoanNumbers,
  type MoveLocalHistoryOptions,
  type MoveResult,
  type Row,
  type TablePlan,
} from './move-history-checks';

export {
  MoveErrorCodes,
  type MoveLocalHistoryOptions,
  type MoveProgress,
  type MoveResult,
  type MoveTarget,
} from './move-history-checks';

const PROGRESS_EVERY = 100;

/**
 * Copies an officer's local history into the team database in ONE team transaction: every table, row by
 * row, sealed values opened with the local key and sealed again with the team key for the same location.
 * Rows the team database already holds (same key) are skipped, so moving twice moves nothing new; loan
 * numbers another loan already uses refuse the whole move (LOAN_NUMBER_TAKEN); a damaged local value stops
 * it (STORE_DATA_CORRUPT). Either way nothing is half-moved.
 */
export async function moveLocalHistory(options: MoveLocalHistoryOptions): Promise<MoveResult> {
  const started = Date.now();
  const { team, localCipher } = options;
  if (team.engine.dialect !== 'postgres') throw new Error('local history moves into a PostgreSQL team database');
  const local = openLocalHistory(options.sqliteFile, localCipher);
  try {
    // One read transaction: a desk still writing the file cannot make the copy inconsistent.
    local.exec('BEGIN');
    local.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    const plans = await checkTables(local, team.engine);
    const moved = await team.engine.transaction(async () => {
      const tables: MoveResult['tables'] = {};
      await checkTeamKey(team);
      await refuseTakenLoanNumbers(local, team.engine);
      // The pipeline summary is worked out once per moved loan at the end, not once per row written.
      await team.engine.statement("SELECT set_config('assetdesk.moving_history', 'on', true)").get();
      for (const plan of plans) tables[plan.table] = await copyTable(local, plan, options);
      await team.engine.statement("SELECT set_config('assetdesk.moving_history', 'off', true)").get();
      await refreshMovedSummaries(local, team.engine);
      tables.activity = await copyActivity(local, options);
      const report = reportOf(tables);
      const at = (options.clock ?? (() => new Date()))().toISOString();
      const detail = { ...report, tables, ...(options.movedBy ? { movedBy: options.movedBy } : {}) };
      await team.engine
        .statement('INSERT INTO activity (at, action, detail) VALUES (?, ?, ?)')
        .run(at, 'history_moved', JSON.stringify(detail));
      return { ...report, tables };
    });
    return { ...moved, tookMs: Date.now() - started };
  } catch (error) {
    throw explainTeamConflict(error);
  } finally {
    if (local.inTransaction) local.exec('ROLLBACK');
    local.close();
  }
}

/** The pipeline summary of every loan and environment the local history has, as the team database's triggers keep it. */
async function refreshMovedSummaries(local: Database.Database, engine: SqlEngine): Promise<void> {
  const pairs = local
    .prepare(
      `SELECT DISTINCT loan_id, environment FROM reports WHERE loan_id IS NOT NULL
       UNION SELECT DISTINCT b.loan_id, i.environment FROM items i JOIN applicants b ON b.id = i.applicant_id`,
    )
    .all() as { loan_id: string; environment: string }[];
  for (const pair of pairs)
    await engine.statement('SELECT assetdesk_refresh_loan_summary(?, ?)').get(pair.loan_id, pair.environment);
}

function reportOf(tables: MoveResult['tables']): MoveReport {
  const moved = (table: string) => tables[table]?.moved ?? 0;
  return {
    loans: moved('loans'),
    borrowers: moved('applicants'),
    items: moved('items'),
    reports: moved('reports'),
    auditCopies: moved('audit_copies'),
    activity: moved('activity'),
    skipped: Object.values(tables).reduce((sum, t) => sum + t.skipped, 0),
  };
}

async function copyTable(
  local: Database.Database,
  plan: TablePlan,
  options: MoveLocalHistoryOptions,
): Promise<{ moved: number; skipped: number }> {
  const { table } = plan;
  const total = local.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const columns = columnsOf(local, table);
  const insert = options.team.engine.statement(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (${plan.key.join(', ')}) DO NOTHING RETURNING 1`,
  );
  const present = await alreadyInTeam(local, plan, options.team.engine);
  let moved = 0;
  let done = 0;
  options.onProgress?.({ table, done, total });
  for (const row of local.prepare(plan.select).iterate() as IterableIterator<Row>) {
    done += 1;
    if (present.has(String(row[plan.key[0]!]))) {
      if (done % PROGRESS_EVERY === 0) options.onProgress?.({ table, done, total });
      continue;
    }
    const values = columns.map((column) => {
      const value = row[column];
      const rowId = plan.sealed[column];
      if (!rowId || value === null || value === undefined) return value ?? null;
      return reseal(value as Buffer, { table, column, rowId: rowId(row) }, options);
    });
    moved += (await insert.all(...values)).length;
    if (done % PROGRESS_EVERY === 0) options.onProgress?.({ table, done, total });
  }
  // The lineage query reaches every report whose parent chain ends; anything else would be silently left out.
  if (done !== total) throw new Error(`read ${done} of ${total} rows of ${table}`);
  if (done % PROGRESS_EVERY !== 0) options.onProgress?.({ table, done, total });
  return { moved, skipped: done - moved };
}

/**
 * Keys of a table's rows the team database already holds, for tables with one key column and sealed values:
 * moving again then neither opens, re-seals nor sends those values. Other rows rely on ON CONFLICT alone.
 */
async function alreadyInTeam(local: Database.Database, plan: TablePlan, engine: SqlEngine): Promise<Set<string>> {
  if (plan.key.length !== 1 || Object.keys(plan.sealed).length === 0) return new Set();
  const key = plan.key[0]!;
  const keys = local.prepare(`SELECT ${key} FROM ${plan.table}`).pluck().all() as string[];
  if (keys.length === 0) return new Set();
  // One array parameter (wrapped: a lone array argument is read as the positional list).
  const found = await engine
    .statement(`SELECT ${key} FROM ${plan.table} WHERE ${key} = ANY(CAST(? AS text[]))`)
    .pluck()
    .all([keys]);
  return new Set(found as string[]);
}

function reseal(sealed: Buffer, where: SealedValueLocation, options: MoveLocalHistoryOptions): Buffer {
  const plain = options.localCipher.open(sealed, where);
  try {
    return options.team.cipher.seal(plain, where);
  } finally {
    plain.fill(0);
  }
}

/**
 * The team database numbers its own entries, so an entry has no key to skip by: an entry counts as already
 * moved when the team log holds an identical one (time, action, ids, detail), as many times as it occurs here.
 */
async function copyActivity(
  local: Database.Database,
  options: MoveLocalHistoryOptions,
): Promise<{ moved: number; skipped: number }> {
  const engine = options.team.engine;
  const table = 'activity';
  const span = local.prepare('SELECT count(*) AS total, min(at) AS first, max(at) AS last FROM activity').get() as {
    total: number;
    first: string | null;
    last: string | null;
  };
  options.onProgress?.({ table, done: 0, total: span.total });
  if (span.total === 0) return { moved: 0, skipped: 0 };
  const columns = columnsOf(local, table).filter((c) => !ACTIVITY_OWN_COLUMNS.has(c));
  const fingerprint = (row: Row) => JSON.stringify(columns.map((c) => row[c] ?? null));
  const inTeam = new Map<string, number>();
  const teamRows = (await engine
    .statement(`SELECT ${columns.join(', ')} FROM activity WHERE at >= ? AND at <= ?`)
    .all(span.first, span.last)) as Row[];
  for (const row of teamRows) inTeam.set(fingerprint(row), (inTeam.get(fingerprint(row)) ?? 0) + 1);

  const insert = engine.statement(
    `INSERT INTO activity (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const seen = new Map<string, number>();
  let moved = 0;
  let done = 0;
  const rows = local.prepare(`SELECT ${columns.join(', ')} FROM activity ORDER BY id`);
  for (const row of rows.iterate() as IterableIterator<Row>) {
    const print = fingerprint(row);
    const occurrence = (seen.get(print) ?? 0) + 1;
    seen.set(print, occurrence);
    if (occurrence > (inTeam.get(print) ?? 0)) {
      await insert.run(...columns.map((c) => row[c] ?? null));
      moved += 1;
    }
    done += 1;
    if (done % PROGRESS_EVERY === 0) options.onProgress?.({ table, done, total: span.total });
  }
  if (done % PROGRESS_EVERY !== 0) options.onProgress?.({ table, done, total: span.total });
  return { moved, skipped: done - moved };
}
