import { CountryCode, Products, type LinkTokenCreateRequest } from 'plaid';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { HostedLinkDeliveryMethod, Item, PlaidEnvironment } from '../../../shared/domain';
import type { EventSink } from '../../../shared/ipc/contract';
import type { AssetDeskStore } from '../../db';
import type { Logger } from '../../log/logger';
import type { PlaidGateway, PlaidErrorBody } from '../plaid-gateway';
import type { PlaidWebhook } from '../webhook-receiver';
import { createHostedLinkSessions, type HostedLinkSessions } from './hosted-link';
import { exchangeAndStoreItem, linkedAtPlaid } from './item-exchange';
import { notFound } from '../service-context';
import { emulatorOnAnotherDesk, itemInAnotherEmulator } from '../team/emulator-per-desk';

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
  clock?: () => Date;
  /** On a team in emulator mode, this desk's built-in emulator (emulator-per-desk.ts); null otherwise. */
  emulatorId?: string | null;
}

export const PLAID_LINK_SCRIPT_URL = 'https://cdn.plaid.com/link/v2/stable/link-initialize.js';

export function createItemService(deps: ItemServiceDeps): ItemService {
  return new ItemService(deps);
}

/** Plaid's reason an Item needs attention, in the words Plaid gives the officer when it has them. */
const reasonOf = (error: PlaidErrorBody & { error_code: string }) => ({
  code: error.error_code,
  message: error.display_message ?? error.error_message ?? error.error_code,
});

export class ItemService {
  private readonly store: AssetDeskStore;
  private readonly gateway: PlaidGateway;
  private readonly environment: PlaidEnvironment;
  private readonly log: Logger;
  private readonly hostedLink: HostedLinkSessions;

  constructor(private readonly deps: ItemServiceDeps) {
    this.store = deps.store;
    this.gateway = deps.gateway;
    this.environment = deps.environment;
    this.log = deps.logger.child({ component: 'items', environment: deps.environment });
    this.hostedLink = createHostedLinkSessions({
      store: deps.store,
      environment: deps.environment,
      gateway: deps.gateway,
      events: deps.events,
      log: this.log,
      clock: deps.clock ?? (() => new Date()),
      lifetimeSeconds: () => deps.store.settings.value('hostedLinkLifetimeSeconds'),
      linkRequest: (applicantId, extra) => this.linkRequest(applicantId, extra),
      addItem: (applicantId, publicToken, metadata) => this.complete(applicantId, publicToken, metadata),
      requireApplicant: (applicantId) => this.requireApplicant(applicantId),
      requireItem: (itemId) => this.requireItem(itemId),
      emulatorId: deps.emulatorId ?? null,
      ...(deps.hostedPollMs ? { pollMs: deps.hostedPollMs } : {}),
    });
  }

  async markNeedsRelink(itemId: string, error: { code: string; message: string }): Promise<void> {
    const item = await this.store.items.get(itemId);
    if (!item || item.status === 'removed') return;
    await this.store.items.setStatus(itemId, 'needs_relink', error);
    await this.store.activity.append({
      action: 'item_needs_relink',
      applicantId: item.applicantId,
      reportId: null,
      detail: { itemId, institution: item.institutionName, code: error.code },
    });
    this.log.warn('item needs re-link', { itemId, code: error.code });
  }

  async createLinkToken(applicantId: string, itemId?: string) {
    await this.requireApplicant(applicantId);
    let request = await this.linkRequest(applicantId, {});
    if (itemId) {
      const item = await this.requireItem(itemId);
      await this.requireOwnEmulator(itemId, 're-link it');
      if (item.applicantId !== applicantId)
        throw new AppError({
          code: ErrorCodes.notFound,
          message: 'This bank is not linked for this applicant.',
          retryable: false,
        });
      // Update mode: the access token selects the Item; products must be omitted for a re-login.
      const { products: _omit, ...rest } = request;
      request = { ...rest, access_token: await this.store.items.accessToken(itemId) };
    }
    const created = await this.gateway.call('/link/token/create', (p) => p.linkTokenCreate(request));
    return {
      linkToken: created.link_token,
      expiration: created.expiration,
      scriptUrl: this.deps.linkScriptUrl,
      updateMode: Boolean(itemId),
    };
  }

