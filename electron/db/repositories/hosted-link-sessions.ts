import type {
  HostedLinkDeliveryMethod,
  HostedLinkSession,
  HostedLinkStatus,
  PlaidEnvironment,
} from '../../../shared/domain';
import { notFound, type StoreContext } from '../context';

export interface NewHostedLinkSession {
  applicantId: string;
  environment: PlaidEnvironment;
  linkToken: string;
  url: string;
  expiration: string;
  deliveryMethod: HostedLinkDeliveryMethod | null;
}

export interface HostedLinkSessionRecord extends HostedLinkSession {
  environment: PlaidEnvironment;
}

export interface HostedLinkSessionRepository {
  add(input: NewHostedLinkSession): Promise<HostedLinkSessionRecord>;
  get(id: string): Promise<HostedLinkSessionRecord | null>;
  listForApplicant(applicantId: string, environment: PlaidEnvironment): Promise<HostedLinkSessionRecord[]>;
  /** Sessions still waiting for the applicant, to resume after a restart. */
  waiting(environment: PlaidEnvironment): Promise<HostedLinkSessionRecord[]>;
  /** Decrypted link token: main process only; null once the session has ended. */
  linkToken(id: string): Promise<string | null>;
  /** Decrypted Hosted Link URL (shown to the officer again while the session waits). */
  url(id: string): Promise<string | null>;
  setExpiration(id: string, expiration: string): Promise<void>;
  addItem(id: string, itemId: string): Promise<void>;
  /** Ends the session; the link token and URL are destroyed. */
  finish(id: string, status: Exclude<HostedLinkStatus, 'waiting'>): Promise<HostedLinkSessionRecord>;
}

interface Row {
  id: string;
  applicant_id: string;
  environment: PlaidEnvironment;
  link_token_enc: Buffer | null;
  url_enc: Buffer | null;
  status: HostedLinkStatus;
  delivery_method: HostedLinkDeliveryMethod | null;
  created_at: string;
  expiration: string;
  finished_at: string | null;
  item_ids: string;
}

export function createHostedLinkSessionRepository(ctx: StoreContext): HostedLinkSessionRepository {
  // Named, not *: a processor's desk may not name the secret columns (they come back as NULL there).
  const COLUMNS = (alias?: string) =>
    ctx.columns(
      'hosted_link_sessions',
      [
        'id',
        'applicant_id',
        'environment',
        'link_token_enc',
        'url_enc',
        'status',
        'delivery_method',
        'created_at',
        'expiration',
        'finished_at',
        'item_ids',
      ],
      alias,
    );
  const tokenWhere = (rowId: string) => ({ table: 'hosted_link_sessions', column: 'link_token_enc', rowId });
  const urlWhere = (rowId: string) => ({ table: 'hosted_link_sessions', column: 'url_enc', rowId });
  const toRecord = (row: Row): HostedLinkSessionRecord => ({
    id: row.id,
    applicantId: row.applicant_id,
    environment: row.environment,
    status: row.status,
    createdAt: row.created_at,
    expiration: row.expiration,
    finishedAt: row.finished_at,
    deliveryMethod: row.delivery_method,
    itemIds: JSON.parse(row.item_ids) as string[],
  });
  const row = async (id: string) =>
    (await ctx.statement(`SELECT ${COLUMNS()} FROM hosted_link_sessions WHERE id = ?`).get(id)) as Row | undefined;
  const required = async (id: string) => {
    const found = await row(id);
    if (!found) throw notFound('hosted link session');
    return found;
  };

  return {
    async add(input) {
      if (!(await ctx.statement('SELECT 1 FROM applicants WHERE id = ?').get(input.applicantId)))
        throw notFound('applicant');
      const id = ctx.newId();
      await ctx
        .statement(
          `INSERT INTO hosted_link_sessions (id, applicant_id, environment, link_token_enc, url_enc, status,
             delivery_method, created_at, expiration)
           VALUES (@id, @applicantId, @environment, @token, @url, 'waiting', @deliveryMethod, @now, @expiration)`,
        )
        .run({
          id,
          applicantId: input.applicantId,
          environment: input.environment,
          token: ctx.cipher.sealText(input.linkToken, tokenWhere(id)),
          url: ctx.cipher.sealText(input.url, urlWhere(id)),
          deliveryMethod: input.deliveryMethod,
          now: ctx.now(),
          expiration: input.expiration,
        });
      return toRecord(await required(id));
    },
    get: async (id) => {
      const found = await row(id);
      return found ? toRecord(found) : null;
    },
    async listForApplicant(applicantId, environment) {
      const rows = (await ctx
        .statement(
          `SELECT ${COLUMNS()} FROM hosted_link_sessions WHERE applicant_id = ? AND environment = ? ORDER BY created_at DESC, id`,
        )
        .all(applicantId, environment)) as Row[];
      return rows.map(toRecord);
    },
    async waiting(environment) {
      const rows = (await ctx
        .statement(
          `SELECT ${COLUMNS()} FROM hosted_link_sessions WHERE environment = ? AND status = 'waiting' ORDER BY created_at`,
        )
        .all(environment)) as Row[];
      return rows.map(toRecord);
    },
    async linkToken(id) {
      const found = await required(id);
      return found.link_token_enc ? ctx.cipher.openText(found.link_token_enc, tokenWhere(id)) : null;
    },
    async url(id) {
      const found = await required(id);
      return found.url_enc ? ctx.cipher.openText(found.url_enc, urlWhere(id)) : null;
    },
    async setExpiration(id, expiration) {
      await ctx.statement('UPDATE hosted_link_sessions SET expiration = ? WHERE id = ?').run(expiration, id);
    },
    async addItem(id, itemId) {
      const itemIds = toRecord(await required(id)).itemIds;
      if (itemIds.includes(itemId)) return;
      await ctx
        .statement('UPDATE hosted_link_sessions SET item_ids = ? WHERE id = ?')
        .run(JSON.stringify([...itemIds, itemId]), id);
    },
    async finish(id, status) {
      await ctx
        .statement(
          `UPDATE hosted_link_sessions SET status = ?, finished_at = ?, link_token_enc = NULL, url_enc = NULL
           WHERE id = ?`,
        )
        .run(status, ctx.now(), id);
      return toRecord(await required(id));
    },
  };
}
