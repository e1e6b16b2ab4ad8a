import type { LinkTokenCreateRequest, LinkTokenGetResponse } from 'plaid';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type {
  Applicant,
  HostedLinkDeliveryMethod,
  HostedLinkSession,
  Item,
  PlaidEnvironment,
} from '../../../shared/domain';
import type { EventSink } from '../../../shared/ipc/contract';
import type { AssetDeskStore, HostedLinkSessionRecord } from '../../db';
import type { Logger } from '../../log/logger';
import type { PlaidGateway } from '../plaid-gateway';
import type { LinkMetadataInput } from './items';

export interface HostedLinkDeps {
  store: AssetDeskStore;
  environment: PlaidEnvironment;
  gateway: PlaidGateway;
  events: EventSink;
  log: Logger;
  clock: () => Date;
  linkRequest(applicantId: string, extra: Partial<LinkTokenCreateRequest>): LinkTokenCreateRequest;
  /** Exchanges a public token and stores the Item, as in-app Link does. */
  addItem(applicantId: string, publicToken: string, metadata: LinkMetadataInput): Promise<Item>;
  requireApplicant(applicantId: string): Applicant;
  requireItem(itemId: string): Item;
  /** How long Plaid keeps the URL valid (the officer's setting, seconds). */
  lifetimeSeconds(): number;
  /** How often young sessions are polled via /link/token/get (ms; default 3 s). */
  pollMs?: number;
}

// After its first hour a session is checked once a minute: the applicant may take days, Plaid's rate limits do not.
const YOUNG_MS = 60 * 60_000;
const SLOW_POLL_MS = 60_000;

/**
 * Hosted Link: a Plaid-hosted URL the applicant opens on their own device, valid for days. Sessions
 * are stored (link token and URL encrypted), resumed after a restart, settled through
 * /link/token/get on a timer and on Plaid's SESSION_FINISHED webhook, and end when Plaid's
 * expiration passes or the officer revokes them.
 */
export function createHostedLinkSessions(deps: HostedLinkDeps) {
  const { gateway, log, store, environment } = deps;
  const settling = new Map<string, Promise<HostedLinkSessionRecord>>();
  const lastPolled = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  const requireSession = (hostedLinkId: string): HostedLinkSessionRecord => {
    const session = store.hostedLinkSessions.get(hostedLinkId);
    if (!session || session.environment !== environment)
      throw new AppError({
        code: ErrorCodes.notFound,
        message: 'This Hosted Link is unknown in the current environment. Create a new link.',
        retryable: false,
      });
    return session;
  };

  const settleOnce = (hostedLinkId: string): Promise<HostedLinkSessionRecord> => {
    const running = settling.get(hostedLinkId);
    if (running) return running;
    const work = settle(deps, hostedLinkId).finally(() => settling.delete(hostedLinkId));
    settling.set(hostedLinkId, work);
    return work;
  };

  const pollDue = () => {
    const now = deps.clock().getTime();
    const waiting = store.hostedLinkSessions.waiting(environment);
    for (const session of waiting) {
      const young = now - Date.parse(session.createdAt) < YOUNG_MS;
      const last = lastPolled.get(session.id) ?? 0;
      if (!young && now - last < SLOW_POLL_MS) continue;
      lastPolled.set(session.id, now);
      void settleOnce(session.id).catch((error: unknown) =>
        log.warn('hosted link poll failed', { hostedLinkId: session.id, code: (error as AppError).code }),
      );
    }
    if (waiting.length === 0) stopTimer();
  };

  const startTimer = () => {
    if (timer) return;
    timer = setInterval(() => {
      try {
        pollDue();
      } catch (error) {
        // The store may be closing under us at shutdown; the next start resumes from the rows.
        log.warn('hosted link poll skipped', { code: (error as AppError).code });
      }
    }, deps.pollMs ?? 3_000);
    timer.unref();
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    async create(applicantId: string, deliveryMethod?: HostedLinkDeliveryMethod) {
      const applicant = deps.requireApplicant(applicantId);
      const request = deps.linkRequest(applicantId, { hosted_link: {} });
      const contact = deliveryMethod ? deliveryContact(applicant, deliveryMethod) : {};
      const created = await gateway.call('/link/token/create', (p) =>
        p.linkTokenCreate({
          ...request,
          user: { client_user_id: applicantId, ...contact },
          hosted_link: {
            url_lifetime_seconds: deps.lifetimeSeconds(),
            ...(deliveryMethod ? { delivery_method: deliveryMethod as never } : {}),
          },
        }),
      );
      if (!created.hosted_link_url) {
        throw new AppError({
          code: 'HOSTED_LINK_UNAVAILABLE',
          message: 'Plaid did not return a Hosted Link address. Use "Link a bank" in AssetDesk instead.',
          retryable: false,
        });
      }
      const session = store.hostedLinkSessions.add({
        applicantId,
        environment,
        linkToken: created.link_token,
        url: created.hosted_link_url,
        // Plaid's expiration, not ours: Plaid may shorten what we asked for.
        expiration: created.expiration,
        deliveryMethod: deliveryMethod ?? null,
      });
      store.activity.append({
        action: 'hosted_link_created',
        applicantId,
        reportId: null,
        detail: { hostedLinkId: session.id, expiration: created.expiration, deliveryMethod: deliveryMethod ?? null },
      });
      startTimer();
      return { hostedLinkId: session.id, url: created.hosted_link_url, expiration: created.expiration };
    },

    async status(hostedLinkId: string) {
      requireSession(hostedLinkId);
      const session = await settleOnce(hostedLinkId);
      return { status: session.status, items: session.itemIds.map((id) => deps.requireItem(id)) };
    },

    list(applicantId: string): HostedLinkSession[] {
      deps.requireApplicant(applicantId);
      return store.hostedLinkSessions.listForApplicant(applicantId, environment).map(publicView);
    },

    /** The officer withdraws a link: AssetDesk forgets its token and ignores whatever the applicant does with it. */
    async revoke(hostedLinkId: string): Promise<HostedLinkSession> {
      const session = requireSession(hostedLinkId);
      await settling.get(hostedLinkId)?.catch(() => undefined);
      if (store.hostedLinkSessions.get(hostedLinkId)?.status !== 'waiting')
        return publicView(requireSession(hostedLinkId));
      const revoked = store.hostedLinkSessions.finish(hostedLinkId, 'revoked');
      store.activity.append({
        action: 'hosted_link_revoked',
        applicantId: session.applicantId,
        reportId: null,
        detail: { hostedLinkId },
      });
      log.info('hosted link revoked', { hostedLinkId });
      return publicView(revoked);
    },

    /** After a restart or an environment switch: keep following the sessions still waiting. */
    resume(): void {
      if (store.hostedLinkSessions.waiting(environment).length > 0) startTimer();
    },

    /** Plaid's SESSION_FINISHED webhook: settle that session now rather than at the next poll. */
    async sessionFinished(linkToken: string): Promise<void> {
      for (const session of store.hostedLinkSessions.waiting(environment)) {
        if (store.hostedLinkSessions.linkToken(session.id) === linkToken) await settleOnce(session.id);
      }
    },

    /** Resolves once every settlement in flight has finished (shutdown, tests). */
    async idle(): Promise<void> {
      while (settling.size > 0) await Promise.allSettled([...settling.values()]);
    },

    stop(): void {
      stopTimer();
    },
  };
}

