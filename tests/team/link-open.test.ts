import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import { createOpenLinks, linkOpenKey, whenInWords } from '../../electron/services/team/link-open';
import { openPollCoordinator, type PollCoordinator } from '../../electron/services/team/poll-lease';
import {
  createApplicant,
  EMULATOR_CLIENT_ID,
  EMULATOR_SECRET,
  linkBank,
  until,
  type CoreHarness,
} from '../core/harness';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * Switching the team's Plaid environment moves every desk to it, which ends a borrower's Link under way at another
 * desk. Two desks on the real team database: while the officer's borrower is in Link, the admin's switch is refused
 * naming the officer; once Link completes, the hand-off ends or the officer's desk dies, the switch goes through.
 */
describe('the environment switch waits for a borrower in Link at another desk', () => {
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let admin: CoreHarness;
  let officer: CoreHarness;

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET, readyAfterMs: 300 });
    admin = await startTeamDesk(team, emulator, { role: 'admin' });
    officer = await startTeamDesk(team, emulator, { role: 'officer', name: 'Otto Officer' });
    // Sandbox (the emulator stands in for Plaid's host) is where the admin switches to.
    await admin.handlers['credentials:save']({
      environment: 'sandbox',
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
    });
  });
  afterAll(async () => {
    for (const desk of [admin, officer]) await desk?.close().catch(() => undefined);
    await emulator?.close();
  });

  const refusedNamingOtto = {
    code: 'LINK_OPEN_AT_ANOTHER_DESK',
    message: expect.stringContaining("A borrower is in Plaid Link at Otto Officer's desk"),
  };
  const teamEnvironment = async () => (await admin.handlers['settings:get']({})).environment;
  const followed = (environment: string) =>
    until(
      async () => (await officer.handlers['app:info']({})).environment === environment,
      "the officer's desk to follow the switch",
    );

  it("is refused while the officer's borrower is in Link, and goes through once Link completes", async () => {
    const borrower = await createApplicant(officer.handlers, { loanNumber: 'LN-LINK-0001' });
    const token = await officer.handlers['link:createToken']({ applicantId: borrower.id });
    expect(token.linkToken).toMatch(/^link-/);

    await expect(admin.handlers['settings:switchEnvironment']({ environment: 'sandbox' })).rejects.toMatchObject(
      refusedNamingOtto,
    );
    expect(await teamEnvironment()).toBe('emulator');
    expect((await officer.handlers['app:info']({})).environment).toBe('emulator');

    const item = await linkBank(officer, borrower.id);
    expect(item.environment).toBe('emulator');
    await admin.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
    expect(await teamEnvironment()).toBe('sandbox');
    await followed('sandbox');
  });

  it("the admin's own borrower in Link does not hold the admin back", async () => {
    const borrower = await createApplicant(admin.handlers, { loanNumber: 'LN-LINK-0002' });
    await admin.handlers['link:createToken']({ applicantId: borrower.id });
    await admin.handlers['settings:switchEnvironment']({ environment: 'emulator' });
    expect(await teamEnvironment()).toBe('emulator');
    await linkBank(admin, borrower.id);
    await followed('emulator');
  });

  it('is refused during the hand-off while its borrower is in Link, and goes through once the officer ends it', async () => {
    const borrower = await createApplicant(officer.handlers, { loanNumber: 'LN-LINK-0003' });
    await officer.handlers['handoff:setPin']({ pin: '1357' });
    await officer.handlers['handoff:start']({ applicantId: borrower.id });
    await officer.handlers['link:createToken']({ applicantId: borrower.id });
    await expect(admin.handlers['settings:switchEnvironment']({ environment: 'sandbox' })).rejects.toMatchObject(
      refusedNamingOtto,
    );
    // The borrower walked away from Link; the officer takes the desk back.
    expect(await officer.handlers['handoff:end']({ pin: '1357' })).toMatchObject({ active: null });
    await admin.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
    expect(await teamEnvironment()).toBe('sandbox');
    await followed('sandbox');
  });

  it("a desk whose coordination session dies mid-Link holds the team's environment again once reconnected", async () => {
    const borrower = await createApplicant(officer.handlers, { loanNumber: 'LN-LINK-0004' });
    const token = await officer.handlers['link:createToken']({ applicantId: borrower.id });
    await expect(admin.handlers['settings:switchEnvironment']({ environment: 'emulator' })).rejects.toMatchObject(
      refusedNamingOtto,
    );
    const dba = await team.dba();
    try {
      // The sessions of other members than the admin holding the team's Link key.
      const holders = async () =>
        (
          await dba.query<{ pid: number }>(
            `SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND a.usename <> $1
                AND l.classid = (($2::bigint >> 32) & 4294967295)::oid AND l.objid = ($2::bigint & 4294967295)::oid`,
            [team.ownerUser, linkOpenKey],
          )
        ).rows.map((row) => row.pid);
      const [before] = await holders();
      expect(before).toBeDefined();
      // The officer's coordination session ends as a lost network would end it; the desk reconnects by itself.
      const { rowCount } = await dba.query('SELECT pg_terminate_backend($1)', [before]);
      expect(rowCount).toBe(1);
      await until(async () => {
        const now = await holders();
        return now.length === 1 && now[0] !== before;
      }, "the officer's desk to hold again from its new session");
    } finally {
      await dba.end();
    }
    await expect(admin.handlers['settings:switchEnvironment']({ environment: 'emulator' })).rejects.toMatchObject(
      refusedNamingOtto,
    );
    await officer.handlers['link:exited']({ applicantId: borrower.id, linkToken: token.linkToken });
    await admin.handlers['settings:switchEnvironment']({ environment: 'emulator' });
    expect(await teamEnvironment()).toBe('emulator');
    await followed('emulator');
  });

  it('goes through once the borrower leaves Link without finishing, not while a newer Link is open', async () => {
    const borrower = await createApplicant(officer.handlers, { loanNumber: 'LN-LINK-0006' });
    const first = await officer.handlers['link:createToken']({ applicantId: borrower.id });
    // The borrower closed Link, and the officer opened it again for them before the first exit was heard.
    const again = await officer.handlers['link:createToken']({ applicantId: borrower.id });
    await officer.handlers['link:exited']({ applicantId: borrower.id, linkToken: first.linkToken });
    await expect(admin.handlers['settings:switchEnvironment']({ environment: 'sandbox' })).rejects.toMatchObject(
      refusedNamingOtto,
    );

    await officer.handlers['link:exited']({ applicantId: borrower.id, linkToken: again.linkToken });
    await admin.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
    expect(await teamEnvironment()).toBe('sandbox');
    await followed('sandbox');
  });

  it('a Hosted Link still open holds the switch and the removal of its keys, until it is withdrawn or expires', async () => {
    const borrower = await createApplicant(officer.handlers, {
      loanNumber: 'LN-LINK-0007',
      firstName: 'Hana',
      lastName: 'Hosted',
    });
    const hosted = await officer.handlers['link:createHosted']({ applicantId: borrower.id });
    const [session] = await officer.handlers['link:hostedSessions']({ applicantId: borrower.id });
    const open = `Otto Officer's Hosted Link for Hana Hosted, sent ${whenInWords(session!.createdAt)}, is open until ${whenInWords(hosted.expiration)}`;
    await expect(admin.handlers['settings:switchEnvironment']({ environment: 'emulator' })).rejects.toMatchObject({
      code: 'HOSTED_LINK_OPEN',
      message: expect.stringContaining(
        `${open}, and switching the team's Plaid environment now would leave the bank they link unread. ` +
          'Wait until Hana Hosted finishes or the link expires, or withdraw it (loan LN-LINK-0007, Hosted Links sent to Hana), then try again.',
      ),
    });
    await expect(admin.handlers['credentials:clear']({ environment: 'sandbox' })).rejects.toMatchObject({
      code: 'HOSTED_LINK_OPEN',
      message: expect.stringContaining(`${open}, and removing the team's Plaid Sandbox keys now would`),
    });
    expect(await teamEnvironment()).toBe('sandbox');

    await officer.handlers['link:revokeHosted']({ hostedLinkId: hosted.hostedLinkId });
    // A link past its expiry holds nothing, whether or not AssetDesk has heard so from Plaid yet.
    const later = await officer.handlers['link:createHosted']({ applicantId: borrower.id });
    await expect(admin.handlers['settings:switchEnvironment']({ environment: 'emulator' })).rejects.toMatchObject({
      code: 'HOSTED_LINK_OPEN',
    });
    await team.admin
      .statement('UPDATE hosted_link_sessions SET expiration = ? WHERE id = ?')
      .run(new Date(Date.now() - 60_000).toISOString(), later.hostedLinkId);
    await admin.handlers['settings:switchEnvironment']({ environment: 'emulator' });
    expect(await teamEnvironment()).toBe('emulator');
    await followed('emulator');
  });

  it("removing the Sandbox keys the team works in waits for the officer's borrower in Link, as the switch does", async () => {
    await admin.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
    await followed('sandbox');
    const borrower = await createApplicant(officer.handlers, { loanNumber: 'LN-LINK-0005' });
    await officer.handlers['link:createToken']({ applicantId: borrower.id });

    await expect(admin.handlers['credentials:clear']({ environment: 'sandbox' })).rejects.toMatchObject({
      code: 'LINK_OPEN_AT_ANOTHER_DESK',
      message: expect.stringContaining(
        "A borrower is in Plaid Link at Otto Officer's desk, and removing the team's Plaid Sandbox keys now would end their Link.",
      ),
    });
    const settings = await admin.handlers['settings:get']({});
    expect(settings.environment).toBe('sandbox');
    expect(settings.credentials.sandbox.state).toBe('configured');
    // Keys of an environment nobody works in end no Link.
    await admin.handlers['credentials:clear']({ environment: 'production' });

    const item = await linkBank(officer, borrower.id);
    expect(item.environment).toBe('sandbox');
    const cleared = await admin.handlers['credentials:clear']({ environment: 'sandbox' });
    expect(cleared.environment).toBe('emulator');
    expect(cleared.credentials.sandbox.state).toBe('not_configured');
    await followed('emulator');
  });

  it('a Link left open expires, and a Link started during a switch waits for it (or is refused after its wait)', async () => {
    const logger = createMemoryLogger();
    const leases: PollCoordinator[] = [];
    const deskLinks = async (name: string, wait: { expiryMs: number; switchWaitMs: number }) => {
      const lease = await openPollCoordinator({
        clientConfig: { ...team.db.clientConfig(), application_name: name },
        logger,
      });
      leases.push(lease);
      return createOpenLinks({ lease, engine: team.admin, logger, ...wait });
    };
    try {
      const switching = await deskLinks('switching desk', { expiryMs: 60_000, switchWaitMs: 0 });
      const walkedAway = await deskLinks('walked-away desk', { expiryMs: 300, switchWaitMs: 0 });
      await walkedAway.open('borrower', () => Promise.resolve('link-token'));
      await expect(switching.whileNoneOpen(() => Promise.resolve())).rejects.toMatchObject({
        code: 'LINK_OPEN_AT_ANOTHER_DESK',
      });
      await until(() => walkedAway.list().length === 0, 'the Link left open to expire');
      await switching.whileNoneOpen(() => Promise.resolve());

      // A desk that is gone (closed, crashed: its session ends) frees the team's environment with its session.
      const crashing = await deskLinks('crashing desk', { expiryMs: 60_000, switchWaitMs: 0 });
      await crashing.open('borrower', () => Promise.resolve('link-token'));
      await expect(switching.whileNoneOpen(() => Promise.resolve())).rejects.toMatchObject({
        code: 'LINK_OPEN_AT_ANOTHER_DESK',
      });
      await leases.at(-1)?.close();
      await switching.whileNoneOpen(() => Promise.resolve());

      const patient = await deskLinks('patient desk', { expiryMs: 60_000, switchWaitMs: 5_000 });
      const hasty = await deskLinks('hasty desk', { expiryMs: 60_000, switchWaitMs: 0 });
      const order: string[] = [];
      let linked: Promise<unknown> = Promise.resolve();
      await switching.whileNoneOpen(async () => {
        linked = patient.open('borrower', async () => order.push('Link token made'));
        await expect(hasty.open('borrower', () => Promise.resolve())).rejects.toMatchObject({
          code: 'CONFLICT',
          message: expect.stringContaining("The team's Plaid environment is being switched"),
        });
        await new Promise((resolve) => setTimeout(resolve, 500));
        order.push('switch done');
      });
      await linked;
      expect(order).toEqual(['switch done', 'Link token made']);
      expect(patient.list()).toEqual(['borrower']);
    } finally {
      for (const lease of leases) await lease.close();
    }
  });
});
