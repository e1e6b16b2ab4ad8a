import { requireKeychain } from '../helpers/keychain';
import { linkSandboxBank } from '../helpers/emulator-plaid';
import { createApplicant, linkBank, startHarness, until, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();

/**
 * While a borrower holds the computer, nothing of another loan reaches the screen or the OS's notices,
 * whatever the renderer would show: reports of other loans finish, fail and are told to the officer only
 * as "a report", and their events wait for the officer; ending the hand-off tells the screens to reload.
 */
describe.skipIf(!hasKeychain)('the hand-off keeps other loans off the screen (real services, emulator)', () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startHarness({ readyAfterMs: 1500 });
  });
  afterAll(() => h?.close());

  const settled = (reportId: string) =>
    until(async () => {
      const report = await h.services.internals.store()!.reports.get(reportId);
      return report && report.status !== 'pending' ? report.status : null;
    }, `report ${reportId} to settle`);

  test('reports of another loan finish and fail during a hand-off: generic notices, no events until the officer is back', async () => {
    const alice = await createApplicant(h.handlers, { firstName: 'Alice', lastName: 'Other', loanNumber: 'LN-A-0001' });
    const bob = await createApplicant(h.handlers, { firstName: 'Bob', lastName: 'Holder', loanNumber: 'LN-B-0002' });
    const good = await linkBank(h, alice.id);
    const failing = await linkSandboxBank(h.plaid, h.handlers, alice.id, {
      institutionId: 'ins_109511',
      name: 'Tartan Bank',
      username: 'user_bank_timeout',
    });
    await h.handlers['handoff:setPin']({ pin: '246810' });
    const ready = await h.handlers['reports:create']({
      loanId: alice.loanId,
      itemIds: [good.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    const failed = await h.handlers['reports:create']({
      loanId: alice.loanId,
      itemIds: [good.id, failing.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await h.handlers['handoff:start']({ applicantId: bob.id });
    const before = { notifications: h.notifications.length, events: h.events.length };

    expect(await settled(ready.id)).toBe('ready');
    expect(await settled(failed.id)).toBe('failed');
    await h.services.internals.settled();

    const notices = h.notifications.slice(before.notifications);
    expect(notices).toEqual(
      expect.arrayContaining([
        { title: 'Asset Report ready', body: 'An Asset Report is ready.' },
        { title: 'Asset Report failed', body: 'An Asset Report could not be generated.' },
      ]),
    );
    const during = JSON.stringify([notices, h.events.slice(before.events)]);
    for (const secret of ['Alice', 'Other', 'LN-A-0001', alice.loanId, 'Tartan', 'Platypus'])
      expect(during, secret).not.toContain(secret);

    await h.handlers['handoff:end']({ pin: '246810' });
    expect(h.events.at(-1)).toEqual({ event: 'handoff:ended', payload: {} });
    // Back at the desk, events name their loan again.
    const refreshed = await h.handlers['reports:refresh']({ reportId: ready.id });
    await until(
      () =>
        h.events.find(
          (e) => e.event === 'report:progress' && (e.payload as { reportId: string }).reportId === refreshed.id,
        ),
      'the refresh to be told',
    );
    await settled(refreshed.id);
    await h.services.internals.settled();
    expect(h.notifications.at(-1)).toEqual({
      title: 'Asset Report ready',
      body: expect.stringContaining('(loan LN-A-0001)'),
    });
  });

  test("the borrower's own loan is still told to the screen; the OS notice stays generic", async () => {
    const carol = await createApplicant(h.handlers, { firstName: 'Carol', lastName: 'Own', loanNumber: 'LN-C-0003' });
    const item = await linkBank(h, carol.id);
    const report = await h.handlers['reports:create']({
      loanId: carol.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await h.handlers['handoff:start']({ applicantId: carol.id });
    const before = { notifications: h.notifications.length, events: h.events.length };
    try {
      expect(await settled(report.id)).toBe('ready');
      await h.services.internals.settled();
      expect(h.events.slice(before.events)).toContainEqual({
        event: 'report:progress',
        payload: expect.objectContaining({ reportId: report.id, loanId: carol.loanId, status: 'ready' }),
      });
      expect(h.notifications.slice(before.notifications)).toEqual([
        { title: 'Asset Report ready', body: 'An Asset Report is ready.' },
      ]);
    } finally {
      await h.handlers['handoff:end']({ pin: '246810' });
    }
  });
});
