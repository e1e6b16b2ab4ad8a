import type { PlaidEnvironment } from '../../../shared/domain';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { AssetDeskStore } from '../../db';
import type { SqlEngine } from '../../db/sql';
import type { Logger } from '../../log/logger';
import { advisoryKey, lockHolder, type PollCoordinator, type SharedHold } from './poll-lease';

/**
 * Borrowers in Plaid Link across the team. Switching the team's Plaid environment ends a Link under way at every
 * desk (each desk follows the team into the new environment), so while a borrower is in Link each desk holds one
 * team-wide advisory key SHARED on its coordination connection, and the admin's switch takes it EXCLUSIVE without
 * waiting: refused, naming the desk, while anyone is in Link; and a new Link waits for a switch under way. The
 * admin's own Link does not block the admin (a session's own holds never conflict with it).
 */

export const LINK_OPEN_AT_ANOTHER_DESK = 'LINK_OPEN_AT_ANOTHER_DESK';
export const HOSTED_LINK_OPEN = 'HOSTED_LINK_OPEN';
export const LINK_OPEN_PURPOSE = 'assetdesk.link-open';
export const linkOpenKey = advisoryKey(LINK_OPEN_PURPOSE, 'team');
/** A borrower who walked away from Link no longer holds the team's environment after this long. */
export const LINK_OPEN_EXPIRY_MS = 30 * 60 * 1000;

export interface OpenLinks {
  /**
   * A borrower enters Link for `linkId` (the Link token is made by `create`, `sessionOf` names that Link session):
   * held until closed, or the expiry.
   */
  open<T>(linkId: string, create: () => Promise<T>, sessionOf?: (made: T) => string): Promise<T>;
  /** Link finished for `linkId` (completed; nothing when it was not open here). */
  close(linkId: string): Promise<void>;
  /**
   * The borrower left Link session `session` of `linkId` without finishing: let go, unless the borrower has since
   * opened Link again for it (that newer session keeps its hold).
   */
  exited(linkId: string, session: string): Promise<void>;
  /** Link finished for whichever open link `matches` (update mode reports its bank only). */
  closeWhere(matches: (linkId: string) => boolean): Promise<void>;
  /** The hand-off ended: no borrower is in Link at this desk any more. */
  closeAll(): Promise<void>;
  /**
   * Runs what would end every Link under way (the admin's environment switch, or removing the keys Link runs on)
   * holding the key exclusive; refused while another desk has a borrower in Link. `doing` says what, for the refusal.
   */
  whileNoneOpen<T>(run: () => Promise<T>, doing?: string): Promise<T>;
  /** Runs `run` (a Hosted Link being made) as a Link would start: after a switch under way, none starting meanwhile. */
  whileMaking<T>(run: () => Promise<T>): Promise<T>;
  /** The links open at this desk now. */
  list(): string[];
  stop(): void;
}

export interface OpenLinksOptions {
  lease: PollCoordinator;
  engine: SqlEngine;
  logger: Logger;
  expiryMs?: number;
  /** How long a new Link waits for an environment switch under way (default 10 s). */
  switchWaitMs?: number;
}

