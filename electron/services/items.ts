import { randomUUID } from 'node:crypto';
import { CountryCode, Products, type LinkTokenCreateRequest, type LinkTokenGetResponse } from 'plaid';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { Item, LinkedAccount, PlaidEnvironment } from '../../shared/domain';
import type { EventSink } from '../../shared/ipc/contract';
import type { AssetDeskStore } from '../db';
import type { Logger } from '../log/logger';
import type { PlaidGateway, PlaidErrorBody } from './plaid-gateway';
import type { PlaidWebhook } from './webhook-receiver';

/**
 * Bank connections (Plaid Items) of an applicant: Link tokens, public-token exchange (the access
 * token goes straight into the store, encrypted there, and never comes back out of this module),
 * update mode for ITEM_LOGIN_REQUIRED, removal at Plaid, and Hosted Link sessions.
 */

export interface LinkMetadataInput {
  institution: { institution_id: string; name: string };
  accounts: Array<{ id: string; name: string; mask: string | null; type: string; subtype: string | null }>;
  link_session_id: string;
}

export interface ItemServiceDeps {
  store: AssetDeskStore;
  gateway: PlaidGateway;
  environment: PlaidEnvironment;
  events: EventSink;
  logger: Logger;
  /** The webhook URL Plaid should call for Item and Link events, or null when no receiver runs. */
  webhookUrl: () => string | null;
  /** Where the renderer loads Link's script from (the emulator's copy, or Plaid's CDN). */
  linkScriptUrl: string;
  /** How often Hosted Link sessions are polled via /link/token/get (ms; default 3 s). */
  hostedPollMs?: number;
}

interface HostedSession {
  applicantId: string;
  linkToken: string;
  expiration: string;
  status: 'waiting' | 'completed' | 'exited' | 'expired';
  itemIds: string[];
  timer?: NodeJS.Timeout;
  settling?: Promise<void>;
}

export const PLAID_LINK_SCRIPT_URL = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

