import type { LinkTokenCreateRequest } from 'plaid';
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
import { createSettlementTracker } from './hosted-link-settlement';
import type { LinkMetadataInput } from './items';

export interface HostedLinkDeps {
  store: AssetDeskStore;
  environment: PlaidEnvironment;
  gateway: PlaidGateway;
  events: EventSink;
  log: Logger;
  clock: () => Date;
  linkRequest(applicantId: string, extra: Partial<LinkTokenCreateRequest>): Promise<LinkTokenCreateRequest>;
  /** Exchanges a public token and stores the Item, as in-app Link does. */
  addItem(applicantId: string, publicToken: string, metadata: LinkMetadataInput): Promise<Item>;
  requireApplicant(applicantId: string): Promise<Applicant>;
  requireItem(itemId: string): Promise<Item>;
  /** How long Plaid keeps the URL valid (the officer's setting, seconds). */
  lifetimeSeconds(): Promise<number>;
  /** How often young sessions are polled via /link/token/get (ms; default 3 s). */
  pollMs?: number;
  /** On a team in emulator mode, this desk's built-in emulator (team/emulator-per-desk.ts); null otherwise. */
  emulatorId?: string | null;
}

/**
 * Hosted Link: a Plaid-hosted URL the applicant opens on their own device, valid for days. Sessions
 * are stored (link token and URL encrypted), resumed after a restart, settled through
 * /link/token/get on a timer and on Plaid's SESSION_FINISHED webhook, and end when Plaid's
 * expiration passes or the officer revokes them.
 */
export function createHostedLinkSessions(deps: HostedLinkDeps) {
  const { log, store, environment } = deps;
  const tracker = createSettlementTracker(deps);

  return {
    async create(applicantId: string, deliveryMethod?: HostedLinkDeliveryMethod) {
      const opened = await openSession(deps, applicantId, deliveryMethod);
      tracker.startPolling();
      return opened;
    },

    async status(hostedLinkId: string) {
      await requireSession(deps, hostedLinkId);
      const session = await tracker.settleOnce(hostedLinkId);
      return { status: session.status, items: await Promise.all(session.itemIds.map((id) => deps.requireItem(id))) };
    },

    async list(applicantId: string): Promise<HostedLinkSession[]> {
      await deps.requireApplicant(applicantId);
      return (await store.hostedLinkSessions.listForApplicant(applicantId, environment)).map(publicView);
    },

    /** The officer withdraws a link: AssetDesk forgets its token and ignores whatever the applicant does with it. */
    async revoke(hostedLinkId: string): Promise<HostedLinkSession> {
      const session = await requireSession(deps, hostedLinkId);
      await tracker.inFlight(hostedLinkId)?.catch(() => undefined);
      if ((await store.hostedLinkSessions.get(hostedLinkId))?.status !== 'waiting')
        return publicView(await requireSession(deps, hostedLinkId));
      const revoked = await store.hostedLinkSessions.finish(hostedLinkId, 'revoked');
      await store.activity.append({
        action: 'hosted_link_revoked',
        applicantId: session.applicantId,
        reportId: null,
        detail: { hostedLinkId },
      });
      log.info('hosted link revoked', { hostedLinkId });
      return publicView(revoked);
    },

    /** After a restart or an environment switch: keep following the sessions still waiting. */
    async resume(): Promise<void> {
      if ((await store.hostedLinkSessions.waiting(environment)).length > 0) tracker.startPolling();
    },

    /** Plaid's SESSION_FINISHED webhook: settle that session now rather than at the next poll. */
    async sessionFinished(linkToken: string): Promise<void> {
      for (const session of await store.hostedLinkSessions.waiting(environment)) {
        if ((await store.hostedLinkSessions.linkToken(session.id)) === linkToken) await tracker.settleOnce(session.id);
      }
    },

    /** Resolves once every settlement in flight has finished (shutdown, tests). */
    idle(): Promise<void> {
      return tracker.idle();
    },

    stop(): void {
      tracker.stopPolling();
    },
  };
}

/** Asks Plaid for a Hosted Link URL for the applicant and stores the new session as waiting. */
async function openSession(deps: HostedLinkDeps, applicantId: string, deliveryMethod?: HostedLinkDeliveryMethod) {
  const { store, environment } = deps;
  const applicant = await deps.requireApplicant(applicantId);
  const request = await deps.linkRequest(applicantId, { hosted_link: {} });
  const contact = deliveryMethod ? deliveryContact(applicant, deliveryMethod) : {};
  const lifetimeSeconds = await deps.lifetimeSeconds();
  const created = await deps.gateway.call('/link/token/create', (p) =>
    p.linkTokenCreate({
      ...request,
      user: { client_user_id: applicantId, ...contact },
      hosted_link: {
        url_lifetime_seconds: lifetimeSeconds,
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
  const session = await store.hostedLinkSessions.add({
    applicantId,
    environment,
    linkToken: created.link_token,
    url: created.hosted_link_url,
    // Plaid's expiration, not ours: Plaid may shorten what we asked for.
    expiration: created.expiration,
    deliveryMethod: deliveryMethod ?? null,
  });
  await store.activity.append({
    action: 'hosted_link_created',
    applicantId,
    reportId: null,
    detail: {
      hostedLinkId: session.id,
      expiration: created.expiration,
      deliveryMethod: deliveryMethod ?? null,
      ...(deps.emulatorId ? { emulator: deps.emulatorId } : {}),
    },
  });
  return { hostedLinkId: session.id, url: created.hosted_link_url, expiration: created.expiration };
}

async function requireSession(deps: HostedLinkDeps, hostedLinkId: string): Promise<HostedLinkSessionRecord> {
  const session = await deps.store.hostedLinkSessions.get(hostedLinkId);
  if (!session || session.environment !== deps.environment)
    throw new AppError({
      code: ErrorCodes.notFound,
      message: 'This Hosted Link is unknown in the current environment. Create a new link.',
      retryable: false,
    });
  return session;
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