export function createOpenLinks(options: OpenLinksOptions): OpenLinks {
  const log = options.logger.child({ component: 'team-link-open' });
  const expiryMs = options.expiryMs ?? LINK_OPEN_EXPIRY_MS;
  const switchWaitMs = options.switchWaitMs ?? 10_000;
  const open = new Map<string, { hold: SharedHold; expiry: NodeJS.Timeout; session: string | null }>();

  async function holdForLink(): Promise<SharedHold> {
    const deadline = Date.now() + switchWaitMs;
    for (;;) {
      const hold = await options.lease.share(linkOpenKey);
      if (hold) return hold;
      if (Date.now() >= deadline)
        throw new AppError({
          code: ErrorCodes.conflict,
          message:
            "The team's Plaid environment is being switched, so Link cannot start now. Start Link again in a moment.",
          retryable: true,
        });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  // The coordination connection died and is back: its holds went with the old session, and the borrowers still in
  // Link here hold the team's environment again (an entry closed meanwhile lets its new hold go at once).
  async function holdAgain(): Promise<void> {
    for (const [linkId, entry] of [...open]) {
      const hold = await options.lease.share(linkOpenKey);
      if (!hold) {
        log.warn('a Link open at this desk could not hold the team environment again', { linkId });
        continue;
      }
      if (open.get(linkId) === entry) entry.hold = hold;
      else await hold.release();
    }
  }
  const unsubscribe = options.lease.onReconnected(() => void holdAgain());

  async function close(linkId: string): Promise<void> {
    const entry = open.get(linkId);
    if (!entry) return;
    open.delete(linkId);
    clearTimeout(entry.expiry);
    await entry.hold.release();
  }

  return {
    async open(linkId, create, sessionOf) {
      const hold = await holdForLink();
      let made: Awaited<ReturnType<typeof create>>;
      try {
        made = await create();
      } catch (error) {
        await hold.release();
        throw error;
      }
      // The borrower opened Link again for the same bank: one hold, its expiry counted from now.
      await close(linkId);
      const expiry = setTimeout(() => {
        log.info('a Link left open has expired; the team may switch environment', { linkId });
        void close(linkId);
      }, expiryMs);
      expiry.unref();
      open.set(linkId, { hold, expiry, session: sessionOf?.(made) ?? null });
      return made;
    },
    close,
    async exited(linkId, session) {
      const entry = open.get(linkId);
      if (entry?.session && entry.session === session) await close(linkId);
    },
    async closeWhere(matches) {
      for (const linkId of [...open.keys()]) if (matches(linkId)) await close(linkId);
    },
    async closeAll() {
      for (const linkId of [...open.keys()]) await close(linkId);
    },
    whileNoneOpen(run, doing = "switching the team's Plaid environment") {
      return options.lease.turn(linkOpenKey, () => run(), {
        waitMs: 0,
        busy: async () => {
          // The server away fails this read too: the team guard then says the database is away.
          const holder = await lockHolder(options.engine, linkOpenKey, { otherMembers: true });
          if (!holder)
            return new AppError({
              code: ErrorCodes.conflict,
              message:
                'AssetDesk could not check whether a borrower is in Plaid Link at another desk. Try again in a moment.',
              retryable: true,
            });
          return new AppError({
            code: LINK_OPEN_AT_ANOTHER_DESK,
            message:
              `A borrower is in Plaid Link at ${holder}'s desk, and ${doing} now would end their Link. ` +
              'Wait until the borrower finishes, or try again later.',
            retryable: true,
          });
        },
      });
    },
    async whileMaking(run) {
      const hold = await holdForLink();
      try {
        return await run();
      } finally {
        await hold.release();
      }
    },
    list: () => [...open.keys()],
    stop() {
      unsubscribe();
      for (const entry of open.values()) clearTimeout(entry.expiry);
      open.clear();
    },
  };
}

const linkTokenOf = (made: unknown) => (made as { linkToken?: string } | null)?.linkToken ?? '';

/** The open link of an applicant's Link: a new bank (`itemId` absent) or the update mode of one bank. */
export const linkIdOf = (applicantId: string, itemId?: string) => `${applicantId}\u0000${itemId ?? ''}`;

const ENVIRONMENT_NAMES: Record<string, string> = { sandbox: 'Sandbox', production: 'Production' };

/** A date and time in a refusal: "Dec 1, 2026, 2:05 PM" in the desk's time zone. */
export const whenInWords = (iso: string) =>
  new Date(iso).toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });

/**
 * A Hosted Link a borrower may still open from home belongs to the environment's keys: the team leaving that
 * environment (or losing its keys) leaves the bank they link unread. The refusal names the first such link, or null.
 */
