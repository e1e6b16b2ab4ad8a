import { afterAll, describe, expect, test } from 'vitest';
import { AppError, ErrorCodes } from '../../shared/errors';
import { createTeamKeychain } from '../../electron/services/team/keychain';
import {
  createMemberKeyPair,
  createTeamKeyring,
  currentTeamKey,
  rotateTeamKey,
  unwrapForMember,
  wrapForMember,
} from '../../electron/services/team/keys';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';

const hasKeychain = await requireKeychain();
const service = testKeychainService();
const teams = ['team-k1', 'team-k2', 'team-damaged'];

afterAll(async () => {
  if (!hasKeychain) return;
  const keytar = await realKeytar();
  for (const team of teams) await keytar.deletePassword(service, `team:${team}`);
});

describe.skipIf(!hasKeychain)('team secrets in the real Secret Service', () => {
  test('the keyring and the member key come back whole in a later run, one entry per team', async () => {
    const keyring = rotateTeamKey(createTeamKeyring('team-k1'));
    const memberKeyPair = createMemberKeyPair();
    await createTeamKeychain({ service }).save({ teamId: 'team-k1', memberId: 'member-7', memberKeyPair, keyring });

    const later = createTeamKeychain({ service });
    const loaded = await later.load('team-k1');
    expect(loaded).not.toBeNull();
    expect(loaded!.memberId).toBe('member-7');
    expect(loaded!.keyring.version).toBe(2);
    for (const v of [1, 2]) expect(loaded!.keyring.keys.get(v)!.equals(keyring.keys.get(v)!)).toBe(true);
    expect(loaded!.memberKeyPair.privateKey.equals(memberKeyPair.privateKey)).toBe(true);
    // The loaded private key really opens what the admin wraps for this member.
    const wrapped = wrapForMember({
      teamId: 'team-k1',
      memberId: 'member-7',
      version: 2,
      teamKey: currentTeamKey(keyring),
      memberPublicKey: memberKeyPair.publicKey,
    });
    const opened = unwrapForMember({
      teamId: 'team-k1',
      memberId: 'member-7',
      version: 2,
      wrapped,
      memberKeyPair: loaded!.memberKeyPair,
    });
    expect(opened.equals(currentTeamKey(keyring))).toBe(true);

    // Stored as base64 JSON under the team's account: no raw key bytes in the entry's text.
    const raw = await (await realKeytar()).getPassword(service, 'team:team-k1');
    expect(raw).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const document = JSON.parse(Buffer.from(raw!, 'base64').toString('utf8')) as Record<string, unknown>;
    expect(document).toMatchObject({ format: 1, memberId: 'member-7' });

    expect(await later.load('team-k2')).toBeNull();
  });

  test('saving again replaces the entry (a rotation received), and remove forgets the team', async () => {
    const keychain = createTeamKeychain({ service });
    const keyring = createTeamKeyring('team-k2');
    const memberKeyPair = createMemberKeyPair();
    await keychain.save({ teamId: 'team-k2', memberId: 'm', memberKeyPair, keyring });
    const rotated = rotateTeamKey(keyring);
    await keychain.save({ teamId: 'team-k2', memberId: 'm', memberKeyPair, keyring: rotated });
    expect((await keychain.load('team-k2'))!.keyring.version).toBe(2);
    expect(await keychain.remove('team-k2')).toBe(true);
    expect(await keychain.load('team-k2')).toBeNull();
    expect(await keychain.remove('team-k2')).toBe(false);
  });

  test('a damaged entry is reported as such, never silently replaced', async () => {
    await (
      await realKeytar()
    ).setPassword(service, 'team:team-damaged', Buffer.from('{"format":1}').toString('base64'));
    const error = await createTeamKeychain({ service })
      .load('team-damaged')
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCodes.keychainUnavailable);
    expect((error as AppError).message).toMatch(/team key in your keychain is damaged/);
    expect(await (await realKeytar()).getPassword(service, 'team:team-damaged')).not.toBeNull();
  });

  test('refuses to file a keyring under another team', async () => {
    const keyring = createTeamKeyring('team-other');
    await expect(
      createTeamKeychain({ service }).save({
        teamId: 'team-k1',
        memberId: 'm',
        memberKeyPair: createMemberKeyPair(),
        keyring,
      }),
    ).rejects.toThrow(/another team/);
  });
});

test('a keychain failure becomes the officer-facing keychain error', async () => {
  const broken = {
    getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  };
  const error = await createTeamKeychain({ keytar: broken, platform: 'linux' })
    .load('team-x')
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(ErrorCodes.keychainUnavailable);
  expect((error as AppError).message).toMatch(/D-Bus/);
});
