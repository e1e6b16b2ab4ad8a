import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Products, type PlaidApi } from 'plaid';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresBinaries } from '../helpers/postgres-cluster';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { joinTeam, refreshKeyring } from '../../electron/services/team/join';
import { createTeam, inviteAgain, inviteMember, listMembers } from '../../electron/services/team/team-admin';
import { removeMember, replaceAccessTokens } from '../../electron/services/team/team-removal';
import { createTeamValueCipher } from '../../electron/services/team/value-cipher';
import { formatJoinCode, JOIN_CODE_ALPHABET, joinCodeCheckCharacter, normalizeJoinCode } from '../../shared/team';
import { newLoanInput } from '../helpers/applicant';
import { emulatorPlaid } from '../helpers/emulator-plaid';
import { setUpTeamDatabase } from './team-setup';

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const outcome = await promise.then(
    () => null,
    (err: unknown) => err as { code?: string; message: string },
  );
  expect(outcome, 'expected a refusal').not.toBeNull();
  return outcome!;
}

const inADay = () => new Date(Date.now() + 24 * 3600_000);

/** Another well-formed code (right length and check character) that belongs to no invitation. */
function otherWellFormedCode(code: string): string {
  const normalized = normalizeJoinCode(code);
  const body = normalized.slice(0, -1).split('');
  const last = body.length - 1;
  body[last] = JOIN_CODE_ALPHABET[(JOIN_CODE_ALPHABET.indexOf(body[last]!) + 1) % 32]!;
  const text = body.join('');
  return formatJoinCode(text + joinCodeCheckCharacter(text));
}

