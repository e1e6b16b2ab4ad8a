import { obj, str, type ApiContext, type Body } from './api-context';
import type { EmulatorClient } from './clients';
import { PlaidErrors } from './errors';
import { newLinkToken, newOpaqueId } from './ids';
import { KNOWN_PRODUCTS, type ItemEndpoints } from './item-endpoints';
import { isoSeconds } from './report';
import type { ItemRecord, LinkTokenRecord } from './store';

const LINK_TOKEN_TTL_MS = 4 * 3600_000;
const UPDATE_LINK_TOKEN_TTL_MS = 30 * 60_000;
/**
 * Plaid asks for an application's own user id here, "typically a user ID number", and no PII: an e-mail address is
 * the one thing that cannot be such an id, so only that is refused (digits and dashes are ordinary ids).
 */
const LOOKS_LIKE_EMAIL = /@/;

/** /link/token/create and /link/token/get, and the check Link makes of the token it is opened with. */
export class LinkTokenEndpoints {
  constructor(
    private readonly ctx: ApiContext,
    private readonly items: ItemEndpoints,
  ) {}

  linkTokenCreate(body: Body, client: EmulatorClient = this.ctx.clients.owner): Body {
    const now = this.ctx.clock();
    const products = (body.products as string[] | undefined) ?? [];
    const asked = [...products, ...((body.optional_products as string[] | undefined) ?? [])];
    if (asked.includes('assets') && !client.entitlements.assets) throw PlaidErrors.invalidProduct(['assets']);
    const accessToken = str(body.access_token);
    const user = obj(body.user);
    if (!body.user && !body.user_id) throw PlaidErrors.missingFields(['user']);
    if (LOOKS_LIKE_EMAIL.test(str(user.client_user_id) ?? '')) {
      throw PlaidErrors.invalidField(
        'user.client_user_id must not contain personally identifiable information such as an email address',
      );
    }
    const unknown = products.filter((p) => !KNOWN_PRODUCTS.has(p));
    if (unknown.length > 0) throw PlaidErrors.invalidProduct(unknown);
    let item: ItemRecord | null = null;
    if (accessToken !== undefined) {
      item = this.items.requireItem(accessToken);
    } else if (products.length === 0) {
      throw PlaidErrors.invalidField(
        'products must contain at least one product unless access_token is provided (update mode)',
      );
    }
    const redirectUri = str(body.redirect_uri);
    if (redirectUri !== undefined && redirectUri !== '') {
      const url = URL.canParse(redirectUri) ? new URL(redirectUri) : null;
      const valid =
        url !== null &&
        !url.search &&
        !url.hash &&
        (url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname)));
      if (!valid)
        throw PlaidErrors.invalidField(
          'redirect_uri must be an https URL (or http://localhost in Sandbox) without query string or fragment',
        );
    }
    const hosted = body.hosted_link !== undefined && body.hosted_link !== null ? obj(body.hosted_link) : null;
    const lifetimeSeconds =
      hosted && typeof hosted.url_lifetime_seconds === 'number' ? hosted.url_lifetime_seconds : null;
    const ttl =
      lifetimeSeconds !== null
        ? lifetimeSeconds * 1000
        : item
          ? UPDATE_LINK_TOKEN_TTL_MS
          : hosted
            ? 30 * 60_000
            : LINK_TOKEN_TTL_MS;
    const record: LinkTokenRecord = {
      link_token: newLinkToken(),
      created_at: isoSeconds(now),
      expiration: isoSeconds(new Date(now.getTime() + ttl)),
      request: withoutCredentials(body),
      item_id: item?.item_id ?? null,
      hosted_link_id: hosted ? newOpaqueId() : null,
    };
    this.ctx.store.insertLinkToken(record);
    const response: Body = { link_token: record.link_token, expiration: record.expiration };
    if (record.hosted_link_id) response.hosted_link_url = `${this.ctx.baseUrl()}/hosted-link/${record.hosted_link_id}`;
    return response;
  }

  linkTokenGet(body: Body): Body {
    const record = this.ctx.store.linkToken(String(body.link_token));
    if (!record) throw PlaidErrors.invalidLinkToken();
    const request = record.request;
    return {
      link_token: record.link_token,
      created_at: record.created_at,
      expiration: record.expiration,
      metadata: {
        initial_products: (request.products as string[] | undefined) ?? [],
        webhook: str(request.webhook) ?? null,
        country_codes: (request.country_codes as string[] | undefined) ?? [],
        language: str(request.language) ?? null,
        ...(request.institution_data ? { institution_data: request.institution_data } : {}),
        ...(request.account_filters ? { account_filters: request.account_filters } : {}),
        redirect_uri: str(request.redirect_uri) ?? null,
        client_name: str(request.client_name) ?? null,
      },
      link_sessions: this.ctx.store.linkSessionsOf(record.link_token).map((s) => ({
        link_session_id: s.link_session_id,
        started_at: s.started_at,
        finished_at: s.finished_at,
        events: s.events,
        exit: s.exit,
        results: s.results,
        on_success: s.on_success,
      })),
    };
  }

  /** A usable Link token (not expired), or INVALID_LINK_TOKEN. */
  requireLinkToken(linkToken: string): LinkTokenRecord {
    const record = this.ctx.store.linkToken(linkToken);
    if (!record) throw PlaidErrors.invalidLinkToken();
    if (new Date(record.expiration).getTime() <= this.ctx.clock().getTime())
      throw PlaidErrors.invalidLinkToken('link token has expired');
    return record;
  }
}

function withoutCredentials(body: Body): Body {
  const { client_id: _c, secret: _s, ...rest } = body;
  return rest;
}
