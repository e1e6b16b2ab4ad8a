import { randomUUID } from 'node:crypto';
import type { LinkTokenCreateRequest, LinkTokenGetResponse } from 'plaid';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { Item } from '../../../shared/domain';
import type { EventSink } from '../../../shared/ipc/contract';
import type { Logger } from '../../log/logger';
import type { PlaidGateway } from '../plaid-gateway';
import type { LinkMetadataInput } from './items';

interface HostedSession {
  applicantId: string;
  linkToken: string;
  expiration: string;
  status: 'waiting' | 'completed' | 'exited' | 'expired';
  itemIds: string[];
  timer?: NodeJS.Timeout;
  settling?: Promise<void>;
}

export interface HostedLinkDeps {
  gateway: PlaidGateway;
  events: EventSink;
  log: Logger;
  linkRequest(applicantId: string, extra: Partial<LinkTokenCreateRequest>): LinkTokenCreateRequest;
  /** Exchanges a public token and stores the Item, as in-app Link does. */
  addItem(applicantId: string, publicToken: string, metadata: LinkMetadataInput): Promise<Item>;
  requireApplicant(applicantId: string): unknown;
  requireItem(itemId: string): Item;
  /** How often sessions are polled via /link/token/get (ms; default 3 s). */
  pollMs?: number;
}

/**
 * Hosted Link: a Plaid-hosted URL the applicant opens on their own device. Sessions live in memory
 * (they expire within hours); each is settled by /link/token/get, on a timer and on Plaid's webhook.
 */
export function createHostedLinkSessions(deps: HostedLinkDeps) {
  const { gateway, log } = deps;
  const hosted = new Map<string, HostedSession>();

  return {
    async create(applicantId: string) {
      deps.requireApplicant(applicantId);
      const created = await gateway.call('/link/token/create', (p) =>
        p.linkTokenCreate(deps.linkRequest(applicantId, { hosted_link: {} })),
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
        void settle(deps, hostedLinkId, session).catch((error: unknown) =>
          log.warn('hosted link poll failed', { hostedLinkId, error }),
        );
      }, deps.pollMs ?? 3_000);
      session.timer.unref();
      return { hostedLinkId, url: created.hosted_link_url, expiration: created.expiration };
    },

    async status(hostedLinkId: string) {
      const session = hosted.get(hostedLinkId);
      if (!session)
        throw new AppError({
          code: ErrorCodes.notFound,
          message: 'This Hosted Link session is unknown (AssetDesk may have restarted). Create a new link.',
          retryable: false,
        });
      await settle(deps, hostedLinkId, session);
      return { status: session.status, items: session.itemIds.map((id) => deps.requireItem(id)) };
    },

    /** Plaid's SESSION_FINISHED webhook: settle that session now rather than at the next poll. */
    async sessionFinished(linkToken: string): Promise<void> {
      for (const [hostedLinkId, session] of hosted) {
        if (session.linkToken === linkToken) await settle(deps, hostedLinkId, session);
      }
    },

    stop(): void {
      for (const session of hosted.values()) if (session.timer) clearInterval(session.timer);
    },
  };
}

export type HostedLinkSessions = ReturnType<typeof createHostedLinkSessions>;

async function addResults(
  deps: HostedLinkDeps,
  hostedLinkId: string,
  session: HostedSession,
  got: LinkTokenGetResponse,
) {
  const finished = (got.link_sessions ?? []).filter((s) => s.finished_at || s.results || s.exit);
  const results = finished.flatMap((s) => s.results?.item_add_results ?? []);
  for (const result of results) {
    try {
      const item = await deps.addItem(session.applicantId, result.public_token, {
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
      deps.log.warn('hosted link result not added', { hostedLinkId, code: (error as AppError).code });
    }
  }
  return { finished: finished.length, added: results.length };
}

/** Asks Plaid how the session went, adds any Items it produced, and says so once it is over. */
async function settle(deps: HostedLinkDeps, hostedLinkId: string, session: HostedSession): Promise<void> {
  if (session.status !== 'waiting') return;
  if (session.settling) return session.settling;
  session.settling = (async () => {
    const got: LinkTokenGetResponse = await deps.gateway.call('/link/token/get', (p) =>
      p.linkTokenGet({ link_token: session.linkToken }),
    );
    const { finished, added } = await addResults(deps, hostedLinkId, session, got);
    if (finished > 0) {
      session.status = added > 0 ? 'completed' : 'exited';
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