  /**
   * Link finished: exchanges the public token and stores the Item (its access token only ever encrypted).
   * The renderer's metadata is only checked for shape: the institution, the duplicate-bank check and the
   * accounts come from Plaid (/item/get, /accounts/get), so a tampered or stale page cannot misstate them.
   */
  async complete(applicantId: string, publicToken: string, _metadata: LinkMetadataInput): Promise<Item> {
    await this.requireApplicant(applicantId);
    const { store, gateway, environment, log } = this;
    const emulatorId = this.deps.emulatorId ?? null;
    // Should AssetDesk quit meanwhile, an exchange on its way gets the grace to answer and its Item to be stored.
    return gateway.save(() =>
      exchangeAndStoreItem({ store, gateway, environment, log, emulatorId }, applicantId, publicToken),
    );
  }

  /** After update-mode Link: ask Plaid whether the Item is healthy again, and record it. */
  async updateComplete(itemId: string): Promise<Item> {
    await this.requireItem(itemId);
    await this.requireOwnEmulator(itemId, 're-link it');
    const error = await this.standingError(itemId);
    if (error?.error_code) {
      await this.markNeedsRelink(itemId, reasonOf({ ...error, error_code: error.error_code }));
    } else {
      // Update mode may change which accounts are shared: keep what Plaid now says.
      const { accounts, consentExpiresAt } = await linkedAtPlaid(
        this.gateway,
        await this.store.items.accessToken(itemId),
      );
      await this.store.items.setAccounts(itemId, accounts);
      await this.store.items.setConsentExpiry(itemId, consentExpiresAt);
      await this.store.items.setStatus(itemId, 'ok', null);
      const item = await this.requireItem(itemId);
      await this.store.activity.append({
        action: 'item_relinked',
        applicantId: item.applicantId,
        reportId: null,
        detail: { itemId, institution: item.institutionName },
      });
    }
    return this.requireItem(itemId);
  }

  /** /item/get: marks an Item that reports ITEM_LOGIN_REQUIRED as needing re-link. */
  async check(itemId: string): Promise<Item> {
    await this.requireItem(itemId);
    await this.requireOwnEmulator(itemId, 'check it');
    try {
      const error = await this.standingError(itemId);
      if (error?.error_code === 'ITEM_LOGIN_REQUIRED')
        await this.markNeedsRelink(itemId, reasonOf({ ...error, error_code: error.error_code }));
    } catch (error) {
      if (error instanceof AppError && error.code === 'ITEM_LOGIN_REQUIRED')
        await this.markNeedsRelink(itemId, { code: error.code, message: error.message });
      else throw error;
    }
    return this.requireItem(itemId);
  }

  async remove(itemId: string): Promise<void> {
    const item = await this.requireItem(itemId);
    // Another desk's emulator would call the token unknown, read as already gone, while the bank lives on there.
    if (item.status !== 'removed') await this.requireOwnEmulator(itemId, 'remove it at Plaid');
    if (item.status !== 'removed') await this.gateway.removeItem(await this.store.items.accessToken(itemId));
    await this.store.items.remove(itemId);
    await this.store.activity.append({
      action: 'item_removed',
      applicantId: item.applicantId,
      reportId: null,
      detail: { itemId, institution: item.institutionName },
    });
    this.log.info('item removed', { itemId });
  }

  createHosted(applicantId: string, deliveryMethod?: HostedLinkDeliveryMethod) {
    return this.hostedLink.create(applicantId, deliveryMethod);
  }

  hostedStatus(hostedLinkId: string) {
    return this.hostedLink.status(hostedLinkId);
  }

  async hostedSessions(applicantId: string) {
    return this.hostedLink.list(applicantId);
  }