describe('creating the team and admitting members', async () => {
  const team = await setUpTeamDatabase();
  const { admin } = team;
  const keyring = team.team.keyring;

  it('creates the team once, from the owner’s login only', async () => {
    expect((await failure(createTeam({ engine: admin, name: 'Again', adminName: 'Alice' }))).code).toBe(
      'TEAM_ALREADY_CREATED',
    );
    const members = await listMembers({ engine: admin });
    expect(members).toMatchObject([
      { id: team.team.memberId, name: 'Alice Admin', role: 'admin', dbRole: team.ownerUser, keyVersions: [1] },
    ]);
    const invitation = await inviteMember({
      engine: admin,
      keyring,
      name: 'Omar Officer',
      role: 'officer',
      expiresAt: inADay(),
    });
    const officer = await joinTeam({
      joinText: invitation.joinText,
      joinCode: invitation.joinCode,
      caPem: team.db.caPem,
    });
    const officerEngine = await team.connect(officer.connection);
    const refused = await failure(
      inviteMember({
        engine: officerEngine,
        keyring: officer.keyring,
        name: 'Eve',
        role: 'officer',
        expiresAt: inADay(),
      }),
    );
    expect(refused.code).toBe('TEAM_ADMIN_NOT_OWNER');
    expect(refused.message).toContain('database administrator');
    // One admin per team: the owner login, the only one that can create logins and run migrations.
    expect(
      (
        await failure(
          inviteMember({ engine: admin, keyring, name: 'Second Admin', role: 'admin', expiresAt: inADay() }),
        )
      ).code,
    ).toBe('TEAM_ONE_ADMIN');
  });

  it('admits with the text and the code together, once; each alone or mistyped opens nothing', async () => {
    const invitation = await inviteMember({
      engine: admin,
      keyring,
      name: 'Wendy Officer',
      email: 'wendy@example.com',
      role: 'officer',
      expiresAt: inADay(),
    });
    expect(invitation.joinText).toMatch(/^assetdesk-join:v1:[A-Za-z0-9_-]+$/);
    expect(invitation.joinCode).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    // The login's password travels only sealed: it is neither in the text's clear parts nor on the server.
    const decoded = Buffer.from(invitation.joinText.split(':')[2]!, 'base64url').toString('utf8');
    expect(decoded).not.toContain(invitation.dbUser);
    const caPem = team.db.caPem;
    expect(
      (
        await failure(
          joinTeam({ joinText: invitation.joinText, joinCode: otherWellFormedCode(invitation.joinCode), caPem }),
        )
      ).code,
    ).toBe('JOIN_CODE_WRONG');
    const typo = invitation.joinCode.replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await failure(joinTeam({ joinText: invitation.joinText, joinCode: typo, caPem }))).code).toBe(
      'JOIN_CODE_MISTYPED',
    );
    expect(
      (await failure(joinTeam({ joinText: invitation.joinText.slice(0, -10), joinCode: invitation.joinCode, caPem })))
        .code,
    ).toBe('INVITATION_DAMAGED');

    const joined = await joinTeam({ joinText: invitation.joinText, joinCode: invitation.joinCode, caPem });
    expect(joined).toMatchObject({ role: 'officer', teamId: keyring.teamId, memberId: invitation.memberId });
    expect(joined.connection.url).not.toContain(joined.connection.password);
    expect(joined.connection.url).toContain('sslmode=verify-full');
    expect(joined.keyring.keys.get(1)).toEqual(keyring.keys.get(1));
    // Signed in with the desk's own new password; the server recorded the key and lifted the expiry.
    const client = await team.client(joined.connection);
    const me = await client.query<{ public_key: Buffer; joined_at: string; valid: string | null }>(
      `SELECT m.public_key, m.joined_at, (SELECT rolvaliduntil::text FROM pg_roles WHERE rolname = session_user) AS valid
       FROM team_members m WHERE m.db_role = session_user`,
    );
    expect(me.rows[0]!.public_key.equals(joined.keyPair.publicKey)).toBe(true);
    expect(me.rows[0]!.valid).toBe('infinity');

    const again = await failure(joinTeam({ joinText: invitation.joinText, joinCode: invitation.joinCode, caPem }));
    expect(again.code).toBe('JOIN_CODE_USED');
    expect(again.message).toContain('already used');
    const listed = (await listMembers({ engine: admin })).find((m) => m.id === invitation.memberId)!;
    expect(listed).toMatchObject({ name: 'Wendy Officer', email: 'wendy@example.com', addedBy: team.team.memberId });
    expect(listed.joinedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('refuses an expired code at the desk, and the server refuses its login even when the desk’s clock is wrong', async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
    const invitation = await inviteMember({
      engine: admin,
      keyring,
      name: 'Late Larry',
      role: 'processor',
      expiresAt: hoursAgo(1),
      now: hoursAgo(2),
    });
    const caPem = team.db.caPem;
    expect(
      (await failure(joinTeam({ joinText: invitation.joinText, joinCode: invitation.joinCode, caPem }))).code,
    ).toBe('JOIN_CODE_EXPIRED');
    const server = await failure(
      joinTeam({ joinText: invitation.joinText, joinCode: invitation.joinCode, caPem, now: hoursAgo(2) }),
    );
    expect(server.code).toBe('JOIN_CODE_USED');
    expect(server.message).toContain('expired');
    // A new invitation for the same person works.
    const fresh = await inviteAgain({ engine: admin, keyring, memberId: invitation.memberId, expiresAt: inADay() });
    expect(fresh.dbUser).toBe(invitation.dbUser);
    const joined = await joinTeam({ joinText: fresh.joinText, joinCode: fresh.joinCode, caPem });
    expect(joined.role).toBe('processor');
  });
});

