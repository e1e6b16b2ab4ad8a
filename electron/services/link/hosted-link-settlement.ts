import type { LinkTokenGetResponse } from 'plaid';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { HostedLinkSessionRecord } from '../../db';
import type { HostedLinkDeps } from './hosted-link';
import { hostedLinkInAnotherEmulator } from '../team/emulator-per-desk';

// After its first hour a session is checked once a minute: the applicant may take days, Plaid's rate limits do not.
const YOUNG_MS = 60 * 60_000;
const SLOW_POLL_MS = 60_000;

/**
 * Follows the Hosted Link sessions still waiting: one settlement at a time per session, polled on a
 * timer that runs only while some session waits.
 */
export function createSettlementTracker(deps: HostedLinkDeps) {
  const { log, store, environment } = deps;
  const settling = new Map<string, Promise<HostedLinkSessionRecord>>();
  const lastPolled = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  const settleOnce = (hostedLinkId: string): Promise<HostedLinkSessionRecord> => {
    const running = settling.get(hostedLinkId);
    if (running) return running;
    const work = settle(deps, hostedLinkId).finally(() => settling.delete(hostedLinkId));
    settling.set(hostedLinkId, work);
    return work;
  };

  const pollDue = async () => {
    const now = deps.clock().getTime();
    const waiting = await store.hostedLinkSessions.waiting(environment);
    for (const session of waiting) {
      const young = now - Date.parse(session.createdAt) < YOUNG_MS;
      const last = lastPolled.get(session.id) ?? 0;
      if (!young && now - last < SLOW_POLL_MS) continue;
      lastPolled.set(session.id, now);
      void settleOnce(session.id).catch((error: unknown) =>
        log.warn('hosted link poll failed', { hostedLinkId: session.id, code: (error as AppError).code }),
      );
    }
    if (waiting.length === 0) stopPolling();
  };

  const startPolling = () => {
    if (timer) return;
    timer = setInterval(async () => {
      try {
        await pollDue();
      } catch (error) {
        // The store may be closing under us at shutdown; the next start resumes from the rows.
        log.warn('hosted link poll skipped', { code: (error as AppError).code });
      }
    }, deps.pollMs ?? 3_000);
    timer.unref();
  };

  const stopPolling = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    settleOnce,
    startPolling,
    stopPolling,
    /** The settlement of this session in flight, if any. */
    inFlight: (hostedLinkId: string) => settling.get(hostedLinkId),
    /** Resolves once every settlement in flight has finished (shutdown, tests). */
    async idle(): Promise<void> {
      while (settling.size > 0) await Promise.allSettled([...settling.values()]);
    },
  };
}

/** Asks Plaid how the session went, adds any Items it produced, and ends it once Plaid says it is over. */
async function settle(deps: HostedLinkDeps, hostedLinkId: string): Promise<HostedLinkSessionRecord> {
  const { store } = deps;
  const session = (await store.hostedLinkSessions.get(hostedLinkId))!;
  // Another desk's emulator made it: this desk's would call its token unknown, and end a link still in use there.
  if (await hostedLinkInAnotherEmulator(store, deps.emulatorId ?? null, session)) return session;
  const linkToken = session.status === 'waiting' ? await store.hostedLinkSessions.linkToken(hostedLinkId) : null;
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
  if (expiration !== session.expiration) await store.hostedLinkSessions.setExpiration(hostedLinkId, expiration);
  // The officer may have revoked it while Plaid answered.
  if ((await store.hostedLinkSessions.get(hostedLinkId))?.status !== 'waiting')
    return (await store.hostedLinkSessions.get(hostedLinkId))!;
  const { finished, added } = await addResults(deps, session, got);
  if (finished > 0) return end(deps, session, added > 0 ? 'completed' : 'exited');
  if (Date.parse(expiration) <= deps.clock().getTime()) return end(deps, session, 'expired');
  return (await store.hostedLinkSessions.get(hostedLinkId))!;
}

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
      await deps.store.hostedLinkSessions.addItem(session.id, item.id);
      added += 1;
    } catch (error) {
      // AssetDesk is quitting: the session stays waiting, and its result is added at the next start.
      if (error instanceof AppError && error.code === ErrorCodes.stopping) throw error;
      deps.log.warn('hosted link result not added', { hostedLinkId: session.id, code: (error as AppError).code });
    }
  }
  return { finished: finished.length, added };
}

async function end(
  deps: HostedLinkDeps,
  session: HostedLinkSessionRecord,
  status: 'completed' | 'exited' | 'expired',
): Promise<HostedLinkSessionRecord> {
  const ended = await deps.store.hostedLinkSessions.finish(session.id, status);
  deps.log.info('hosted link ended', { hostedLinkId: session.id, status });
  deps.events.emit('link:hostedFinished', {
    hostedLinkId: session.id,
    loanId: (await deps.store.applicants.describe(session.applicantId))?.loanId ?? session.applicantId,
    applicantId: session.applicantId,
    status,
  });
  return ended;
}