export type HostedLinkSessions = ReturnType<typeof createHostedLinkSessions>;

const publicView = ({ environment: _environment, ...session }: HostedLinkSessionRecord): HostedLinkSession => session;

/** What Plaid needs to deliver the link itself: E.164 phone for SMS, the address for e-mail. */
export function deliveryContact(applicant: Applicant, method: HostedLinkDeliveryMethod) {
  if (method === 'email') {
    if (!applicant.email) throw missingContact('an e-mail address');
    return { email_address: applicant.email };
  }
  const digits = applicant.phone.replace(/[^\d]/g, '');
  if (digits.length < 10) throw missingContact('a phone number');
  // US numbers without a country code get +1, as Plaid expects E.164.
  return { phone_number: applicant.phone.trim().startsWith('+') ? `+${digits}` : `+1${digits.slice(-10)}` };
}

const missingContact = (what: string) =>
  new AppError({
    code: 'HOSTED_LINK_CONTACT_MISSING',
    message: `The applicant has no ${what.replace(/^an? /, '')} on file. Add ${what} to the applicant, or copy the link and send it yourself.`,
    retryable: false,
  });

async function addResults(deps: HostedLinkDeps, session: HostedLinkSessionRecord, got: LinkTokenGetResponse) {
  const finished = (got.link_sessions ?? []).filter((s) => s.finished_at || s.results || s.exit);
  const results = finished.flatMap((s) => s.results?.item_add_results ?? []);
  let added = 0;
  for (const result of results) {
    try {
      // Only the public token matters: the Item's bank and accounts are read back from Plaid.
      const item = await deps.addItem(session.applicantId, result.public_token, {
        institution: { institution_id: result.institution?.institution_id ?? 'unknown', name: 'Bank' },
        accounts: [],
        link_session_id: '',
      });
      deps.store.hostedLinkSessions.addItem(session.id, item.id);
      added += 1;
    } catch (error) {
      deps.log.warn('hosted link result not added', { hostedLinkId: session.id, code: (error as AppError).code });
    }
  }
  return { finished: finished.length, added };
}

/** Asks Plaid how the session went, adds any Items it produced, and ends it once Plaid says it is over. */
async function settle(deps: HostedLinkDeps, hostedLinkId: string): Promise<HostedLinkSessionRecord> {
  const { store } = deps;
  const session = store.hostedLinkSessions.get(hostedLinkId)!;
  const linkToken = session.status === 'waiting' ? store.hostedLinkSessions.linkToken(hostedLinkId) : null;
  if (!linkToken) return session;
  let got: LinkTokenGetResponse;
  try {
    got = await deps.gateway.call('/link/token/get', (p) => p.linkTokenGet({ link_token: linkToken }));
  } catch (error) {
    // Plaid no longer knows the token: the link cannot be used any more.
    if (error instanceof AppError && error.code === 'INVALID_LINK_TOKEN') return end(deps, session, 'expired');
    throw error;
  }
  const expiration = got.expiration ?? session.expiration;
  if (expiration !== session.expiration) store.hostedLinkSessions.setExpiration(hostedLinkId, expiration);
  // The officer may have revoked it while Plaid answered.
  if (store.hostedLinkSessions.get(hostedLinkId)?.status !== 'waiting')
    return store.hostedLinkSessions.get(hostedLinkId)!;
  const { finished, added } = await addResults(deps, session, got);
  if (finished > 0) return end(deps, session, added > 0 ? 'completed' : 'exited');
  if (Date.parse(expiration) <= deps.clock().getTime()) return end(deps, session, 'expired');
  return store.hostedLinkSessions.get(hostedLinkId)!;
}

function end(
  deps: HostedLinkDeps,
  session: HostedLinkSessionRecord,
  status: 'completed' | 'exited' | 'expired',
): HostedLinkSessionRecord {
  const ended = deps.store.hostedLinkSessions.finish(session.id, status);
  deps.log.info('hosted link ended', { hostedLinkId: session.id, status });
  deps.events.emit('link:hostedFinished', { hostedLinkId: session.id, applicantId: session.applicantId, status });
  return ended;
}