describe('removing a member', async () => {
  const emulator: RunningEmulator = await startEmulator({ readyAfterMs: 0 });
  afterAll(() => emulator.close());
  const plaid: PlaidApi = emulatorPlaid(emulator);
  const team = await setUpTeamDatabase();
  const { admin } = team;
  const caPem = team.db.caPem;
  const admit = async (name: string, role: 'officer' | 'processor') => {
    const invitation = await inviteMember({
      engine: admin,
      keyring: team.team.keyring,
      name,
      role,
      expiresAt: inADay(),
    });
    return joinTeam({ joinText: invitation.joinText, joinCode: invitation.joinCode, caPem });
  };
  const stays = await admit('Olga Officer', 'officer');
  const leaves = await admit('Lou Leaving', 'officer');
  const pending = await inviteMember({
    engine: admin,
    keyring: team.team.keyring,
    name: 'Paula Pending',
    role: 'processor',
    expiresAt: inADay(),
  });

  // Real loan work before the removal: a borrower with an SSN and a bank linked at the emulator.
  const store = await team.openStore(stays.connection, stays.keyring);
  const loan = await store.loans.create(newLoanInput({ loanNumber: 'LN-REMOVE-1', ssn: '456-78-9012' }));
  const linked = await plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: [Products.Assets],
  });
  const exchanged = await plaid.itemPublicTokenExchange({ public_token: linked.data.public_token });
  const oldToken = exchanged.data.access_token;
  const item = await store.items.add({
    applicantId: loan.borrowers[0]!.id,
    environment: 'emulator',
    plaidItemId: exchanged.data.item_id,
    accessToken: oldToken,
    institutionId: 'ins_109508',
    institutionName: 'First Platypus Bank',
    accounts: [],
  });
  const reportText = 'ASSET REPORT PLAINTEXT MARKER 7731';
  const reportId = 'report-remove-1';
  const v1 = createTeamValueCipher(stays.keyring);
  await store.engine
    .statement(
      `INSERT INTO reports (id, applicant_id, environment, kind, status, days_requested, include_applicant_details,
         report_token_enc, created_at, loan_id) VALUES (?, ?, 'emulator', 'create', 'ready', 61, 1, ?, ?, ?)`,
    )
    .run(
      reportId,
      loan.borrowers[0]!.id,
      v1.sealText('assets-sandbox-report-token-5521', {
        table: 'reports',
        column: 'report_token_enc',
        rowId: reportId,
      }),
      new Date().toISOString(),
      loan.id,
    );
  await store.engine
    .statement("INSERT INTO report_content (report_id, json_codec, json_enc, pdf_enc) VALUES (?, 'none', ?, ?)")
    .run(
      reportId,
      v1.sealText(JSON.stringify({ report: reportText }), {
        table: 'report_content',
        column: 'json_enc',
        rowId: reportId,
      }),
      v1.seal(Buffer.from(`%PDF-1.7 ${reportText}`), { table: 'report_content', column: 'pdf_enc', rowId: reportId }),
    );

  it('cuts the member off, rotates the key for the others and replaces the access tokens they could have copied', async () => {
    const leaverSession = await team.client(leaves.connection);
    await leaverSession.query('SELECT 1');
    // The remaining officer's desk listens, as it does for loan changes.
    const listener = await team.client(stays.connection);
    const heard: { table: string; op: string }[] = [];
    listener.on('notification', (n) => heard.push(JSON.parse(n.payload ?? '{}') as { table: string; op: string }));
    await listener.query('LISTEN assetdesk_changes');

    const removed = await removeMember({ engine: admin, keyring: team.team.keyring, memberId: leaves.memberId });
    expect(removed.keyVersion).toBe(2);
    expect(removed.sessionsEnded).toBe(true);
    expect(removed.itemsToReplace).toEqual([
      { itemId: item.id, environment: 'emulator', plaidItemId: exchanged.data.item_id },
    ]);
    expect(removed.toInviteAgain).toEqual([
      { memberId: pending.memberId, name: 'Paula Pending', email: null, role: 'processor' },
    ]);

    await expect.poll(() => heard).toContainEqual(expect.objectContaining({ table: 'team', op: 'update' }));
    expect(heard).toContainEqual(expect.objectContaining({ table: 'team_members', op: 'update' }));

    // The open session is gone, and the login cannot sign in again.
    await failure(leaverSession.query('SELECT 1'));
    expect((await failure(team.connect(leaves.connection).then((e) => e.ping()))).code).toBe('TEAM_DATABASE_AUTH');
    // The pending code carried the old keyring: withdrawn.
    expect((await failure(joinTeam({ joinText: pending.joinText, joinCode: pending.joinCode, caPem }))).code).toBe(
      'JOIN_CODE_USED',
    );

    // Plaid gives the Item a new token, sealed under the new key; the old one (maybe copied) is dead.
    const replacedTokens = await replaceAccessTokens({
      engine: admin,
      keyring: removed.keyring,
      items: removed.itemsToReplace,
      invalidate: async (environment, accessToken) => {
        expect(environment).toBe('emulator');
        return (await plaid.itemAccessTokenInvalidate({ access_token: accessToken })).data.new_access_token;
      },
    });
    expect(replacedTokens).toEqual({ replaced: [item.id], failed: [] });
    const oldRefused = await failure(plaid.itemGet({ access_token: oldToken }));
    expect((oldRefused as unknown as { response: { data: { error_code: string } } }).response.data.error_code).toBe(
      'INVALID_ACCESS_TOKEN',
    );

    // The remaining officer fetches version 2 and reads the new token and everything sealed before.
    const refreshed = await refreshKeyring({
      engine: store.engine,
      keyPair: stays.keyPair,
      memberId: stays.memberId,
      keyring: stays.keyring,
    });
    expect(refreshed.added).toEqual([2]);
    expect(refreshed.teamVersion).toBe(2);
    const storeV2 = await team.openStore(stays.connection, refreshed.keyring);
    const newToken = await storeV2.items.accessToken(item.id);
    expect(newToken).not.toBe(oldToken);
    expect((await plaid.itemGet({ access_token: newToken })).data.item.item_id).toBe(exchanged.data.item_id);
    expect(await storeV2.applicants.revealSsn(loan.borrowers[0]!.id)).toBe('456-78-9012');

    // Sealed after the rotation: the leaver's keyring (version 1 only) cannot open it.
    const sealedToken = (await storeV2.engine
      .statement('SELECT access_token_enc FROM items WHERE id = ?')
      .pluck()
      .get(item.id)) as Buffer;
    const where = { table: 'items', column: 'access_token_enc', rowId: item.id };
    expect(createTeamValueCipher(refreshed.keyring).versionOf(sealedToken)).toBe(2);
    expect(() => createTeamValueCipher(leaves.keyring).openText(sealedToken, where)).toThrow();
    expect(createTeamValueCipher(removed.keyring).openText(sealedToken, where)).toBe(newToken);

    const members = await listMembers({ engine: admin });
    expect(members.find((m) => m.id === leaves.memberId)!.removedAt).toMatch(/Z$/);
    expect(members.find((m) => m.id === stays.memberId)!.keyVersions).toEqual([2]);
    expect(members.find((m) => m.id === team.team.memberId)!.keyVersions).toEqual([1, 2]);

    // Invited again, the pending member gets the rotated keyring.
    const again = await inviteAgain({
      engine: admin,
      keyring: removed.keyring,
      memberId: pending.memberId,
      expiresAt: inADay(),
    });
    const joined = await joinTeam({ joinText: again.joinText, joinCode: again.joinCode, caPem });
    expect([...joined.keyring.keys.keys()]).toEqual([1, 2]);
    expect(joined.keyring.version).toBe(2);
  });

  it('leaves no plaintext token, SSN or report text anywhere in a dump of the database', () => {
    const bins = postgresBinaries()!;
    // The dump tool of the same PostgreSQL as the cluster (a PATH entry may be a link to it).
    const dump = execFileSync(join(dirname(realpathSync(bins.pgCtl)), 'pg_dump'), ['--no-owner', team.db.name], {
      env: {
        ...process.env,
        PGHOST: '127.0.0.1',
        PGPORT: String(new URL(team.db.url).port),
        PGUSER: team.db.superuser,
        PGPASSWORD: team.db.password,
        PGSSLMODE: 'verify-full',
        PGSSLROOTCERT: team.db.caFile,
      },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(dump).toContain('LN-REMOVE-1');
    expect(dump).toContain('First Platypus Bank');
    for (const secret of [
      oldToken,
      'access-sandbox-',
      '456-78-9012',
      '456789012',
      'assets-sandbox-report-token-5521',
      reportText,
      '%PDF',
    ]) {
      expect(dump, secret).not.toContain(secret);
      // bytea is dumped as hex: the plaintext must not hide there either.
      expect(dump, `${secret} (hex)`).not.toContain(Buffer.from(secret).toString('hex'));
    }
  });
});
