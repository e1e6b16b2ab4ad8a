import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { HandoffStatus } from '../../../shared/domain';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { Channel, ContractHandlers, ParsedRequestOf } from '../../../shared/ipc/contract';
import type { AssetDeskStore, NewActivity } from '../../db';
import type { DeskState, DeskValues } from '../desk-state';
import { requireApplicant, type ServiceContext } from '../service-context';

export type HandoffHandlers = Pick<
  ContractHandlers,
  'handoff:status' | 'handoff:setPin' | 'handoff:start' | 'handoff:end' | 'handoff:endWithOs'
>;

/** How the PIN is kept: a scrypt hash with its own salt and cost, never the PIN itself. */
type StoredPin = NonNullable<DeskValues['officerPin']>;
/**
 * The borrower holding this computer, on this loan. Kept in this desk's own state (desk-state.ts), not the
 * history's settings, which a team shares: a restart keeps it, and no other desk is locked by it.
 */
type ActiveHandoff = NonNullable<DeskValues['handoffActive']>;

const KEY_LENGTH = 32;
// About 0.1 s per guess on a laptop: nothing for the officer, slow for anyone trying every PIN from a copy of the file.
const COST = { N: 1 << 15, r: 8, p: 1 };
/** After this many wrong PINs in a row, each further try waits WAIT_MS. */
export const FREE_TRIES = 5;
export const WAIT_MS = 30_000;

function scryptHash(pin: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 128 * cost.N * cost.r * 2 };
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

async function hashPin(pin: string): Promise<StoredPin> {
  const salt = randomBytes(16);
  const hash = await scryptHash(pin, salt, COST);
  return { algorithm: 'scrypt', salt: salt.toString('base64'), hash: hash.toString('base64'), ...COST };
}

async function pinMatches(pin: string, stored: StoredPin): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await scryptHash(pin, Buffer.from(stored.salt, 'base64'), stored);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const refused = (message: string, field?: string) =>
  new AppError({ code: ErrorCodes.validation, message, retryable: false, ...(field ? { field } : {}) });

const osUnlockOf = (ctx: ServiceContext) => ctx.desktop.officerPresence?.available() === true;
const statusOf = async (ctx: ServiceContext, desk: DeskState): Promise<HandoffStatus> => {
  const active = desk.value('handoffActive');
  return {
    pinSet: desk.value('officerPin') !== null,
    osUnlock: osUnlockOf(ctx),
    // A hand-off saved before loans existed has no loan: its borrower's loan is looked up.
    active: active
      ? {
          applicantId: active.applicantId,
          itemId: active.itemId,
          loanId: active.loanId ?? (await ctx.openStore()?.applicants.describe(active.applicantId))?.loanId ?? '',
        }
      : null,
  };
};

/**
 * An activity entry about the hand-off. The hand-off itself is this desk's and goes on without the history:
 * with the team database away, the officer still gets the desk back, and the missing entry is logged.
 */
async function record(ctx: ServiceContext, entry: NewActivity): Promise<void> {
  try {
    await ctx.store().activity.append(entry);
  } catch (error) {
    ctx.logger.warn('hand-off activity not recorded', { action: entry.action, code: (error as AppError).code });
  }
}

/**
 * Ends the hand-off. Events about other loans were held back while it lasted (see handoff-privacy.ts): the
 * officer's screens are told to read everything again.
 */
function returnToOfficer(ctx: ServiceContext, desk: DeskState): void {
  desk.update('handoffActive', null);
  ctx.events.emit('handoff:ended', {});
}

/**
 * The hand-off in force at this desk, answered at once: for what must decide without waiting whether the
 * borrower is at the screen (events, OS notices). Null at the officer's desk.
 */
export function handoffInForce(desk: DeskState): { applicantId: string; loanId: string } | null {
  const active = desk.value('handoffActive');
  return active ? { applicantId: active.applicantId, loanId: active.loanId ?? '' } : null;
}