  revokeHosted(hostedLinkId: string) {
    return this.hostedLink.revoke(hostedLinkId);
  }

  /** Picks up the Hosted Link sessions still waiting (after a restart or an environment switch). */
  async resumeHosted(): Promise<void> {
    await this.hostedLink.resume();
  }

  /** Resolves once Hosted Link settlements in flight have finished. */
  idle(): Promise<void> {
    return this.hostedLink.idle();
  }

  /** ITEM and LINK webhooks. */
  async handleWebhook(webhook: PlaidWebhook): Promise<void> {
    if (webhook.webhook_type === 'ITEM' && typeof webhook.item_id === 'string') {
      const item = await this.store.items.findByPlaidItemId(this.environment, webhook.item_id);
      if (!item) return;
      const error = webhook.error as PlaidErrorBody | null | undefined;
      if (webhook.webhook_code === 'ERROR' && error?.error_code) {
        await this.markNeedsRelink(item.id, reasonOf({ ...error, error_code: error.error_code }));
      } else if (webhook.webhook_code === 'PENDING_DISCONNECT' || webhook.webhook_code === 'USER_PERMISSION_REVOKED') {
        await this.markNeedsRelink(item.id, {
          code: webhook.webhook_code,
          message: 'The applicant must re-link this bank.',
        });
      } else if (webhook.webhook_code === 'LOGIN_REPAIRED') {
        await this.store.items.setStatus(item.id, 'ok', null);
      }
      return;
    }
    if (
      webhook.webhook_type === 'LINK' &&
      webhook.webhook_code === 'SESSION_FINISHED' &&
      typeof webhook.link_token === 'string'
    ) {
      await this.hostedLink.sessionFinished(webhook.link_token);
    }
  }

  stop(): void {
    this.hostedLink.stop();
  }

  private async standingError(itemId: string): Promise<PlaidErrorBody | null> {
    const got = await this.gateway.call('/item/get', async (p) =>
      p.itemGet({ access_token: await this.store.items.accessToken(itemId) }),
    );
    return got.item.error as PlaidErrorBody | null;
  }

  /** The OAuth redirect URI registered for this environment (none in emulator mode). */
  private async redirectUri(): Promise<string | null> {
    if (this.environment === 'emulator') return null;
    return (await this.store.settings.value('oauthRedirectUri'))[this.environment] ?? null;
  }

  /**
   * Refuses, saying at which desk to do it, a bank linked in another desk's built-in emulator (emulator-per-desk.ts):
   * this desk's emulator does not know its access token.
   */
  async requireOwnEmulator(itemId: string, action: string): Promise<void> {
    const found = await itemInAnotherEmulator(this.store, this.deps.emulatorId ?? null, itemId);
    if (found) throw emulatorOnAnotherDesk('bank', found, action, 'linked');
  }

  private async requireItem(itemId: string): Promise<Item> {
    const item = await this.store.items.get(itemId);
    if (!item || item.environment !== this.environment)
      throw notFound('This linked bank no longer exists in the current environment.');
    return item;
  }

  private async requireApplicant(applicantId: string) {
    const applicant = await this.store.applicants.get(applicantId);
    if (!applicant) throw notFound('This applicant no longer exists.');
    return applicant;
  }

  private async linkRequest(
    applicantId: string,
    extra: Partial<LinkTokenCreateRequest>,
  ): Promise<LinkTokenCreateRequest> {
    const webhook = this.deps.webhookUrl();
    // Only a URI the officer registered in Plaid's dashboard (else INVALID_FIELD); Hosted Link does OAuth itself.
    const redirectUri = extra.hosted_link ? null : await this.redirectUri();
    return {
      user: { client_user_id: applicantId },
      client_name: 'AssetDesk',
      products: [Products.Assets],
      country_codes: [CountryCode.Us],
      language: 'en',
      ...(webhook ? { webhook } : {}),
      ...(redirectUri ? { redirect_uri: redirectUri } : {}),
      ...extra,
    };
  }
}