export function createItemService(deps: ItemServiceDeps) {
  const { store, gateway, environment, logger } = deps;
  const log = logger.child({ component: 'items', environment });
  const hosted = new Map<string, HostedSession>();

  function requireItem(itemId: string): Item {
    const item = store.items.get(itemId);
    if (!item || item.environment !== environment) {
      throw new AppError({
        code: ErrorCodes.notFound,
        message: 'This linked bank no longer exists in the current environment.',
        retryable: false,
      });
    }
    return item;
  }

  function requireApplicant(applicantId: string) {
    const applicant = store.applicants.get(applicantId);
    if (!applicant)
      throw new AppError({ code: ErrorCodes.notFound, message: 'This applicant no longer exists.', retryable: false });
    return applicant;
  }

  function linkRequest(applicantId: string, extra: Partial<LinkTokenCreateRequest>): LinkTokenCreateRequest {
    const webhook = deps.webhookUrl();
    return {
      user: { client_user_id: applicantId },
      client_name: 'AssetDesk',
      products: [Products.Assets],
      country_codes: [CountryCode.Us],
      language: 'en',
      ...(webhook ? { webhook } : {}),
      ...extra,
    };
  }

  async function markNeedsRelink(itemId: string, error: { code: string; message: string }): Promise<void> {
    const item = store.items.get(itemId);
    if (!item || item.status === 'removed') return;
    store.items.setStatus(itemId, 'needs_relink', error);
    store.activity.append({
      action: 'item_needs_relink',
      applicantId: item.applicantId,
      reportId: null,
      detail: { itemId, institution: item.institutionName, code: error.code },
    });
    log.warn('item needs re-link', { itemId, code: error.code });
  }

  async function addFromPublicToken(
    applicantId: string,
    publicToken: string,
    metadata: LinkMetadataInput,
  ): Promise<Item> {
    requireApplicant(applicantId);
    const exchange = await gateway.call('/item/public_token/exchange', (p) =>
      p.itemPublicTokenExchange({ public_token: publicToken }),
    );
    const existing = store.items.findByInstitution(applicantId, environment, metadata.institution.institution_id);
    if (existing && existing.status !== 'removed') {
      // Link already created the second Item at Plaid: remove it so it is neither kept nor billed.
      await gateway
        .call('/item/remove', (p) => p.itemRemove({ access_token: exchange.access_token }))
        .catch((error: unknown) => log.warn('could not remove the duplicate Item at Plaid', { error }));
      throw new AppError({
        code: 'DUPLICATE_INSTITUTION',
        message: `${metadata.institution.name} is already linked for this applicant. Use the existing connection (choose "Re-link" if it needs the applicant to sign in again), or remove it first to link it anew.`,
        retryable: false,
      });
    }
    const accounts: LinkedAccount[] = metadata.accounts.map((a) => ({
      accountId: a.id,
      name: a.name,
      mask: a.mask,
      type: a.type,
      subtype: a.subtype,
    }));
    const item = store.items.add({
      applicantId,
      environment,
      plaidItemId: exchange.item_id,
      accessToken: exchange.access_token,
      institutionId: metadata.institution.institution_id,
      institutionName: metadata.institution.name,
      accounts,
    });
    store.activity.append({
      action: 'item_linked',
      applicantId,
      reportId: null,
      detail: { itemId: item.id, institution: item.institutionName, accounts: accounts.length },
    });
    log.info('item linked', { itemId: item.id, institutionId: item.institutionId });
    return item;
  }

  async function settleHosted(hostedLinkId: string, session: HostedSession): Promise<void> {
    if (session.status !== 'waiting') return;
    if (session.settling) return session.settling;
    session.settling = (async () => {
      const got: LinkTokenGetResponse = await gateway.call('/link/token/get', (p) =>
        p.linkTokenGet({ link_token: session.linkToken }),
      );
      const finished = (got.link_sessions ?? []).filter((s) => s.finished_at || s.results || s.exit);
      const results = finished.flatMap((s) => s.results?.item_add_results ?? []);
      for (const result of results) {
        try {
          const item = await addFromPublicToken(session.applicantId, result.public_token, {
            institution: {
              institution_id: result.institution?.institution_id ?? 'unknown',
              name: result.institution?.name ?? 'Bank',
            },
            accounts: result.accounts.map((a) => ({
              id: a.id ?? '',
              name: a.name ?? '',
              mask: a.mask ?? null,
              type: String(a.type ?? ''),
              subtype: a.subtype ? String(a.subtype) : null,
            })),
            link_session_id: '',
          });
          session.itemIds.push(item.id);
        } catch (error) {
          log.warn('hosted link result not added', { hostedLinkId, code: (error as AppError).code });
        }
      }
      if (finished.length > 0) {
        session.status = results.length > 0 ? 'completed' : 'exited';
      } else if (Date.parse(session.expiration) < Date.now()) {
        session.status = 'expired';
      }
      if (session.status !== 'waiting') {
        if (session.timer) clearInterval(session.timer);
        if (session.status === 'completed' || session.status === 'exited') {
          deps.events.emit('link:hostedFinished', {
            hostedLinkId,
            applicantId: session.applicantId,
            status: session.status,
          });
        }
      }
    })().finally(() => {
      session.settling = undefined;
    });
    return session.settling;
  }

  return {
    markNeedsRelink,

    async createLinkToken(applicantId: string, itemId?: string) {
      requireApplicant(applicantId);
      let request = linkRequest(applicantId, {});
      if (itemId) {
        const item = requireItem(itemId);
        if (item.applicantId !== applicantId)
          throw new AppError({
            code: ErrorCodes.notFound,
            message: 'This bank is not linked for this applicant.',
            retryable: false,
          });
        // Update mode: the access token selects the Item; products must be omitted for a re-login.
        const { products: _omit, ...rest } = request;
        request = { ...rest, access_token: store.items.accessToken(itemId) };
      }
      const created = await gateway.call('/link/token/create', (p) => p.linkTokenCreate(request));
      return {
        linkToken: created.link_token,
        expiration: created.expiration,
        scriptUrl: deps.linkScriptUrl,
        updateMode: Boolean(itemId),
      };
    },

    complete: addFromPublicToken,

    /** After update-mode Link: ask Plaid whether the Item is healthy again, and record it. */
    async updateComplete(itemId: string): Promise<Item> {
      requireItem(itemId);
      const got = await gateway.call('/item/get', (p) => p.itemGet({ access_token: store.items.accessToken(itemId) }));
      const error = got.item.error as PlaidErrorBody | null;
      if (error?.error_code) {
        await markNeedsRelink(itemId, {
          code: error.error_code,
          message: error.display_message ?? error.error_message ?? error.error_code,
        });
      } else {
        store.items.setStatus(itemId, 'ok', null);
        const item = requireItem(itemId);
        store.activity.append({
          action: 'item_relinked',
          applicantId: item.applicantId,
          reportId: null,
          detail: { itemId, institution: item.institutionName },
        });
      }
      return requireItem(itemId);
    },

    /** /item/get: marks an Item that reports ITEM_LOGIN_REQUIRED (or any other standing error) as needing re-link. */
    async check(itemId: string): Promise<Item> {
      requireItem(itemId);
      try {
        const got = await gateway.call('/item/get', (p) =>
          p.itemGet({ access_token: store.items.accessToken(itemId) }),
        );
        const error = got.item.error as PlaidErrorBody | null;
        if (error?.error_code === 'ITEM_LOGIN_REQUIRED') {
          await markNeedsRelink(itemId, {
            code: error.error_code,
            message: error.display_message ?? error.error_message ?? error.error_code,
          });
        }
      } catch (error) {
        if (error instanceof AppError && error.code === 'ITEM_LOGIN_REQUIRED')
          await markNeedsRelink(itemId, { code: error.code, message: error.message });
        else throw error;
      }
      return requireItem(itemId);
    },

    async remove(itemId: string): Promise<void> {
      const item = requireItem(itemId);
      if (item.status !== 'removed') {
        try {
          await gateway.call('/item/remove', (p) => p.itemRemove({ access_token: store.items.accessToken(itemId) }));
        } catch (error) {
          // Already gone at Plaid: nothing left to remove there.
          if (!(
            error instanceof AppError &&
            (error.code === 'INVALID_ACCESS_TOKEN' || error.code === 'ITEM_NOT_FOUND')
          ))
            throw error;
        }
      }
      store.items.remove(itemId);
      store.activity.append({
        action: 'item_removed',
        applicantId: item.applicantId,
        reportId: null,
        detail: { itemId, institution: item.institutionName },
      });
      log.info('item removed', { itemId });
    },

    async createHosted(applicantId: string) {
      requireApplicant(applicantId);
      const created = await gateway.call('/link/token/create', (p) =>
        p.linkTokenCreate(linkRequest(applicantId, { hosted_link: {} })),
      );
      if (!created.hosted_link_url) {
        throw new AppError({
          code: 'HOSTED_LINK_UNAVAILABLE',
          message: 'Plaid did not return a Hosted Link address. Use "Link a bank" in AssetDesk instead.',
          retryable: false,
        });
      }
      const hostedLinkId = randomUUID();
      const session: HostedSession = {
        applicantId,
        linkToken: created.link_token,
        expiration: created.expiration,
        status: 'waiting',
        itemIds: [],
      };
      hosted.set(hostedLinkId, session);
      session.timer = setInterval(() => {
        void settleHosted(hostedLinkId, session).catch((error: unknown) =>
          log.warn('hosted link poll failed', { hostedLinkId, error }),
        );
      }, deps.hostedPollMs ?? 3_000);
      session.timer.unref();
      return { hostedLinkId, url: created.hosted_link_url, expiration: created.expiration };
    },

    async hostedStatus(hostedLinkId: string) {
      const session = hosted.get(hostedLinkId);
      if (!session)
        throw new AppError({
          code: ErrorCodes.notFound,
          message: 'This Hosted Link session is unknown (AssetDesk may have restarted). Create a new link.',
          retryable: false,
        });
      await settleHosted(hostedLinkId, session);
      return { status: session.status, items: session.itemIds.map((id) => requireItem(id)) };
    },

    /** ITEM and LINK webhooks. */
    async handleWebhook(webhook: PlaidWebhook): Promise<void> {
      if (webhook.webhook_type === 'ITEM' && typeof webhook.item_id === 'string') {
        const item = store.items.findByPlaidItemId(environment, webhook.item_id);
        if (!item) return;
        const error = webhook.error as PlaidErrorBody | null | undefined;
        if (webhook.webhook_code === 'ERROR' && error?.error_code) {
          await markNeedsRelink(item.id, {
            code: error.error_code,
            message: error.display_message ?? error.error_message ?? error.error_code,
          });
        } else if (
          webhook.webhook_code === 'PENDING_DISCONNECT' ||
          webhook.webhook_code === 'USER_PERMISSION_REVOKED'
        ) {
          await markNeedsRelink(item.id, {
            code: webhook.webhook_code,
            message: 'The applicant must re-link this bank.',
          });
        } else if (webhook.webhook_code === 'LOGIN_REPAIRED') {
          store.items.setStatus(item.id, 'ok', null);
        }
        return;
      }
      if (
        webhook.webhook_type === 'LINK' &&
        webhook.webhook_code === 'SESSION_FINISHED' &&
        typeof webhook.link_token === 'string'
      ) {
        for (const [hostedLinkId, session] of hosted) {
          if (session.linkToken === webhook.link_token) await settleHosted(hostedLinkId, session);
        }
      }
    },

    stop(): void {
      for (const session of hosted.values()) if (session.timer) clearInterval(session.timer);
    },
  };
}

export type ItemService = ReturnType<typeof createItemService>;
