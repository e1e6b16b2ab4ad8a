import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryLogger } from '../../electron/log/logger';
import type { DesktopAdapters } from '../../electron/services/desktop';
import {
  FREE_TRIES,
  WAIT_MS,
  createHandoffHandlers,
  lockedDuringHandoff,
} from '../../electron/services/features/handoff';
import { createIpcDispatcher } from '../../electron/services/ipc-dispatcher';
import type { ServiceContext } from '../../electron/services/service-context';
import {
  adoptDeskSettingsFromHistory,
  DESK_STATE_FILE,
  openDeskState,
  type DeskState,
} from '../../electron/services/desk-state';
import { AppError, ErrorCodes } from '../../shared/errors';
import { channelNames, type ContractHandlers } from '../../shared/ipc/contract';
import { applicantInput } from '../helpers/applicant';
import { tempStore } from '../store/helpers';
import { addApplicant, borrowerInput } from '../helpers/applicant';

/** The hand-off lock on a real store: PIN as a scrypt hash, the lock held in the main process (this desk's state). */
describe('hand-off lock', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let now: Date;
  let ctx: ServiceContext;
  let desk: DeskState;
  beforeEach(async () => {
    t = await tempStore({ start: '2026-11-02T12:00:00.000Z' });
    desk = openDeskState(t.dir);
    now = new Date('2026-11-02T12:00:00.000Z');
    const desktop: DesktopAdapters = {
      chooseSavePath: async () => null,
      chooseFolder: async () => null,
      chooseFile: async () => null,
      writeClipboard: () => undefined,
      notify: () => undefined,
    };
    ctx = {
      desktop,
      events: { emit: () => undefined },
      logger: createMemoryLogger(),
      clock: () => now,
      store: () => t.store,
      openStore: () => t.store,
      environment: () => 'emulator',
      session: () => Promise.reject(new Error('no session in this test')),
      gatewayFor: () => Promise.reject(new Error('no gateway in this test')),
    };
  });
  afterEach(() => t.cleanup());

  /** Every channel: the hand-off handlers for real, the others record that they ran. */
  function dispatcher() {
    const ran: string[] = [];
    const others = Object.fromEntries(
      channelNames.map((c) => [
        c,
        async () => {
          ran.push(c);
          // The dispatcher checks answers against the contract; a marker error says "the handler ran".
          throw new AppError({ code: ErrorCodes.conflict, message: `${c} ran`, retryable: false });
        },
      ]),
    ) as unknown as ContractHandlers;
    const handlers = lockedDuringHandoff(ctx, desk, { ...others, ...createHandoffHandlers(ctx, desk) });
    return { ran, d: createIpcDispatcher(handlers, createMemoryLogger()) };
  }

  it('without a PIN the hand-off does not start; with one, only the PIN ends it', async () => {
    const { d, ran } = dispatcher();
    const maria = await addApplicant(t.store, applicantInput());
    const other = await addApplicant(t.store, applicantInput({ firstName: 'Kwame', loanNumber: 'LN-2' }));
    expect(await d.dispatch('handoff:status', {})).toEqual({
      ok: true,
      value: { pinSet: false, osUnlock: false, active: null },
    });
    expect(await d.dispatch('handoff:start', { applicantId: maria.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/^Set an officer PIN/) },
    });
    expect(await d.dispatch('handoff:setPin', { pin: '12a4' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', field: 'pin', message: 'Officer PIN must be 4 to 12 digits' },
    });
    expect(await d.dispatch('handoff:setPin', { pin: '2468' })).toMatchObject({ ok: true, value: { pinSet: true } });

    // Stored as a salted scrypt hash, never the PIN, in this desk's own file.
    const stored = JSON.parse(readFileSync(join(t.dir, DESK_STATE_FILE), 'utf8')).values.officerPin;
    expect(stored).toMatchObject({ algorithm: 'scrypt', N: 32768, r: 8, p: 1 });
    expect(JSON.stringify(stored)).not.toContain('2468');

    expect(await d.dispatch('handoff:start', { applicantId: maria.id })).toMatchObject({
      ok: true,
      value: { pinSet: true, active: { applicantId: maria.id, itemId: null } },
    });
    // The applicant's mode may read its own loan file and link; nothing else runs.
    const ranMarker = (c: string) => ({ ok: false, error: { message: `${c} ran` } });
    expect(await d.dispatch('loans:get', { loanId: maria.loanId })).toMatchObject(ranMarker('loans:get'));
    expect(await d.dispatch('link:createToken', { applicantId: maria.id })).toMatchObject(
      ranMarker('link:createToken'),
    );
    for (const [channel, payload] of [
      ['loans:get', { loanId: other.loanId }],
      ['loans:list', {}],
      ['loans:update', { loanId: maria.loanId, changes: { fundsToClose: 1 } }],
      ['borrowers:add', { loanId: maria.loanId, borrower: borrowerInput() }],
      ['reports:search', {}],
      ['link:createToken', { applicantId: other.id }],
      ['settings:get', {}],
      ['handoff:setPin', { pin: '1111' }],
      ['handoff:start', { applicantId: other.id }],
    ] as const) {
      expect(await d.dispatch(channel, payload), channel).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN_SENDER', message: expect.stringMatching(/officer’s PIN returns/) },
      });
    }
    expect(ran).toEqual(['loans:get', 'link:createToken']);
    // The lock is kept on disk: a reload, a new window or a restart still finds it.
    expect(await dispatcher().d.dispatch('handoff:status', {})).toMatchObject({
      value: { active: { applicantId: maria.id } },
    });
    expect(openDeskState(t.dir).value('handoffActive')).toMatchObject({ applicantId: maria.id });

    expect(await d.dispatch('handoff:end', { pin: '1357' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', field: 'pin', message: 'That PIN is not right.' },
    });
    expect(await d.dispatch('loans:list', {})).toMatchObject({ error: { code: 'FORBIDDEN_SENDER' } });
    expect(await d.dispatch('handoff:end', { pin: '2468' })).toEqual({
      ok: true,
      value: { pinSet: true, osUnlock: false, active: null },
    });
    expect(await d.dispatch('loans:list', {})).toMatchObject(ranMarker('loans:list'));
    const actions = (await t.store.activity.list({ limit: 20 })).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['officer_pin_set', 'handoff_started', 'handoff_pin_refused', 'handoff_ended']),
    );
  });

  it("during a hand-off, a Hosted Link session's status is answered only for the borrower holding the computer", async () => {
    const { d, ran } = dispatcher();
    const maria = await addApplicant(t.store, applicantInput());
    const other = await addApplicant(t.store, applicantInput({ firstName: 'Kwame', loanNumber: 'LN-2' }));
    const session = (applicantId: string) =>
      t.store.hostedLinkSessions.add({
        applicantId,
        environment: 'emulator',
        linkToken: `link-emulator-${applicantId}`,
        url: 'https://hosted.plaid.com/link/x',
        expiration: '2026-11-05T12:00:00.000Z',
        deliveryMethod: null,
      });
    const marias = await session(maria.id);
    const others = await session(other.id);
    await d.dispatch('handoff:setPin', { pin: '2468' });
    await d.dispatch('handoff:start', { applicantId: maria.id });
    expect(await d.dispatch('link:hostedStatus', { hostedLinkId: marias.id })).toMatchObject({
      ok: false,
      error: { message: 'link:hostedStatus ran' },
    });
    for (const hostedLinkId of [others.id, 'no-such-session'])
      expect(await d.dispatch('link:hostedStatus', { hostedLinkId }), hostedLinkId).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN_SENDER' },
      });
    expect(ran).toEqual(['link:hostedStatus']);
  });

  it('before the history opens (keychain locked), the status answers: no PIN, no hand-off', async () => {
    const closed: ServiceContext = {
      ...ctx,
      openStore: () => null,
      store: () => {
        throw new Error('the store is not open');
      },
    };
    expect(await createHandoffHandlers(closed, desk)['handoff:status']({})).toEqual({
      pinSet: false,
      osUnlock: false,
      active: null,
    });
  });

  it('after five wrong PINs each try waits; changing the PIN needs the current one', async () => {
    const { d } = dispatcher();
    const maria = await addApplicant(t.store, applicantInput());
    await d.dispatch('handoff:setPin', { pin: '2468' });
    expect(await d.dispatch('handoff:setPin', { pin: '1111' })).toMatchObject({
      ok: false,
      error: { field: 'currentPin', message: 'Enter the current PIN to change it.' },
    });
    expect(await d.dispatch('handoff:setPin', { pin: '1111', currentPin: '0000' })).toMatchObject({
      ok: false,
      error: { message: 'That PIN is not right.' },
    });
    expect(await d.dispatch('handoff:setPin', { pin: '1111', currentPin: '2468' })).toMatchObject({ ok: true });

    await d.dispatch('handoff:start', { applicantId: maria.id });
    for (let i = 1; i < FREE_TRIES; i++) {
      expect(await d.dispatch('handoff:end', { pin: '9999' })).toMatchObject({
        error: { message: 'That PIN is not right.' },
      });
    }
    expect(await d.dispatch('handoff:end', { pin: '9999' })).toMatchObject({
      error: { message: expect.stringMatching(/Too many wrong PINs: try again in 30 seconds/) },
    });
    // Even the right PIN waits, so guessing all 10,000 four-digit PINs takes days.
    expect(await d.dispatch('handoff:end', { pin: '1111' })).toMatchObject({
      error: { message: expect.stringMatching(/^Too many wrong PINs\. Try again in 30 seconds/) },
    });
    now = new Date(now.getTime() + WAIT_MS + 1);
    expect(await d.dispatch('handoff:end', { pin: '1111' })).toMatchObject({ ok: true, value: { active: null } });
  });

  it("an older version's hand-off in the history's settings moves to this desk once; the desk's own value wins", async () => {
    const maria = await addApplicant(t.store, applicantInput());
    const other = await addApplicant(t.store, applicantInput({ firstName: 'Kwame', loanNumber: 'LN-2' }));
    // A PIN hash as the older version stored it (made here by a throwaway desk).
    const elsewhere = openDeskState(mkdtempSync(join(t.dir, 'elsewhere-')));
    await createHandoffHandlers(ctx, elsewhere)['handoff:setPin']({ pin: '2468' });
    await t.store.settings.set('officerPin', elsewhere.value('officerPin'));
    await t.store.settings.set('handoffActive', { applicantId: maria.id, loanId: maria.loanId, itemId: null });
    await t.store.settings.set('handoffFailedTries', { count: 2, waitUntil: null });

    await adoptDeskSettingsFromHistory(t.store, desk);
    expect(desk.value('handoffActive')).toEqual({ applicantId: maria.id, loanId: maria.loanId, itemId: null });
    expect(desk.value('handoffFailedTries')).toEqual({ count: 2, waitUntil: null });
    for (const key of ['officerPin', 'handoffActive', 'handoffFailedTries'])
      expect(await t.store.settings.get(key, 'gone'), key).toBe('gone');
    const { d } = dispatcher();
    expect(await d.dispatch('loans:list', {})).toMatchObject({ error: { code: 'FORBIDDEN_SENDER' } });
    expect(await d.dispatch('handoff:end', { pin: '2468' })).toMatchObject({ ok: true, value: { active: null } });

    // A row an older version wrote again later is dropped: what this desk saved since is what counts.
    await t.store.settings.set('handoffActive', { applicantId: other.id, loanId: other.loanId, itemId: null });
    await adoptDeskSettingsFromHistory(t.store, desk);
    expect(desk.value('handoffActive')).toBeNull();
    expect(await t.store.settings.get('handoffActive', 'gone')).toBe('gone');
  });

  it('the lock holds while the history is not open, and the PIN still returns the desk', async () => {
    const maria = await addApplicant(t.store, applicantInput());
    const { d } = dispatcher();
    await d.dispatch('handoff:setPin', { pin: '2468' });
    await d.dispatch('handoff:start', { applicantId: maria.id });
    // The history goes away (keychain locked, team database unreachable): the borrower still holds the computer.
    const store = t.store;
    ctx.openStore = () => null;
    ctx.store = () => {
      throw new AppError({ code: 'TEAM_OFFLINE', message: 'The team database cannot be reached.', retryable: true });
    };
    for (const channel of ['keychain:retry', 'team:useLocal', 'backup:status'] as const)
      expect(await d.dispatch(channel, {}), channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(await d.dispatch('handoff:end', { pin: '2468' })).toMatchObject({ ok: true, value: { active: null } });
    const lines = (ctx.logger as ReturnType<typeof createMemoryLogger>).lines.map((l) => JSON.parse(l) as object);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          msg: 'hand-off activity not recorded',
          action: 'handoff_ended',
          code: 'TEAM_OFFLINE',
        }),
      ]),
    );
    ctx.openStore = () => store;
  });
});
