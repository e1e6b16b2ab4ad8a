import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { HandoffStatus } from '../../../shared/domain';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { Channel, ContractHandlers, ParsedRequestOf } from '../../../shared/ipc/contract';
import type { AssetDeskStore, SettingsValues } from '../../db';
import { requireApplicant, type ServiceContext } from '../service-context';

export type HandoffHandlers = Pick<
  ContractHandlers,
  'handoff:status' | 'handoff:setPin' | 'handoff:start' | 'handoff:end' | 'handoff:endWithOs'
>;

/** How the PIN is kept: a scrypt hash with its own salt and cost, never the PIN itself. */
interface StoredPin {
  algorithm: 'scrypt';
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
}
/** The borrower holding the computer, on this loan (kept in the store's settings, so a restart keeps it). */
type ActiveHandoff = NonNullable<SettingsValues['handoffActive']>;
interface FailedTries {
  count: number;
  /** ISO time before which no PIN is checked at all. */
  waitUntil: string | null;
}

const PIN_KEY = 'officerPin';
const TRIES_KEY = 'handoffFailedTries';
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

const settingsOf = (ctx: ServiceContext) => ctx.store().settings;
const storedPinOf = (ctx: ServiceContext) => settingsOf(ctx).get<StoredPin | null>(PIN_KEY, null);
const activeHandoffOf = (ctx: ServiceContext) => settingsOf(ctx).value('handoffActive');
const osUnlockOf = (ctx: ServiceContext) => ctx.desktop.officerPresence?.available() === true;
const statusOf = async (ctx: ServiceContext): Promise<HandoffStatus> => {
  const active = await activeHandoffOf(ctx);
  return {
    pinSet: (await storedPinOf(ctx)) !== null,
    osUnlock: osUnlockOf(ctx),
    // A hand-off saved before loans existed has no loan: its borrower's loan is looked up.
    active: active
      ? {
          ...active,
          loanId: active.loanId ?? (await ctx.store().applicants.describe(active.applicantId))?.loanId ?? '',
        }
      : null,
  };
};

/**
 * Ends the hand-off. Events about other loans were held back while it lasted (see handoff-privacy.ts): the
 * officer's screens are told to read everything again.
 */
async function returnToOfficer(ctx: ServiceContext): Promise<void> {
  await settingsOf(ctx).update('handoffActive', null);
  ctx.events.emit('handoff:ended', {});
}

/**
 * The hand-off in force as this desk last read or wrote it, answered at once: for what must decide without
 * waiting whether the borrower is at the screen (events, OS notices). Null at the officer's desk or with no store.
 */
export function handoffInForce(store: AssetDeskStore | null): ActiveHandoff | null {
  return store?.settings.cached('handoffActive') ?? null;
}

