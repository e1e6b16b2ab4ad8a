import { constants as zlibConstants, gunzipSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import type { PlaidEnvironment, ReportKind, ReportSummary } from '../../../shared/domain';
import { corruptValueError } from '../cipher';
import { foldForSearch } from '../../../shared/search';
import { conflict, notFound, type StoreContext } from '../context';
import { FROM, SUMMARY_COLUMNS, toSummary, type ReportRow } from './report-rows';
import { searchReports, type ReportSearchQuery } from './report-search';

export type { ReportSearchQuery } from './report-search';

export interface NewPendingReport {
  loanId: string;
  /** The borrower whose details go to Plaid: the first on the loan among the Items' owners. */
  applicantId: string;
  environment: PlaidEnvironment;
  kind: ReportKind;
  parentId: string | null;
  daysRequested: number;
  itemIds: string[];
  includeApplicantDetails: boolean;
  /** Filter reports: the accounts left out (kept to resubmit the same request after a crash). */
  excludedAccountIds?: string[];
}

/** A report with what the lifecycle needs to refresh or filter it. */
export interface ReportRecord extends ReportSummary {
  itemIds: string[];
  includeApplicantDetails: boolean;
  excludedAccountIds: string[];
}

export interface ReadyReport {
  /** Plaid's `/asset_report/get` result as JSON text. */
  reportJson: string;
  pdf: Uint8Array;
  summary: { totalBalance: number; accountCount: number; earliestHistoryDate: string | null };
  /** ISO timestamp. */
  readyAt: string;
  /** The day Plaid generated the report (YYYY-MM-DD), when it says. */
  generatedOn?: string | null;
  /** The report screen's prepared view (shared/report-view); without it, one is made when the report is first opened. */
  view?: ReportViewBlocks;
}

/** A report's view blocks (shared/report-view): the whole view, and the first screen the report screen paints from. */
export interface ReportViewBlocks {
  whole: Uint8Array;
  firstScreen: Uint8Array;
}

export type ReportViewPart = keyof ReportViewBlocks;

/** The activity entry written just before a report's removal leaves for Plaid (see listUnfinishedRemovals). */
export const REPORT_REMOVAL_SENT = 'report_removal_sent';

export interface ReportRepository {
  createPending(input: NewPendingReport): Promise<ReportRecord>;
  get(id: string): Promise<ReportRecord | null>;
  /** The report as the screens show it (no request details), or null. */
  summary(id: string): Promise<ReportSummary | null>;
  attachPlaid(id: string, plaid: { plaidReportId: string; reportToken: string }): Promise<ReportRecord>;
  listPending(environment: PlaidEnvironment): Promise<ReportRecord[]>;
  /**
   * Reports of the environment not removed here although their removal was sent to Plaid (a REPORT_REMOVAL_SENT
   * entry): AssetDesk stopped before it could mark them removed, so the removal is to be finished.
   */
  listUnfinishedRemovals(environment: PlaidEnvironment): Promise<ReportRecord[]>;
  markReady(id: string, ready: ReadyReport): Promise<ReportRecord>;
  markFailed(id: string, failure: { code: string; message: string; requestId?: string }): Promise<ReportRecord>;
  /**
   * Deletes a pending row Plaid never answered with ids (its create was refused: nothing exists at Plaid).
   * False when the row is gone, settled or holds Plaid's ids meanwhile (it is then left as it is).
   */
  deleteNeverMade(id: string): Promise<boolean>;
  /** Decrypted asset_report_token, or null once removed / before Plaid answered. */
  reportToken(id: string): Promise<string | null>;
  readContent(id: string): Promise<{ json: unknown; pdf: Uint8Array }>;
  readJson(id: string): Promise<unknown>;
  /** The stored report JSON as text, unparsed: for handing it on (to the renderer) without a parse/serialise round trip. */
  readJsonText(id: string): Promise<string>;
  readPdf(id: string): Promise<Uint8Array>;
  /** One of the report screen's prepared view blocks, or null when the report was stored without it. */
  readView(id: string, part: ReportViewPart): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Keeps the views made for a report stored without them (its content itself is not touched). */
  saveView(id: string, view: ReportViewBlocks): Promise<void>;
  /** The day Plaid generated a ready report (export file names), null for reports stored before it was kept. */
  generatedOn(id: string): Promise<string | null>;
  findByPlaidReportId(environment: PlaidEnvironment, plaidReportId: string): Promise<ReportRecord | null>;
  /**
   * Deletes content, token and audit-copy tokens; the row stays as 'removed' for the history. False (nothing
   * changed) when it was removed already: of two desks removing it at once, the second waits and finds it so.
   */
  markRemoved(id: string): Promise<boolean>;
  search(query: ReportSearchQuery): Promise<{ rows: ReportSummary[]; total: number }>;
  listForLoan(loanId: string, environment: PlaidEnvironment): Promise<ReportSummary[]>;
  /** Reports whose request includes any of this borrower's Items, or which name them as the applicant. */
  listForBorrower(applicantId: string): Promise<ReportSummary[]>;
  setFindingCounts(id: string, counts: { attention: number; info: number }): Promise<void>;
  /** Reports (any environment, not yet removed) of loans closed or withdrawn more than `days` days before `now`. */
  olderThan(days: number, now: Date): Promise<ReportSummary[]>;
}

// zstd level 1: on a 48 MB / 50,000-transaction report it packs 15:1 in ≈45 ms each way
// (gzip 1 and brotli 1 were 2–3× slower to unpack for a larger result). The plain length goes first
// so unpacking writes into one buffer of the right size (≈2.5× faster than growing it chunk by chunk).
const JSON_CODEC = 'zstd-sized';
const ZSTD_LEVEL = { [zlibConstants.ZSTD_c_compressionLevel]: 1 };

/** Packs the report's JSON (and its view block, which packs the same way). */
function packJson(json: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([length, zstdCompressSync(json, { chunkSize: 1 << 20, params: ZSTD_LEVEL })]);
}

function unpackJson(codec: string, packed: Buffer): Buffer {
  if (codec === 'zstd-sized') {
    const length = packed.readUInt32BE(0);
    const json = zstdDecompressSync(packed.subarray(4), {
      chunkSize: Math.max(64, length),
      maxOutputLength: Math.max(1, length),
    });
    if (json.length !== length) throw new Error('unpacked length differs from the recorded length');
    return json;
  }
  if (codec === 'zstd') return zstdDecompressSync(packed);
  if (codec === 'gzip') return gunzipSync(packed);
  throw new Error(`unknown codec ${codec}`);
}

export function createReportRepository(ctx: StoreContext): ReportRepository {
  const tokenWhere = (rowId: string) => ({ table: 'reports', column: 'report_token_enc', rowId });
  const jsonWhere = (rowId: string) => ({ table: 'report_content', column: 'json_enc', rowId });
  const pdfWhere = (rowId: string) => ({ table: 'report_content', column: 'pdf_enc', rowId });
  const viewColumns = { whole: 'view_enc', firstScreen: 'view_first_enc' } as const;
  const viewWhere = (rowId: string, part: ReportViewPart) => ({
    table: 'report_content',
    column: viewColumns[part],
    rowId,
  });
  const sealView = (id: string, view: ReportViewBlocks, part: ReportViewPart) => {
    const block = view[part];
    return ctx.cipher.seal(
      packJson(Buffer.from(block.buffer, block.byteOffset, block.byteLength)),
      viewWhere(id, part),
    );
  };

  const getRow = async (id: string) =>
    (await ctx.statement(`SELECT ${SUMMARY_COLUMNS} ${FROM} WHERE r.id = ?`).get(id)) as ReportRow | undefined;

  const toRecord = async (row: ReportRow): Promise<ReportRecord> => ({
    ...toSummary(row),
    itemIds: (await ctx
      .statement('SELECT item_id FROM report_items WHERE report_id = ? ORDER BY item_id')
      .pluck()
      .all(row.id)) as string[],
    includeApplicantDetails: row.include_applicant_details === 1,
    excludedAccountIds: JSON.parse(
      (await ctx.statement('SELECT excluded_account_ids FROM reports WHERE id = ?').pluck().get(row.id)) as string,
    ) as string[],
  });

  const mustGet = async (id: string): Promise<ReportRecord> => {
    const row = await getRow(id);
    if (!row) throw notFound('Asset Report');
    return toRecord(row);
  };

  const decodeJsonText = (id: string, codec: string, sealed: Buffer): string => {
    const packed = ctx.cipher.open(sealed, jsonWhere(id));
    let text: string;
    try {
      text = unpackJson(codec, packed).toString('utf8');
    } catch (err) {
      throw corruptValueError('Asset Report', err);
    }
    // The cipher authenticated what we wrote (JSON.stringify output); only a damaged codec could break it.
    if (!text.startsWith('{')) throw corruptValueError('Asset Report', new Error('stored report is not a JSON object'));
    return text;
  };

  const decodeJson = (id: string, codec: string, sealed: Buffer): unknown => {
    const text = decodeJsonText(id, codec, sealed);
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      // Authenticated but unreadable means it was written wrong; still never hand back garbage.
      throw corruptValueError('Asset Report', err);
    }
  };

  const contentRow = async (id: string, columns: string) => {
    const row = (await ctx.statement(`SELECT ${columns} FROM report_content WHERE report_id = ?`).get(id)) as
      { json_codec: string; json_enc: Buffer; pdf_enc: Buffer } | undefined;
    if (!row) {
      if (!(await getRow(id))) throw notFound('Asset Report');
      throw conflict('This Asset Report has no saved content: it is still being prepared, failed, or was removed.');
    }
    return row;
  };

  const removeTx = (id: string) =>
    ctx.transaction(async () => {
      const now = ctx.now();
      // The row first: a second desk removing it at the same moment waits here, then changes nothing.
      const { changes } = await ctx
        .statement(
          `UPDATE reports SET status = 'removed', report_token_enc = NULL, removed_at = ? WHERE id = ? AND status <> 'removed'`,
        )
        .run(now, id);
      if (changes === 0) return false;
      await ctx.statement('DELETE FROM report_content WHERE report_id = ?').run(id);
      await ctx.statement('DELETE FROM sourced_deposits WHERE report_id = ?').run(id);
      await ctx
        .statement('UPDATE audit_copies SET token_enc = NULL, removed_at = coalesce(removed_at, ?) WHERE report_id = ?')
        .run(now, id);
      return true;
    });

  return {
    async createPending(input) {
      return ctx.transaction(async () => {
        if (
          !(await ctx
            .statement('SELECT 1 FROM applicants WHERE id = ? AND loan_id = ?')
            .get(input.applicantId, input.loanId))
        )
          throw notFound('borrower');
        // Any borrower's bank on the same loan may go in one report; nothing from another loan.
        const items = await Promise.all(
          input.itemIds.map(async (itemId) => {
            const item = (await ctx
              .statement(
                `SELECT i.institution_name FROM items i JOIN applicants b ON b.id = i.applicant_id
               WHERE i.id = ? AND b.loan_id = ? AND i.environment = ?`,
              )
              .get(itemId, input.loanId, input.environment)) as { institution_name: string } | undefined;
            if (!item) throw notFound('bank connection');
            return item;
          }),
        );
        if (input.parentId !== null) {
          const parent = await ctx
            .statement('SELECT 1 FROM reports WHERE id = ? AND environment = ?')
            .get(input.parentId, input.environment);
          if (!parent) throw notFound('Asset Report');
        }
        const id = ctx.newId();
        const institutionsJson = JSON.stringify([...new Set(items.map((i) => i.institution_name))]);
        await ctx
          .statement(
            `INSERT INTO reports (id, loan_id, applicant_id, environment, kind, parent_id, status, days_requested,
               include_applicant_details, institutions, institutions_search, created_at, excluded_account_ids)
             VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            input.loanId,
            input.applicantId,
            input.environment,
            input.kind,
            input.parentId,
            input.daysRequested,
            input.includeApplicantDetails ? 1 : 0,
            institutionsJson,
            foldForSearch(institutionsJson),
            ctx.now(),
            JSON.stringify(input.excludedAccountIds ?? []),
          );
        for (const itemId of new Set(input.itemIds)) {
          await ctx.statement('INSERT INTO report_items (report_id, item_id) VALUES (?, ?)').run(id, itemId);
        }
        return mustGet(id);
      });
    },

    async get(id) {
      const row = await getRow(id);
      return row ? await toRecord(row) : null;
    },

    async summary(id) {
      const row = await getRow(id);
      return row ? toSummary(row) : null;
    },

    async attachPlaid(id, plaid) {
      const info = await ctx
        .statement(`UPDATE reports SET plaid_report_id = ?, report_token_enc = ? WHERE id = ? AND status != 'removed'`)
        .run(plaid.plaidReportId, ctx.cipher.sealText(plaid.reportToken, tokenWhere(id)), id);
      if (info.changes === 0) throw notFound('Asset Report');
      return mustGet(id);
    },

    async listPending(environment) {
      const rows = (await ctx
        .statement(
          `SELECT ${SUMMARY_COLUMNS} ${FROM} WHERE r.environment = ? AND r.status = 'pending' ORDER BY r.created_at`,
        )
        .all(environment)) as ReportRow[];
      return Promise.all(rows.map(toRecord));
    },

    async listUnfinishedRemovals(environment) {
      const rows = (await ctx
        .statement(
          `SELECT ${SUMMARY_COLUMNS} ${FROM} WHERE r.environment = ? AND r.status <> 'removed'
             AND EXISTS (SELECT 1 FROM activity a WHERE a.report_id = r.id AND a.action = ?)
           ORDER BY r.created_at`,
        )
        .all(environment, REPORT_REMOVAL_SENT)) as ReportRow[];
      return Promise.all(rows.map(toRecord));
    },

    async markReady(id, ready) {
      const jsonEnc = ctx.cipher.seal(packJson(Buffer.from(ready.reportJson, 'utf8')), jsonWhere(id));
      const pdfEnc = ctx.cipher.seal(ready.pdf, pdfWhere(id));
      const viewEnc = ready.view ? sealView(id, ready.view, 'whole') : null;
      const viewFirstEnc = ready.view ? sealView(id, ready.view, 'firstScreen') : null;
      await ctx.transaction(async () => {
        const row = await getRow(id);
        if (!row) throw notFound('Asset Report');
        if (row.status === 'removed') throw conflict('This Asset Report was removed; create a new one.');
        await ctx
          .statement(
            `INSERT INTO report_content (report_id, json_codec, json_enc, pdf_enc, view_enc, view_first_enc)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (report_id) DO UPDATE SET json_codec = excluded.json_codec, json_enc = excluded.json_enc,
               pdf_enc = excluded.pdf_enc, view_enc = excluded.view_enc, view_first_enc = excluded.view_first_enc`,
          )
          .run(id, JSON_CODEC, jsonEnc, pdfEnc, viewEnc, viewFirstEnc);
        await ctx
          .statement(
            `UPDATE reports SET status = 'ready', ready_at = ?, generated_on = ?, total_balance = ?, account_count = ?,
               earliest_history_date = ?, failure_code = NULL, failure_message = NULL, failure_request_id = NULL
             WHERE id = ?`,
          )
          .run(
            ready.readyAt,
            ready.generatedOn ?? null,
            ready.summary.totalBalance,
            ready.summary.accountCount,
            ready.summary.earliestHistoryDate,
            id,
          );
      });
      return mustGet(id);
    },

    async markFailed(id, failure) {
      const info = await ctx
        .statement(
          `UPDATE reports SET status = 'failed', failure_code = ?, failure_message = ?, failure_request_id = ?
           WHERE id = ? AND status != 'removed'`,
        )
        .run(failure.code, failure.message, failure.requestId ?? null, id);
      if (info.changes === 0) throw notFound('Asset Report');
      return mustGet(id);
    },

    async deleteNeverMade(id) {
      return ctx.transaction(async () => {
        const row = await ctx
          .statement(`SELECT 1 FROM reports WHERE id = ? AND status = 'pending' AND plaid_report_id IS NULL`)
          .get(id);
        if (!row) return false;
        await ctx.statement('DELETE FROM report_items WHERE report_id = ?').run(id);
        await ctx.statement('DELETE FROM reports WHERE id = ?').run(id);
        return true;
      });
    },

    async reportToken(id) {
      if (!ctx.readable('reports', 'report_token_enc')) {
        // A processor's desk on the team database reads a token only while its report is pending (team schema 007).
        if (!(await getRow(id))) throw notFound('Asset Report');
        const sealed = (await ctx
          .statement('SELECT assetdesk_pending_report_token(?)')
          .pluck()
          .get(id)) as Buffer | null;
        return sealed ? ctx.cipher.openText(sealed, tokenWhere(id)) : null;
      }
      const row = (await ctx.statement('SELECT report_token_enc FROM reports WHERE id = ?').get(id)) as
        { report_token_enc: Buffer | null } | undefined;
      if (!row) throw notFound('Asset Report');
      return row.report_token_enc ? ctx.cipher.openText(row.report_token_enc, tokenWhere(id)) : null;
    },

    async readContent(id) {
      const row = await contentRow(id, 'json_codec, json_enc, pdf_enc');
      return {
        json: decodeJson(id, row.json_codec, row.json_enc),
        pdf: new Uint8Array(ctx.cipher.open(row.pdf_enc, pdfWhere(id))),
      };
    },

    async readJson(id) {
      const row = await contentRow(id, 'json_codec, json_enc');
      return decodeJson(id, row.json_codec, row.json_enc);
    },

    async readJsonText(id) {
      const row = await contentRow(id, 'json_codec, json_enc');
      return decodeJsonText(id, row.json_codec, row.json_enc);
    },

    async readPdf(id) {
      const row = await contentRow(id, 'pdf_enc');
      return new Uint8Array(ctx.cipher.open(row.pdf_enc, pdfWhere(id)));
    },

    async readView(id, part) {
      const column = viewColumns[part];
      const sealed = ((await contentRow(id, column)) as unknown as Record<string, Buffer | null>)[column];
      if (!sealed) return null;
      const packed = ctx.cipher.open(sealed, viewWhere(id, part));
      try {
        // Its own exact buffer: IPC copies a view's whole buffer, and the page reads a Float64Array from its start.
        return new Uint8Array(unpackJson(JSON_CODEC, packed));
      } catch (err) {
        throw corruptValueError('Asset Report view', err);
      }
    },

    async saveView(id, view) {
      const info = await ctx
        .statement('UPDATE report_content SET view_enc = ?, view_first_enc = ? WHERE report_id = ?')
        .run(sealView(id, view, 'whole'), sealView(id, view, 'firstScreen'), id);
      if (info.changes === 0) throw conflict('This Asset Report has no saved content: it was removed meanwhile.');
    },

    async generatedOn(id) {
      const row = (await ctx.statement('SELECT generated_on FROM reports WHERE id = ?').get(id)) as
        { generated_on: string | null } | undefined;
      if (!row) throw notFound('Asset Report');
      return row.generated_on;
    },

    async findByPlaidReportId(environment, plaidReportId) {
      const row = (await ctx
        .statement(`SELECT ${SUMMARY_COLUMNS} ${FROM} WHERE r.environment = ? AND r.plaid_report_id = ?`)
        .get(environment, plaidReportId)) as ReportRow | undefined;
      return row ? await toRecord(row) : null;
    },

    async markRemoved(id) {
      if (!(await getRow(id))) throw notFound('Asset Report');
      return removeTx(id);
    },

    search: (query) => searchReports(ctx, query),

    async listForLoan(loanId, environment) {
      const rows = (await ctx
        .statement(
          `SELECT ${SUMMARY_COLUMNS} ${FROM} WHERE r.loan_id = ? AND r.environment = ? ORDER BY r.created_at DESC, r.id DESC`,
        )
        .all(loanId, environment)) as ReportRow[];
      return rows.map(toSummary);
    },

    async listForBorrower(applicantId) {
      const rows = (await ctx
        .statement(
          `SELECT ${SUMMARY_COLUMNS} ${FROM} WHERE r.applicant_id = ? OR r.id IN (
             SELECT ri.report_id FROM report_items ri JOIN items i ON i.id = ri.item_id WHERE i.applicant_id = ?)
           ORDER BY r.created_at DESC, r.id DESC`,
        )
        .all(applicantId, applicantId)) as ReportRow[];
      return rows.map(toSummary);
    },

    async setFindingCounts(id, counts) {
      const info = await ctx
        .statement('UPDATE reports SET findings_attention = ?, findings_info = ? WHERE id = ?')
        .run(counts.attention, counts.info, id);
      if (info.changes === 0) throw notFound('Asset Report');
    },

    async olderThan(days, now) {
      const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
      const rows = (await ctx
        .statement(
          `SELECT ${SUMMARY_COLUMNS} ${FROM}
           WHERE r.status != 'removed' AND l.status != 'open' AND l.status_changed_at < ? ORDER BY r.created_at`,
        )
        .all(cutoff)) as ReportRow[];
      return rows.map(toSummary);
    },
  };
}
