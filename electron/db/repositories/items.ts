import type { Item, ItemStatus, LinkedAccount, PlaidEnvironment } from '../../../shared/domain';
import { conflict, notFound, type StoreContext } from '../context';

export interface NewItem {
  applicantId: string;
  environment: PlaidEnvironment;
  plaidItemId: string;
  accessToken: string;
  institutionId: string;
  institutionName: string;
  accounts: LinkedAccount[];
  /** When the bank's consent at Plaid runs out (OAuth banks; Plaid's consent_expiration_time), if it does. */
  consentExpiresAt?: string | null;
}

export interface ItemRepository {
  add(input: NewItem): Promise<Item>;
  get(id: string): Promise<Item | null>;
  listForApplicant(applicantId: string, environment: PlaidEnvironment): Promise<Item[]>;
  /** Every borrower's Items on the loan, the primary borrower's first. */
  listForLoan(loanId: string, environment: PlaidEnvironment): Promise<Item[]>;
  setConsentExpiry(id: string, consentExpiresAt: string | null): Promise<void>;
  /** Every environment, plain columns only (no decryption): for deletion, which damaged data must not block. */
  basicsForApplicant(applicantId: string): Promise<ItemBasics[]>;
  /** The applicant's live (not removed) Item at that institution, to avoid linking a bank twice. */
  findByInstitution(applicantId: string, environment: PlaidEnvironment, institutionId: string): Promise<Item | null>;
  /** For webhooks, which name Plaid's item_id. */
  findByPlaidItemId(environment: PlaidEnvironment, plaidItemId: string): Promise<Item | null>;
  /** Decrypted access token: main process only, never logged or sent to the renderer. */
  accessToken(id: string): Promise<string>;
  setStatus(id: string, status: ItemStatus, lastError: { code: string; message: string } | null): Promise<Item>;
  /** Replaces the accounts shared with Plaid (update mode may add or drop some). */
  setAccounts(id: string, accounts: LinkedAccount[]): Promise<Item>;
  /** Marks the Item removed and destroys its access token; the row stays so old reports keep their bank name. */
  remove(id: string): Promise<void>;
}

export interface ItemBasics {
  id: string;
  environment: PlaidEnvironment;
  institutionId: string;
  institutionName: string;
  status: ItemStatus;
}

interface ItemRow {
  id: string;
  applicant_id: string;
  environment: PlaidEnvironment;
  plaid_item_id: string;
  access_token_enc: Buffer | null;
  institution_id: string;
  institution_name: string;
  accounts_enc: Buffer;
  status: ItemStatus;
  linked_at: string;
  last_error_code: string | null;
  last_error_message: string | null;
  consent_expires_at: string | null;
}