export async function hostedLinkOpenRefusal(
  store: AssetDeskStore,
  environment: PlaidEnvironment,
  doing: string,
  now = new Date(),
): Promise<AppError | null> {
  const open = (await store.hostedLinkSessions.waiting(environment)).filter(
    (session) => Date.parse(session.expiration) > now.getTime(),
  );
  const first = open[0];
  if (!first) return null;
  const applicant = await store.applicants.get(first.applicantId);
  const borrower = applicant ? `${applicant.firstName} ${applicant.lastName}`.trim() : 'a borrower';
  const loan = applicant ? await store.loans.get(applicant.loanId) : null;
  const where = loan && applicant ? ` (loan ${loan.loanNumber}, Hosted Links sent to ${applicant.firstName})` : '';
  const created = (await store.activity.list({ applicantId: first.applicantId })).find(
    (entry) => entry.action === 'hosted_link_created' && entry.detail.hostedLinkId === first.id,
  );
  const sender = created?.actor ? `${created.actor}'s` : 'A';
  const more = open.length > 1 ? ` (and ${open.length - 1} more)` : '';
  return new AppError({
    code: HOSTED_LINK_OPEN,
    message:
      `${sender} Hosted Link for ${borrower}, sent ${whenInWords(first.createdAt)}, is open until ` +
      `${whenInWords(first.expiration)}${more}, and ${doing} now would leave the bank they link unread. ` +
      `Wait until ${borrower} finishes or the link expires, or withdraw it${where}, then try again.`,
    retryable: true,
  });
}

/**
 * The channels that open and close a borrower's Link, and what would end it or a Hosted Link still open (the
 * environment switch, removing the current environment's keys), around their handlers at a team desk: `run` is the
 * handler; `team` the team's history and its Plaid environment now.
 */
export function aroundLink(
  links: OpenLinks,
  channel: string,
  request: unknown,
  run: () => Promise<unknown>,
  team: { store: AssetDeskStore; environment: () => PlaidEnvironment },
) {
  // Checked holding the key exclusive, so no Hosted Link is being made meanwhile (link:createHosted below).
  const unlessHostedOpen = (doing: string) => async () => {
    const refusal = await hostedLinkOpenRefusal(team.store, team.environment(), doing);
    if (refusal) throw refusal;
    return run();
  };
  const fields = (request ?? {}) as { applicantId?: string; itemId?: string; environment?: string; linkToken?: string };
  switch (channel) {
    case 'link:createToken':
      return links.open(linkIdOf(fields.applicantId ?? '', fields.itemId), run, (made) => linkTokenOf(made));
    case 'link:exited':
      return run().finally(() =>
        links.exited(linkIdOf(fields.applicantId ?? '', fields.itemId), fields.linkToken ?? ''),
      );
    case 'link:complete':
      return run().finally(() => links.close(linkIdOf(fields.applicantId ?? '')));
    case 'link:updateComplete':
      return run().finally(() => links.closeWhere((linkId) => linkId.endsWith(`\u0000${fields.itemId ?? ''}`)));
    case 'handoff:end':
    case 'handoff:endWithOs':
      return run().then(async (result) => {
        await links.closeAll();
        return result;
      });
    case 'link:createHosted':
      return links.whileMaking(run);
    case 'settings:switchEnvironment': {
      const doing = "switching the team's Plaid environment";
      return links.whileNoneOpen(unlessHostedOpen(doing), doing);
    }
    // Without the keys of the team's environment every desk falls back to the emulator, which ends Link the same way.
    case 'credentials:clear': {
      if (fields.environment !== team.environment()) return run();
      const doing = `removing the team's Plaid ${ENVIRONMENT_NAMES[fields.environment] ?? fields.environment} keys`;
      return links.whileNoneOpen(unlessHostedOpen(doing), doing);
    }
    default:
      return run();
  }
}
