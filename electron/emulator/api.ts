import { obj, type ApiContext, type Body } from './api-context';
import { AssetReportEndpoints } from './asset-report-endpoints';
import { findInstitution, institutionJson, institutionProducts, searchInstitutions } from './data/institutions';
import { PlaidErrors } from './errors';
import { ItemEndpoints } from './item-endpoints';
import { LinkTokenEndpoints } from './link-token-endpoints';
import { publishedKey } from './webhooks';

/**
 * The emulated Plaid API, one part per family of endpoints (the server's route table names the part):
 * Items in item-endpoints.ts, Link tokens in link-token-endpoints.ts, Asset Reports and audit copies in
 * asset-report-endpoints.ts; the institutions and the webhook verification key are answered here.
 */
export class SandboxApi {
  readonly items: ItemEndpoints;
  readonly linkTokens: LinkTokenEndpoints;
  readonly assetReports: AssetReportEndpoints;

  constructor(private readonly ctx: ApiContext) {
    this.items = new ItemEndpoints(ctx);
    this.linkTokens = new LinkTokenEndpoints(ctx, this.items);
    this.assetReports = new AssetReportEndpoints(ctx, this.items);
  }

  // ---- Institutions -------------------------------------------------------------------------------------

  institutionsGetById(body: Body): Body {
    const institution = findInstitution(String(body.institution_id));
    const countries = body.country_codes as string[];
    if (!institution || !institution.country_codes.some((c) => countries.includes(c)))
      throw PlaidErrors.invalidInstitution();
    return { institution: institutionJson(institution, obj(body.options), this.ctx.clock()) };
  }

  institutionsSearch(body: Body): Body {
    const products = (body.products as string[] | null | undefined) ?? [];
    const found = searchInstitutions(String(body.query), body.country_codes as string[]).filter((i) =>
      products.every((p) => institutionProducts(i).includes(p)),
    );
    return { institutions: found.map((i) => institutionJson(i, obj(body.options), this.ctx.clock())) };
  }

  webhookVerificationKeyGet(body: Body): Body {
    if (body.key_id !== this.ctx.webhookKey.kid) throw PlaidErrors.invalidWebhookKeyId();
    return { key: publishedKey(this.ctx.webhookKey) };
  }
}
