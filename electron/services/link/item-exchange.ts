import { CountryCode } from 'plaid';
import { AppError } from '../../../shared/errors';
import type { Item, LinkedAccount, PlaidEnvironment } from '../../../shared/domain';
import type { AssetDeskStore } from '../../db';
import type { Logger } from '../../log/logger';
import type { PlaidGateway } from '../plaid-gateway';
import { OUTCOME_UNKNOWN } from '../plaid-messages';

/**
 * Turning a finished Link into a stored Item: the public-token exchange, Plaid's own account of the
 * Item, and removal at Plaid of any Item we end up not keeping (so it is neither orphaned nor billed).
 */

export interface ItemExchangeContext {
  store: AssetDeskStore;
  gateway: PlaidGateway;
  environment: PlaidEnvironment;
  log: Logger;
  /** On a team in emulator mode, this desk's emulator (emulator-per-desk.ts): kept with the Item's activity entry. */
  emulatorId?: string | null;
}

/** Exchanges the public token and stores the Item (its access token only ever encrypted). */
export async function exchangeAndStoreItem(
  ctx: ItemExchangeContext,
  applicantId: string,
  publicToken: string,
): Promise<Item> {
  const { store, gateway, environment } = ctx;
  const exchange = await gateway
    .call('/item/public_token/exchange', (p) => p.itemPublicTokenExchange({ public_token: publicToken }))
    .catch(async (error: unknown) => {
      throw error instanceof AppError && error.code === OUTCOME_UNKNOWN
        ? await exchangeUnknown(ctx, applicantId, error)
        : error;
    });
  let linked: {
    institution: { id: string; name: string };
    accounts: LinkedAccount[];
    consentExpiresAt: string | null;
  };
  try {
    linked = await linkedAtPlaid(gateway, exchange.access_token);
  } catch (error) {
    // Without Plaid's word on the Item we cannot store it honestly: remove it rather than orphan it.
    await removeAtPlaid(ctx, exchange.access_token);
    throw error;
  }
  const { institution, accounts, consentExpiresAt } = linked;
  const existing = await store.items.findByInstitution(applicantId, environment, institution.id);
  if (existing && existing.status !== 'removed') {
    // Link already created the second Item at Plaid: remove it so it is neither kept nor billed.
    await removeAtPlaid(ctx, exchange.access_token);
    throw new AppError({
      code: 'DUPLICATE_INSTITUTION',
      message: `${institution.name} is already linked for this applicant. Use the existing connection (choose "Re-link" if it needs the applicant to sign in again), or remove it first to link it anew.`,
      retryable: false,
    });
  }
  let item: Item;
  try {
    // The Item and its activity entry together or not at all: nothing half-recorded.
    item = await store.transaction(async () => {
      const added = await store.items.add({
        applicantId,
        environment,
        plaidItemId: exchange.item_id,
        accessToken: exchange.access_token,
        institutionId: institution.id,
        institutionName: institution.name,
        accounts,
        consentExpiresAt,
      });
      await store.activity.append({
        action: 'item_linked',
        applicantId,
        reportId: null,
        detail: {
          itemId: added.id,
          institution: added.institutionName,
          accounts: accounts.length,
          ...(ctx.emulatorId ? { emulator: ctx.emulatorId } : {}),
        },
      });
      return added;
    });
  } catch (error) {
    // Not kept here, so not kept at Plaid either: its access token would be lost with it.
    await removeAtPlaid(ctx, exchange.access_token);
    throw error;
  }
  ctx.log.info('item linked', { itemId: item.id, institutionId: item.institutionId });
  return item;
}

/** The Item's institution and the accounts the applicant shared, as Plaid records them. */
export async function linkedAtPlaid(gateway: PlaidGateway, accessToken: string) {
  const got = await gateway.call('/accounts/get', (p) => p.accountsGet({ access_token: accessToken }));
  const institutionId = got.item.institution_id;
  if (!institutionId)
    throw new AppError({
      code: 'INSTITUTION_UNKNOWN',
      message: 'Plaid did not say which bank this connection belongs to. Ask the applicant to link it again.',
      retryable: false,
    });
  let name = (got.item as { institution_name?: string | null }).institution_name ?? null;
  if (!name) {
    const found = await gateway.call('/institutions/get_by_id', (p) =>
      p.institutionsGetById({ institution_id: institutionId, country_codes: [CountryCode.Us] }),
    );
    name = found.institution.name;
  }
  const accounts: LinkedAccount[] = got.accounts.map((a) => ({
    accountId: a.account_id,
    name: a.name,
    mask: a.mask ?? null,
    type: String(a.type),
    subtype: a.subtype ? String(a.subtype) : null,
  }));
  // OAuth banks' consent runs out (Plaid's consent_expiration_time); the pipeline shows the earliest.
  return {
    institution: { id: institutionId, name },
    accounts,
    consentExpiresAt: got.item.consent_expiration_time ?? null,
  };
}

/**
 * The exchange was sent but its outcome is open (no answer, or Plaid's server error): Plaid may hold an Item whose access token never reached
 * us, and the public token cannot be exchanged again. Nothing was stored, so linking the same bank
 * again is not a duplicate; the officer's activity log keeps a note of the attempt.
 */
async function exchangeUnknown(ctx: ItemExchangeContext, applicantId: string, unknown: AppError): Promise<AppError> {
  await ctx.store.activity.append({
    action: 'item_link_outcome_unknown',
    applicantId,
    reportId: null,
    detail: {},
  });
  ctx.log.warn('public token exchange outcome unknown; nothing stored', { applicantId });
  // The gateway's message says what happened (no answer, or Plaid's server error) and what to check.
  return unknown;
}

async function removeAtPlaid(ctx: ItemExchangeContext, accessToken: string): Promise<void> {
  await ctx.gateway
    .removeItem(accessToken)
    .catch((error: unknown) => ctx.log.warn('could not remove the unwanted Item at Plaid', { error }));
}