export function createItemRepository(ctx: StoreContext): ItemRepository {
  // Named, not *: a processor's desk may not name the secret columns (they come back as NULL there).
  const COLUMNS = (alias?: string) =>
    ctx.columns(
      'items',
      [
        'id',
        'applicant_id',
        'environment',
        'plaid_item_id',
        'access_token_enc',
        'institution_id',
        'institution_name',
        'accounts_enc',
        'status',
        'linked_at',
        'last_error_code',
        'last_error_message',
        'consent_expires_at',
      ],
      alias,
    );
  // Account names and masks are the borrower's: encrypted; the institution name is searchable.
  const accountsWhere = (rowId: string) => ({ table: 'items', column: 'accounts_enc', rowId });
  const tokenWhere = (rowId: string) => ({ table: 'items', column: 'access_token_enc', rowId });

  const toItem = (row: ItemRow): Item => ({
    id: row.id,
    applicantId: row.applicant_id,
    environment: row.environment,
    institutionId: row.institution_id,
    institutionName: row.institution_name,
    status: row.status,
    linkedAt: row.linked_at,
    lastError:
      row.last_error_code === null ? null : { code: row.last_error_code, message: row.last_error_message ?? '' },
    consentExpiresAt: row.consent_expires_at,
    accounts: JSON.parse(ctx.cipher.openText(row.accounts_enc, accountsWhere(row.id))) as LinkedAccount[],
  });

  const getRow = async (id: string) =>
    (await ctx.statement(`SELECT ${COLUMNS()} FROM items WHERE id = ?`).get(id)) as ItemRow | undefined;
  const one = (row: ItemRow | undefined) => (row ? toItem(row) : null);

  return {
    async add(input) {
      if (!(await ctx.statement('SELECT 1 FROM applicants WHERE id = ?').get(input.applicantId)))
        throw notFound('applicant');
      if (
        await ctx
          .statement('SELECT 1 FROM items WHERE environment = ? AND plaid_item_id = ?')
          .get(input.environment, input.plaidItemId)
      ) {
        throw conflict('This bank connection is already saved in AssetDesk.');
      }
      const id = ctx.newId();
      await ctx
        .statement(
          `INSERT INTO items (id, applicant_id, environment, plaid_item_id, access_token_enc, institution_id, institution_name,
             accounts_enc, status, linked_at, consent_expires_at)
           VALUES (@id, @applicantId, @environment, @plaidItemId, @token, @institutionId, @institutionName, @accounts, 'ok',
             @now, @consentExpiresAt)`,
        )
        .run({
          id,
          applicantId: input.applicantId,
          environment: input.environment,
          plaidItemId: input.plaidItemId,
          token: ctx.cipher.sealText(input.accessToken, tokenWhere(id)),
          institutionId: input.institutionId,
          institutionName: input.institutionName,
          accounts: ctx.cipher.sealText(JSON.stringify(input.accounts), accountsWhere(id)),
          now: ctx.now(),
          consentExpiresAt: input.consentExpiresAt ?? null,
        });
      return toItem((await getRow(id))!);
    },

    get: async (id) => one(await getRow(id)),

    async listForApplicant(applicantId, environment) {
      const rows = (await ctx
        .statement(`SELECT ${COLUMNS()} FROM items WHERE applicant_id = ? AND environment = ? ORDER BY linked_at, id`)
        .all(applicantId, environment)) as ItemRow[];
      return rows.map(toItem);
    },

    async listForLoan(loanId, environment) {
      const rows = (await ctx
        .statement(
          `SELECT ${COLUMNS('i')} FROM items i JOIN applicants b ON b.id = i.applicant_id
           WHERE b.loan_id = ? AND i.environment = ? ORDER BY b.position, i.linked_at, i.id`,
        )
        .all(loanId, environment)) as ItemRow[];
      return rows.map(toItem);
    },

    async setConsentExpiry(id, consentExpiresAt) {
      await ctx.statement('UPDATE items SET consent_expires_at = ? WHERE id = ?').run(consentExpiresAt, id);
    },

    async basicsForApplicant(applicantId) {
      return (await ctx
        .statement(
          `SELECT id, environment, institution_id AS institutionId, institution_name AS institutionName, status
           FROM items WHERE applicant_id = ? ORDER BY linked_at, id`,
        )
        .all(applicantId)) as ItemBasics[];
    },

    async findByInstitution(applicantId, environment, institutionId) {
      return one(
        (await ctx
          .statement(
            `SELECT ${COLUMNS()} FROM items WHERE applicant_id = ? AND environment = ? AND institution_id = ? AND status != 'removed'
             ORDER BY linked_at DESC LIMIT 1`,
          )
          .get(applicantId, environment, institutionId)) as ItemRow | undefined,
      );
    },

    async findByPlaidItemId(environment, plaidItemId) {
      return one(
        (await ctx
          .statement(`SELECT ${COLUMNS()} FROM items WHERE environment = ? AND plaid_item_id = ?`)
          .get(environment, plaidItemId)) as ItemRow | undefined,
      );
    },

    async accessToken(id) {
      const row = (await ctx.statement('SELECT access_token_enc FROM items WHERE id = ?').get(id)) as
        { access_token_enc: Buffer | null } | undefined;
      if (!row || !row.access_token_enc) throw notFound('bank connection');
      return ctx.cipher.openText(row.access_token_enc, tokenWhere(id));
    },

    async setAccounts(id, accounts) {
      await ctx
        .statement('UPDATE items SET accounts_enc = ? WHERE id = ?')
        .run(ctx.cipher.sealText(JSON.stringify(accounts), accountsWhere(id)), id);
      const row = await getRow(id);
      if (!row) throw notFound('item');
      return toItem(row);
    },

    async setStatus(id, status, lastError) {
      const info = await ctx
        .statement(
          `UPDATE items SET status = @status, last_error_code = @code, last_error_message = @message,
             access_token_enc = CASE WHEN @status = 'removed' THEN NULL ELSE access_token_enc END
           WHERE id = @id`,
        )
        .run({ status, code: lastError?.code ?? null, message: lastError?.message ?? null, id });
      if (info.changes === 0) throw notFound('bank connection');
      return toItem((await getRow(id))!);
    },

    async remove(id) {
      const info = await ctx
        .statement(`UPDATE items SET status = 'removed', access_token_enc = NULL WHERE id = ?`)
        .run(id);
      if (info.changes === 0) throw notFound('bank connection');
    },
  };
}