/** Checks a PIN against the stored hash, counting wrong tries; throws the officer-facing refusal. */
async function checkPin(ctx: ServiceContext, desk: DeskState, pin: string, field: string): Promise<void> {
  const stored = desk.value('officerPin');
  if (!stored) throw refused('No officer PIN is set. Set one in Settings.');
  const tries = desk.value('handoffFailedTries');
  const now = ctx.clock();
  if (tries.waitUntil && Date.parse(tries.waitUntil) > now.getTime()) {
    const seconds = Math.ceil((Date.parse(tries.waitUntil) - now.getTime()) / 1000);
    throw refused(`Too many wrong PINs. Try again in ${seconds} seconds.`, field);
  }
  if (await pinMatches(pin, stored)) {
    desk.update('handoffFailedTries', { count: 0, waitUntil: null });
    return;
  }
  const count = tries.count + 1;
  const waitUntil = count >= FREE_TRIES ? new Date(now.getTime() + WAIT_MS).toISOString() : null;
  desk.update('handoffFailedTries', { count, waitUntil });
  await record(ctx, { action: 'handoff_pin_refused', detail: { tries: count } });
  throw refused(
    waitUntil
      ? `That PIN is not right. Too many wrong PINs: try again in ${WAIT_MS / 1000} seconds.`
      : 'That PIN is not right.',
    field,
  );
}

/** Throws the officer-facing refusal when this applicant (and bank link) cannot take the computer now. */
async function refuseUnlessHandoffCanStart(
  ctx: ServiceContext,
  desk: DeskState,
  applicantId: string,
  itemId: string | undefined,
): Promise<{ loanId: string }> {
  if (!desk.value('officerPin'))
    throw new AppError({
      code: ErrorCodes.conflict,
      message: 'Set an officer PIN before handing the computer to an applicant; only that PIN ends their mode.',
      retryable: false,
    });
  const current = desk.value('handoffActive');
  if (current && current.applicantId !== applicantId)
    throw new AppError({
      code: ErrorCodes.conflict,
      message: 'Another applicant holds the computer. Return to the officer first.',
      retryable: false,
    });
  const { loanId } = await requireApplicant(ctx, applicantId);
  if (itemId) {
    const item = await ctx.store().items.get(itemId);
    if (!item || item.applicantId !== applicantId)
      throw new AppError({
        code: ErrorCodes.notFound,
        message: 'That bank link no longer exists.',
        retryable: false,
      });
  }
  return { loanId };
}

/**
 * The hand-off lock. While an applicant holds the computer the main process remembers it (in this desk's
 * state, so a reload or restart does not end it) and only the officer's PIN ends it.
 */
export function createHandoffHandlers(ctx: ServiceContext, desk: DeskState): HandoffHandlers {
  const status = () => statusOf(ctx, desk);

  return {
    'handoff:status': () => status(),

    'handoff:setPin': async ({ pin, currentPin }) => {
      // An applicant holding the computer must not be able to choose the PIN that ends their own mode.
      if (desk.value('handoffActive')) throw refused('The PIN can’t be changed while an applicant holds the computer.');
      if (desk.value('officerPin')) {
        if (!currentPin) throw refused('Enter the current PIN to change it.', 'currentPin');
        await checkPin(ctx, desk, currentPin, 'currentPin');
      }
      desk.update('officerPin', await hashPin(pin));
      await record(ctx, { action: 'officer_pin_set', detail: {} });
      return status();
    },

    'handoff:start': async ({ applicantId, itemId }) => {
      const { loanId } = await refuseUnlessHandoffCanStart(ctx, desk, applicantId, itemId);
      // Recorded first: a history that cannot take the entry (team database away) starts nothing.
      await ctx.store().activity.append({ action: 'handoff_started', applicantId, detail: {} });
      desk.update('handoffActive', { applicantId, loanId, itemId: itemId ?? null });
      return status();
    },

    'handoff:end': async ({ pin }) => {
      const current = desk.value('handoffActive');
      if (!current) return status();
      await checkPin(ctx, desk, pin, 'pin');
      returnToOfficer(ctx, desk);
      await record(ctx, { action: 'handoff_ended', applicantId: current.applicantId, detail: {} });
      return status();
    },

    'handoff:endWithOs': async () => {
      const current = desk.value('handoffActive');
      if (!current) return status();
      const presence = ctx.desktop.officerPresence;
      if (!presence?.available())
        throw new AppError({
          code: ErrorCodes.conflict,
          message: 'This computer has no Touch ID for AssetDesk to ask. Enter the officer PIN.',
          retryable: false,
        });
      if (!(await presence.confirm('return AssetDesk to the loan officer')))
        throw refused('Touch ID did not confirm the officer. Try again, or enter the officer PIN.');
      returnToOfficer(ctx, desk);
      await record(ctx, { action: 'handoff_ended', applicantId: current.applicantId, detail: { by: 'os_unlock' } });
      return status();
    },
  };
}

