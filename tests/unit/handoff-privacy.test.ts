import type { DesktopAdapters } from '../../electron/services/desktop';
import { privateDuringHandoff, type HandoffHolder } from '../../electron/services/handoff-privacy';
import type { EventName } from '../../shared/ipc/contract';

/** The hand-off's filter on its own: what reaches the screen and the OS, with and without a borrower at the computer. */
function filtered() {
  const sent: { event: EventName; payload: unknown }[] = [];
  const notices: { title: string; body: string }[] = [];
  let holder: HandoffHolder | null = null;
  const desktop = {
    chooseSavePath: async () => null,
    chooseFile: async () => null,
    chooseFolder: async () => null,
    writeClipboard: () => undefined,
    notify: (title: string, body: string) => void notices.push({ title, body }),
  } satisfies DesktopAdapters;
  const shielded = privateDuringHandoff({
    events: { emit: (event, payload) => void sent.push({ event, payload }) },
    desktop,
    holder: () => holder,
  });
  return { ...shielded, sent, notices, handTo: (next: HandoffHolder | null) => (holder = next) };
}

const progress = (loanId: string) =>
  ({
    reportId: 'r1',
    loanId,
    applicantId: 'a-other',
    status: 'ready',
    elapsedMs: 1,
    summary: { applicantName: 'Alice Other', loanNumber: 'LN-A-0001' },
  }) as never;

describe('privacy during a hand-off', () => {
  it('at the desk every event and notice goes through unchanged', () => {
    const f = filtered();
    f.events.emit('report:progress', progress('loan-a'));
    f.events.emit('team:changes', { resync: true, tables: ['loans'], loanIds: [] });
    f.desktop.notify('Asset Report ready', 'Alice Other (loan LN-A-0001)', { title: 'Asset Report ready', body: 'x' });
    expect(f.sent.map((s) => s.event)).toEqual(['report:progress', 'team:changes']);
    expect(f.notices).toEqual([{ title: 'Asset Report ready', body: 'Alice Other (loan LN-A-0001)' }]);
  });

  it("holds back other loans' reports, Hosted Link results and team changes; lets the hand-off's own loan through", () => {
    const f = filtered();
    f.handTo({ applicantId: 'bob', loanId: 'loan-b' });
    f.events.emit('report:progress', progress('loan-a'));
    f.events.emit('link:hostedFinished', {
      hostedLinkId: 'h1',
      loanId: 'loan-a',
      applicantId: 'alice',
      status: 'completed',
    });
    f.events.emit('team:changes', { resync: false, tables: ['reports'], loanIds: ['loan-a'] });
    f.events.emit('team:changes', { resync: true, tables: [], loanIds: [] });
    expect(f.sent).toEqual([]);

    f.events.emit('report:progress', progress('loan-b'));
    f.events.emit('link:hostedFinished', {
      hostedLinkId: 'h2',
      loanId: 'loan-b',
      applicantId: 'bob',
      status: 'exited',
    });
    f.events.emit('team:changes', { resync: false, tables: ['items', 'reports'], loanIds: ['loan-a', 'loan-b'] });
    expect(f.sent).toEqual([
      { event: 'report:progress', payload: progress('loan-b') },
      {
        event: 'link:hostedFinished',
        payload: { hostedLinkId: 'h2', loanId: 'loan-b', applicantId: 'bob', status: 'exited' },
      },
      // Narrowed to the hand-off's loan: the other loan's id never reaches the screen.
      { event: 'team:changes', payload: { resync: false, tables: ['items', 'reports'], loanIds: ['loan-b'] } },
    ]);
  });

  it("lets through what names no loan: the borrower's OAuth return, log and connection state, the end of the hand-off", () => {
    const f = filtered();
    f.handTo({ applicantId: 'bob', loanId: 'loan-b' });
    f.events.emit('link:oauthReturned', { receivedRedirectUri: 'https://desk.example/oauth?oauth_state_id=s' });
    f.events.emit('log:writeFailed', { failures: 1, message: 'disk full' });
    f.events.emit('app:backgroundWork', { work: null });
    f.events.emit('team:connection', { status: 'online', since: '2026-11-02T12:00:00.000Z' });
    f.events.emit('handoff:ended', {});
    expect(f.sent.map((s) => s.event)).toEqual([
      'link:oauthReturned',
      'log:writeFailed',
      'app:backgroundWork',
      'team:connection',
      'handoff:ended',
    ]);
  });

  it('OS notices use their discreet wording, or a generic line, while a borrower holds the computer', () => {
    const f = filtered();
    f.handTo({ applicantId: 'bob', loanId: 'loan-b' });
    f.desktop.notify('Asset Report ready', 'Alice Other (loan LN-A-0001)', {
      title: 'Asset Report ready',
      body: 'An Asset Report is ready.',
    });
    f.desktop.notify('Something', 'Alice Other, loan LN-A-0001');
    expect(f.notices).toEqual([
      { title: 'Asset Report ready', body: 'An Asset Report is ready.' },
      { title: 'AssetDesk', body: 'Something is waiting for the loan officer.' },
    ]);
    f.handTo(null);
    f.desktop.notify('Asset Report ready', 'Alice Other (loan LN-A-0001)', { title: 'x', body: 'y' });
    expect(f.notices.at(-1)).toEqual({ title: 'Asset Report ready', body: 'Alice Other (loan LN-A-0001)' });
  });
});
