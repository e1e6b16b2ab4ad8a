import { checkLogin, type LoginOutcome } from './data/credentials';
import { accountIdFor } from './data/generator';
import { findInstitution, searchInstitutions } from './data/institutions';
import { credentialError, PlaidErrors } from './errors';
import type { SandboxApi } from './api';
import { ENVIRONMENT, newItemId, newRequestId, newUuid } from './ids';
import { isoSeconds } from './report';
import type { EmulatorStore, LinkSessionRecord, LinkTokenRecord } from './store';
import type { WebhookSender } from './webhooks';

/**
 * JSON endpoints behind the emulated Link UI (electron/emulator/link/): POST /link/ui/_api/<name>, each with a
 * link_token. Results land in the Link session, so /link/token/get and Hosted Link see them as on Plaid.
 */
type Body = Record<string, unknown>;

export interface LinkApiContext {
  api: SandboxApi;
  store: EmulatorStore;
  webhooks: WebhookSender;
  clock: () => Date;
  /** Link's own origin (where the bank sends the pop-up back when no redirect_uri is configured). */
  linkOrigin: () => string;
  /** The OAuth bank's origin: another loopback port, as a real bank is another site. */
  bankOrigin: () => string;
}

/** An OAuth hand-off in progress: the bank's answer and where to send the customer back. */
interface OAuthState {
  link_token: string;
  link_session_id: string;
  institution_id: string;
  decision: 'pending' | 'approved' | 'denied';
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export class LinkUiApi {
  // Kept in memory: an OAuth hand-off lives for the minute the customer spends at the bank.
  private readonly oauthStates = new Map<string, OAuthState>();

  constructor(private readonly ctx: LinkApiContext) {}

  handle(name: string, body: Body): Body {
    // A Hosted Link page knows only its hosted id; it learns the link token from 'session'.
    const hostedId = str(body.hosted_link_id);
    const linkToken =
      name === 'session' && str(body.link_token) === '' && hostedId !== ''
        ? (this.ctx.store.linkTokenByHostedId(hostedId)?.link_token ?? '')
        : str(body.link_token);
    const token = this.ctx.api.linkTokens.requireLinkToken(linkToken);
    switch (name) {
      case 'session':
        return this.session(token, body);
      case 'institutions':
        return this.institutions(token, body);
      case 'credentials':
        return this.credentials(token, body);
      case 'complete':
        return this.complete(token, body);
      case 'exit':
        return this.exit(token, body);
      case 'event':
        return this.event(token, body);
      case 'oauth_start':
        return this.oauthStart(token, body);
      case 'oauth_status':
        return this.oauthStatus(token, str(body.oauth_state_id));
      default:
        throw PlaidErrors.notFound();
    }
  }

  private updateItem(token: LinkTokenRecord) {
    if (!token.item_id) return null;
    const item = this.ctx.store.itemById(token.item_id);
    if (!item || item.removed)
      throw PlaidErrors.invalidLinkToken('the Item of this update-mode link token no longer exists');
    return item;
  }

  private session(token: LinkTokenRecord, body: Body): Body {
    if (body.hosted_link_id !== undefined && body.hosted_link_id !== token.hosted_link_id)
      throw PlaidErrors.invalidLinkToken();
    const resumed = this.resumeAfterRedirect(token, str(body.received_redirect_uri));
    if (resumed) return resumed;
    const item = this.updateItem(token);
    const institution = item ? findInstitution(item.institution_id) : undefined;
    const session: LinkSessionRecord = {
      link_session_id: newUuid(),
      link_token: token.link_token,
      started_at: isoSeconds(this.ctx.clock()),
      finished_at: null,
      events: [],
      exit: null,
      results: null,
      on_success: null,
      pending: null,
      status: null,
    };
    this.ctx.store.saveLinkSession(session);
    const hosted = (token.request.hosted_link ?? null) as Body | null;
    return {
      link_session_id: session.link_session_id,
      client_name: str(token.request.client_name),
      products: (token.request.products as string[] | undefined) ?? [],
      update_mode: item !== null,
      institution: institution ? { institution_id: institution.institution_id, name: institution.name } : null,
      hosted: token.hosted_link_id !== null,
      // The hosted page arrived with only its hosted id: it needs the token for the next calls.
      ...(token.hosted_link_id !== null ? { link_token: token.link_token } : {}),
      completion_redirect_uri:
        hosted && typeof hosted.completion_redirect_uri === 'string' ? hosted.completion_redirect_uri : null,
    };
  }

  /**
   * Re-initialisation after an OAuth redirect: Link is created again with the same token and
   * `receivedRedirectUri` (the redirect_uri plus `oauth_state_id`), and carries on with the same session.
   */
  private resumeAfterRedirect(token: LinkTokenRecord, receivedRedirectUri: string): Body | null {
    if (receivedRedirectUri === '' || !URL.canParse(receivedRedirectUri)) return null;
    const received = new URL(receivedRedirectUri);
    const configured = str(token.request.redirect_uri);
    if (configured === '' || `${received.origin}${received.pathname}` !== configured)
      throw PlaidErrors.invalidField('received_redirect_uri does not match the redirect_uri of this link token');
    const stateId = received.searchParams.get('oauth_state_id') ?? '';
    const status = this.oauthStatus(token, stateId);
    return {
      link_session_id: status.link_session_id,
      client_name: str(token.request.client_name),
      products: (token.request.products as string[] | undefined) ?? [],
      update_mode: false,
      institution: null,
      hosted: false,
      completion_redirect_uri: null,
      oauth_resume: status,
    };
  }

  private oauthStart(token: LinkTokenRecord, body: Body): Body {
    const session = this.requireSession(token, body);
    const institution = findInstitution(str(body.institution_id));
    if (!institution?.oauth) throw PlaidErrors.invalidInstitution();
    const stateId = newUuid();
    this.oauthStates.set(stateId, {
      link_token: token.link_token,
      link_session_id: session.link_session_id,
      institution_id: institution.institution_id,
      decision: 'pending',
    });
    const query = new URLSearchParams({
      oauth: '1',
      oauth_state_id: stateId,
      institution_name: institution.name,
      client_name: str(token.request.client_name),
    });
    return {
      oauth_state_id: stateId,
      authorize_url: `${this.ctx.bankOrigin()}/link/ui/index.html?${query.toString()}`,
    };
  }

  private oauthStatus(
    token: LinkTokenRecord,
    stateId: string,
  ): {
    status: OAuthState['decision'];
    link_session_id: string;
    institution: { institution_id: string; name: string };
  } {
    const state = this.oauthStates.get(stateId);
    if (!state || state.link_token !== token.link_token)
      throw PlaidErrors.invalidField('oauth_state_id does not belong to this link_token');
    const institution = this.institutionRef(state.institution_id);
    if (!institution) throw PlaidErrors.invalidInstitution();
    return { status: state.decision, link_session_id: state.link_session_id, institution };
  }

  /**
   * The bank's consent page answers (on the bank's origin): the customer goes back to the app's redirect_uri
   * when the link token has one, else to Link's own return page, which hands the result to Link.
   */
  oauthDecision(body: Body): Body {
    const stateId = str(body.oauth_state_id);
    const state = this.oauthStates.get(stateId);
    if (!state || state.decision !== 'pending') throw PlaidErrors.invalidField('unknown or used oauth_state_id');
    state.decision = body.approved === true ? 'approved' : 'denied';
    const token = this.ctx.store.linkToken(state.link_token);
    const redirectUri = str(token?.request.redirect_uri);
    const query = new URLSearchParams({ oauth_state_id: stateId });
    return {
      redirect:
        redirectUri !== ''
          ? `${redirectUri}?${query.toString()}`
          : `${this.ctx.linkOrigin()}/link/ui/index.html?oauth_return=1&${query.toString()}`,
    };
  }

  private institutions(token: LinkTokenRecord, body: Body): Body {
    const countries = (token.request.country_codes as string[] | undefined) ?? ['US'];
    return {
      institutions: searchInstitutions(str(body.query), countries).map((i) => ({
        institution_id: i.institution_id,
        name: i.name,
        oauth: i.oauth,
        status: i.health,
      })),
    };
  }

  private requireSession(token: LinkTokenRecord, body: Body): LinkSessionRecord {
    const session = this.ctx.store.linkSession(str(body.link_session_id));
    if (!session || session.link_token !== token.link_token)
      throw PlaidErrors.invalidField('link_session_id does not belong to this link_token');
    return session;
  }

  private login(token: LinkTokenRecord, body: Body, skipMfa: boolean) {
    const item = this.updateItem(token);
    const institutionId = item ? item.institution_id : str(body.institution_id);
    const institution = findInstitution(institutionId);
    if (!institution) throw PlaidErrors.invalidInstitution();
    const mfa = body.mfa_code;
    const outcome = checkLogin({
      institution,
      username: str(body.username),
      password: str(body.password),
      mfaCode: typeof mfa === 'string' ? mfa : null,
      skipMfa,
    });
    // Update mode re-validates the same login: another Sandbox user is a wrong credential for this Item.
    if (item && outcome.persona.username !== item.username) throw credentialError('INVALID_CREDENTIALS');
    return { item, institution, outcome };
  }

  private credentials(token: LinkTokenRecord, body: Body): Body {
    const session = this.requireSession(token, body);
    const { item, institution, outcome } = this.login(token, body, false);
    if (outcome.status === 'mfa_required') {
      return {
        status: 'mfa_required',
        mfa_type: 'device',
        prompt: 'Enter the code we sent to your device (Sandbox code: 1234).',
      };
    }
    const itemId =
      item?.item_id ??
      (session.pending && samePending(session.pending, institution.institution_id, outcome)
        ? session.pending.item_id
        : newItemId());
    session.pending = {
      institution_id: institution.institution_id,
      username: outcome.persona.username,
      item_id: itemId,
      custom_user: outcome.customUser,
    };
    this.ctx.store.saveLinkSession(session);
    return {
      status: 'select_accounts',
      accounts: outcome.persona.accounts.map((a) => ({
        id: accountIdFor(itemId, a.key),
        name: a.name,
        mask: a.mask,
        type: a.type,
        subtype: a.subtype,
      })),
    };
  }

  private complete(token: LinkTokenRecord, body: Body): Body {
    const session = this.requireSession(token, body);
    const { item, institution, outcome } = this.login(token, body, true);
    const pending = session.pending;
    if (!pending || !samePending(pending, institution.institution_id, outcome)) {
      throw PlaidErrors.invalidField('submit credentials for this institution before completing Link');
    }
    const persona = outcome.persona;
    const selected = new Set(Array.isArray(body.account_ids) ? (body.account_ids as unknown[]).map(String) : []);
    const accounts = persona.accounts
      .map((a) => ({
        id: accountIdFor(pending.item_id, a.key),
        name: a.name,
        mask: a.mask,
        type: a.type,
        subtype: a.subtype,
        verification_status: null,
        class_type: null,
      }))
      .filter((a) => selected.size === 0 || selected.has(a.id));
    if (selected.size > 0 && accounts.length !== selected.size)
      throw PlaidErrors.invalidAccountId([...selected].filter((id) => !accounts.some((a) => a.id === id)));
    let publicToken: string;
    if (item) {
      this.ctx.api.items.repairItem(item);
      publicToken = this.ctx.api.items.issuePublicToken(item);
    } else {
      const products = [
        ...((token.request.products as string[] | undefined) ?? []),
        ...((token.request.optional_products as string[] | undefined) ?? []),
      ];
      publicToken = this.ctx.api.items.createItem({
        itemId: pending.item_id,
        institutionId: institution.institution_id,
        username: persona.username,
        products,
        webhook: typeof token.request.webhook === 'string' ? token.request.webhook : null,
        // /accounts/get answers with what the customer shared, so the app need not trust Link's metadata.
        accountIds: selected.size > 0 ? accounts.map((a) => a.id) : null,
        customUser: outcome.customUser,
      }).publicToken;
    }
    const metadata = {
      institution: { name: institution.name, institution_id: institution.institution_id },
      accounts,
      link_session_id: session.link_session_id,
      transfer_status: null,
    };
    session.finished_at = isoSeconds(this.ctx.clock());
    session.status = 'SUCCESS';
    session.results = {
      item_add_results: [
        {
          public_token: publicToken,
          accounts: accounts.map(({ class_type: _c, ...a }) => a),
          institution: metadata.institution,
        },
      ],
      cra_item_add_results: [],
      cra_update_results: [],
      bank_income_results: [],
      payroll_income_results: [],
      document_income_results: null,
    };
    session.on_success = {
      public_token: publicToken,
      metadata: { ...metadata, accounts: accounts.map(({ class_type: _c, ...a }) => a) },
    };
    this.ctx.store.saveLinkSession(session);
    this.sessionFinished(token, session, [publicToken]);
    return { public_token: publicToken, metadata };
  }

  private exit(token: LinkTokenRecord, body: Body): Body {
    const session = this.requireSession(token, body);
    const error = body.error && typeof body.error === 'object' ? (body.error as Body) : null;
    session.finished_at = isoSeconds(this.ctx.clock());
    session.status = 'EXITED';
    session.exit = {
      error: error
        ? {
            error_type: error.error_type ?? null,
            error_code: error.error_code ?? null,
            error_message: error.error_message ?? null,
            display_message: error.display_message ?? null,
          }
        : null,
      metadata: {
        institution: session.pending ? this.institutionRef(session.pending.institution_id) : null,
        status: typeof body.status === 'string' ? body.status : null,
        link_session_id: session.link_session_id,
        request_id: newRequestId(),
      },
    };
    this.ctx.store.saveLinkSession(session);
    this.sessionFinished(token, session, []);
    return { ok: true };
  }

  private event(token: LinkTokenRecord, body: Body): Body {
    const session = this.requireSession(token, body);
    const metadata = body.metadata && typeof body.metadata === 'object' ? (body.metadata as Body) : {};
    session.events.push({
      event_name: str(body.event_name),
      timestamp: str(metadata.timestamp) || new Date(this.ctx.clock()).toISOString(),
      event_id: newUuid(),
      event_metadata: metadata,
    });
    this.ctx.store.saveLinkSession(session);
    return { ok: true };
  }

  private institutionRef(id: string): { name: string; institution_id: string } | null {
    const institution = findInstitution(id);
    return institution ? { name: institution.name, institution_id: institution.institution_id } : null;
  }

  /** Hosted Link reports its outcome with LINK SESSION_FINISHED to the token's webhook. */
  private sessionFinished(token: LinkTokenRecord, session: LinkSessionRecord, publicTokens: string[]): void {
    const webhook = token.request.webhook;
    if (token.hosted_link_id === null || typeof webhook !== 'string') return;
    this.ctx.webhooks.send(webhook, {
      webhook_type: 'LINK',
      webhook_code: 'SESSION_FINISHED',
      status: session.status === 'SUCCESS' ? 'SUCCESS' : 'EXITED',
      link_session_id: session.link_session_id,
      link_token: token.link_token,
      public_tokens: publicTokens,
      ...(publicTokens[0] ? { public_token: publicTokens[0] } : {}),
      environment: ENVIRONMENT,
    });
  }
}

/** The login the session's pending Item was made for: same bank, same Sandbox user, same custom configuration. */
function samePending(
  pending: NonNullable<LinkSessionRecord['pending']>,
  institutionId: string,
  outcome: LoginOutcome,
): boolean {
  return (
    pending.institution_id === institutionId &&
    pending.username === outcome.persona.username &&
    (pending.custom_user ?? null) === outcome.customUser
  );
}