/**
 * What the applicant's mode may call while it is on: its own loan file (to show the borrower's name and
 * banks) and Link for that borrower, nothing of any other file. Everything else is refused in the main process, whatever the renderer shows.
 */
type HandoffRule = (request: never, active: ActiveHandoff, store: AssetDeskStore | null) => boolean | Promise<boolean>;
const DURING_HANDOFF: Partial<Record<Channel, HandoffRule>> = {
  'app:info': () => true,
  'handoff:status': () => true,
  'handoff:end': () => true,
  'handoff:endWithOs': () => true,
  'handoff:start': (r: ParsedRequestOf<'handoff:start'>, a) => r.applicantId === a.applicantId,
  'loans:get': (r: ParsedRequestOf<'loans:get'>, a) => r.loanId === a.loanId,
  'link:createToken': (r: ParsedRequestOf<'link:createToken'>, a) =>
    r.applicantId === a.applicantId && (r.itemId ?? null) === a.itemId,
  'link:complete': (r: ParsedRequestOf<'link:complete'>, a) => r.applicantId === a.applicantId,
  'link:updateComplete': (r: ParsedRequestOf<'link:updateComplete'>, a) => r.itemId === a.itemId,
  'link:exited': (r: ParsedRequestOf<'link:exited'>, a) => r.applicantId === a.applicantId,
  'link:createHosted': (r: ParsedRequestOf<'link:createHosted'>, a) => r.applicantId === a.applicantId,
  // A Hosted Link session's status names its borrower's banks: only the borrower holding the computer's own.
  'link:hostedStatus': async (r: ParsedRequestOf<'link:hostedStatus'>, a, store) =>
    (await store?.hostedLinkSessions.get(r.hostedLinkId))?.applicantId === a.applicantId,
  'clipboard:writeText': () => true,
};

/**
 * Wraps every handler so that, during a hand-off, only DURING_HANDOFF calls for that applicant run — also while
 * the history is not open (keychain locked, team database away): the borrower still holds this computer.
 */
export function lockedDuringHandoff(
  ctx: ServiceContext,
  desk: DeskState,
  handlers: ContractHandlers,
): ContractHandlers {
  const wrapped: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(handlers) as [Channel, (request: unknown) => Promise<unknown>][]) {
    wrapped[channel] = async (request: unknown) => {
      const active = desk.value('handoffActive');
      if (active) {
        const allowed = DURING_HANDOFF[channel] as
          ((r: unknown, a: ActiveHandoff, s: AssetDeskStore | null) => boolean | Promise<boolean>) | undefined;
        if (!allowed || !(await allowed(request, active, ctx.openStore())))
          throw new AppError({
            code: ErrorCodes.forbiddenSender,
            message: 'An applicant holds the computer. The officer’s PIN returns to the desk.',
            retryable: false,
          });
      }
      return handler(request);
    };
  }
  return wrapped as unknown as ContractHandlers;
}