/** Checks a PIN against the stored hash, counting wrong tries; throws the officer-facing refusal. */
async function checkPin(ctx: ServiceContext, pin: string, field: string): Promise<void> {
  const stored = await storedPinOf(ctx);
  if (!stored) throw refused('No officer PIN is set. Set one in Settings.');
  const tries = await settingsOf(ctx).get<FailedTries>(TRIES_KEY, { count: 0, waitUntil: null });
  const now = ctx.clock();
  if (tries.waitUntil && Date.parse(tries.waitUntil) > now.getTime()) {
    const seconds = Math.ceil((Date.parse(tries.waitUntil) - now.getTime()) / 1000);
    throw refused(`Too many wrong PINs. Try again in ${seconds} seconds.`, field);
  }
  if (await pinMatches(pin, stored)) {
    await settingsOf(ctx).set(TRIES_KEY, { count: 0, waitUntil: null });
    return;
  }
  const count = tries.count + 1;
  const waitUntil = count >= FREE_TRIES ? new Date(now.getTime() + WAIT_MS).toISOString() : null;
  await settingsOf(ctx).set(TRIES_KEY, { count, waitUntil });
  await ctx.store().activity.append({ action: 'handoff_pin_refused', detail: { tries: count } });
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
  applicantId: string,
  itemId: string | undefined,
): Promise<{ loanId: string }> {
  if (!(await storedPinOf(ctx)))
    throw new AppError({
      code: ErrorCodes.conflict,
      message: 'Set an officer PIN before handing the computer to an applicant; only that PIN ends their mode.',
      retryable: false,
    });
  const current = await activeHandoffOf(ctx);
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
 * The hand-off lock. While an applicant holds the computer the main process remembers it (in the
 * store, so a reload or restart does not end it) and only the officer's PIN ends it.
 */
export function createHandoffHandlers(ctx: ServiceContext): HandoffHandlers {
  const status = () => statusOf(ctx);

  return {
    // Before the history opens (keychain locked, recovery key needed) there is no PIN and no hand-off yet.
    'handoff:status': async () =>
      ctx.openStore() ? await status() : { pinSet: false, osUnlock: osUnlockOf(ctx), active: null },

    'handoff:setPin': async ({ pin, currentPin }) => {
      // An applicant holding the computer must not be able to choose the PIN that ends their own mode.
      if (await activeHandoffOf(ctx)) throw refused('The PIN can’t be changed while an applicant holds the computer.');
      if (await storedPinOf(ctx)) {
        if (!currentPin) throw refused('Enter the current PIN to change it.', 'currentPin');
        await checkPin(ctx, currentPin, 'currentPin');
      }
      await settingsOf(ctx).set(PIN_KEY, await hashPin(pin));
      await ctx.store().activity.append({ action: 'officer_pin_set', detail: {} });
      return status();
    },

    'handoff:start': async ({ applicantId, itemId }) => {
      const { loanId } = await refuseUnlessHandoffCanStart(ctx, applicantId, itemId);
      await settingsOf(ctx).update('handoffActive', { applicantId, loanId, itemId: itemId ?? null });
      await ctx.store().activity.append({ action: 'handoff_started', applicantId, detail: {} });
      return status();
    },

    'handoff:end': async ({ pin }) => {
      const current = await activeHandoffOf(ctx);
      if (!current) return status();
      await checkPin(ctx, pin, 'pin');
      await returnToOfficer(ctx);
      await ctx.store().activity.append({ action: 'handoff_ended', applicantId: current.applicantId, detail: {} });
      return status();
    },

    'handoff:endWithOs': async () => {
      const current = await activeHandoffOf(ctx);
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
      await returnToOfficer(ctx);
      await ctx.store().activity.append({
        action: 'handoff_ended',
        applicantId: current.applicantId,
        detail: { by: 'os_unlock' },
      });
      return status();
    },
  };
}

/**
 * What the applicant's mode may call while it is on: its own loan file (to show the borrower's name and
 * banks) and Link for that borrower, nothing of any other file. Everything else is refused in the main process, whatever the renderer shows.
 */
type HandoffRule = (request: never, active: ActiveHandoff, store: AssetDeskStore) => boolean | Promise<boolean>;
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
  'link:createHosted': (r: ParsedRequestOf<'link:createHosted'>, a) => r.applicantId === a.applicantId,
  // A Hosted Link session's status names its borrower's banks: only the borrower holding the computer's own.
  'link:hostedStatus': async (r: ParsedRequestOf<'link:hostedStatus'>, a, store) =>
    (await store.hostedLinkSessions.get(r.hostedLinkId))?.applicantId === a.applicantId,
  'clipboard:writeText': () => true,
};

/** Wraps every handler so that, during a hand-off, only DURING_HANDOFF calls for that applicant run. */
export function lockedDuringHandoff(ctx: ServiceContext, handlers: ContractHandlers): ContractHandlers {
  const wrapped: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(handlers) as [Channel, (request: unknown) => Promise<unknown>][]) {
    wrapped[channel] = async (request: unknown) => {
      const store = ctx.openStore();
      const active = store ? await store.settings.value('handoffActive') : null;
      if (store && active) {
        const allowed = DURING_HANDOFF[channel] as
          ((r: unknown, a: ActiveHandoff, s: AssetDeskStore) => boolean | Promise<boolean>) | undefined;
        if (!allowed || !(await allowed(request, active, store)))
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
