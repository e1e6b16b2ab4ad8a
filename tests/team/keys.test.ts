import { describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../shared/errors';
import { JOIN_CODE_ALPHABET, JoinCodeText, normalizeJoinCode } from '../../shared/team';
import {
  checkInvitationProof,
  createInvitation,
  invitationIdOf,
  joinCodeDerivationCount,
  redeemInvitation,
  type InvitationRecord,
} from '../../electron/services/team/invitations';
import {
  addTeamKeyVersion,
  createMemberKeyPair,
  createTeamKeyring,
  currentTeamKey,
  parseKeyring,
  rotateTeamKey,
  serializeKeyring,
  TeamKeyErrorCodes,
  unwrapForMember,
  wrapCurrentKeyForMembers,
  wrapForMember,
} from '../../electron/services/team/keys';
import { createTeamValueCipher } from '../../electron/services/team/value-cipher';

/** The AppError a call throws (fails the test when it does not throw one). */
async function appErrorOf(work: () => unknown): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const flip = (buf: Buffer, index: number): Buffer => {
  const copy = Buffer.from(buf);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
};

describe('team keyring', () => {
  it('starts at version 1 with one 32-byte random key, different for every team', () => {
    const a = createTeamKeyring('team-a');
    const b = createTeamKeyring('team-b');
    expect(a).toMatchObject({ teamId: 'team-a', version: 1 });
    expect([...a.keys.keys()]).toEqual([1]);
    expect(currentTeamKey(a)).toHaveLength(32);
    expect(currentTeamKey(a).equals(currentTeamKey(b))).toBe(false);
  });

  it('survives serialisation with every version', () => {
    const keyring = rotateTeamKey(rotateTeamKey(createTeamKeyring('team-s')));
    const back = parseKeyring(serializeKeyring(keyring));
    expect(back.teamId).toBe('team-s');
    expect(back.version).toBe(3);
    for (const v of [1, 2, 3]) expect(back.keys.get(v)?.equals(keyring.keys.get(v)!)).toBe(true);
    expect(() => parseKeyring(serializeKeyring(keyring).replace(/"version":3/, '"version":4'))).toThrow();
  });
});

describe('wrapping the team key for a member', () => {
  const keyring = createTeamKeyring('team-w');
  const member = createMemberKeyPair();
  const where = { teamId: 'team-w', memberId: 'member-1', version: 1 };
  const wrapped = wrapForMember({ ...where, teamKey: currentTeamKey(keyring), memberPublicKey: member.publicKey });

  it('round-trips with the member key pair, and each wrap is fresh', () => {
    expect(member.publicKey).toHaveLength(32);
    expect(member.privateKey).toHaveLength(32);
    const unwrapped = unwrapForMember({ ...where, wrapped, memberKeyPair: member });
    expect(unwrapped.equals(currentTeamKey(keyring))).toBe(true);
    const again = wrapForMember({ ...where, teamKey: currentTeamKey(keyring), memberPublicKey: member.publicKey });
    expect(again.equals(wrapped)).toBe(false);
    expect(wrapped.includes(currentTeamKey(keyring))).toBe(false);
  });

  it('refuses a wrap with any one byte changed', async () => {
    for (let i = 0; i < wrapped.length; i += 1) {
      const error = await appErrorOf(() =>
        unwrapForMember({ ...where, wrapped: flip(wrapped, i), memberKeyPair: member }),
      );
      expect(error.code, `byte ${i}`).toBe(TeamKeyErrorCodes.teamKeyNotForThisDesk);
    }
    const truncated = await appErrorOf(() =>
      unwrapForMember({ ...where, wrapped: wrapped.subarray(0, -1), memberKeyPair: member }),
    );
    expect(truncated.code).toBe(TeamKeyErrorCodes.teamKeyNotForThisDesk);
  });

  it('refuses another member’s key, and a wrap moved to another member, team or version', async () => {
    const other = createMemberKeyPair();
    const errors = [
      await appErrorOf(() => unwrapForMember({ ...where, wrapped, memberKeyPair: other })),
      // The right private key with another member's public key: the HKDF salt differs.
      await appErrorOf(() =>
        unwrapForMember({ ...where, wrapped, memberKeyPair: { ...member, publicKey: other.publicKey } }),
      ),
      await appErrorOf(() => unwrapForMember({ ...where, memberId: 'member-2', wrapped, memberKeyPair: member })),
      await appErrorOf(() => unwrapForMember({ ...where, teamId: 'team-x', wrapped, memberKeyPair: member })),
      await appErrorOf(() => unwrapForMember({ ...where, version: 2, wrapped, memberKeyPair: member })),
    ];
    for (const error of errors) {
      expect(error.code).toBe(TeamKeyErrorCodes.teamKeyNotForThisDesk);
      expect(error.message).toMatch(/Ask your team admin/);
    }
  });
});

describe('join codes', () => {
  const keyring = rotateTeamKey(createTeamKeyring('team-j'));
  const now = new Date('2026-11-30T12:00:00Z');
  const expiresAt = new Date('2026-12-07T12:00:00Z');
  const invite = () => createInvitation({ role: 'processor', teamKeyring: keyring, expiresAt, now });

  it('is 8 dash-separated groups of 4 Crockford characters carrying the invitation id, and redeems to the keyring', async () => {
    const { code, record } = await invite();
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(invitationIdOf(code)).toBe(record.invitationId);
    expect(record).toMatchObject({ teamId: 'team-j', role: 'processor', expiresAt: expiresAt.toISOString() });
    expect(record.kdf.N).toBeGreaterThanOrEqual(2 ** 15);
    // Nothing in the record is the code or a key.
    const stored = JSON.stringify(record);
    expect(stored).not.toContain(normalizeJoinCode(code).slice(7, 31));
    for (const key of keyring.keys.values()) expect(stored).not.toContain(key.toString('base64'));

    const redeemed = await redeemInvitation(code, record, now);
    expect(redeemed.role).toBe('processor');
    expect(redeemed.teamId).toBe('team-j');
    expect(redeemed.keyring.version).toBe(2);
    for (const v of [1, 2]) expect(redeemed.keyring.keys.get(v)?.equals(keyring.keys.get(v)!)).toBe(true);
    expect(checkInvitationProof(record, redeemed.proof)).toBe(true);
    expect(checkInvitationProof(record, Buffer.alloc(32))).toBe(false);
  });

  it('normalises case, spaces, dashes and the letters O, I and L', async () => {
    const { code, record } = await invite();
    const sloppy = code
      .toLowerCase()
      .replace(/0/g, 'o')
      .replace(/1/g, () => 'l')
      .replace(/-/g, ' ');
    expect(normalizeJoinCode(sloppy)).toBe(code.replace(/-/g, ''));
    expect(JoinCodeText.parse(` ${sloppy} `)).toBe(code.replace(/-/g, ''));
    const redeemed = await redeemInvitation(sloppy.replace(/ /g, ''), record, now);
    expect(redeemed.keyring.version).toBe(2);
  });

  it('detects every single mistyped character before any scrypt work', async () => {
    const { code, record } = await invite();
    const normalized = normalizeJoinCode(code);
    const before = joinCodeDerivationCount();
    let tried = 0;
    for (let i = 0; i < normalized.length; i += 1) {
      for (const c of JOIN_CODE_ALPHABET) {
        if (c === normalized[i]) continue;
        const typo = normalized.slice(0, i) + c + normalized.slice(i + 1);
        const error = await appErrorOf(() => redeemInvitation(typo, record, now));
        expect(error.code).toBe(TeamKeyErrorCodes.joinCodeMistyped);
        tried += 1;
      }
    }
    // A missing character and an unknown letter are typos too.
    expect((await appErrorOf(() => redeemInvitation(normalized.slice(1), record, now))).code).toBe(
      TeamKeyErrorCodes.joinCodeMistyped,
    );
    expect((await appErrorOf(() => redeemInvitation(`U${normalized.slice(1)}`, record, now))).code).toBe(
      TeamKeyErrorCodes.joinCodeMistyped,
    );
    expect(tried).toBe(32 * 31);
    expect(joinCodeDerivationCount()).toBe(before);
    expect(JoinCodeText.safeParse(`${normalized.slice(0, -1)}${normalized.at(-1) === '0' ? '1' : '0'}`).success).toBe(
      false,
    );
  });

  it('refuses a well-formed code that is not this invitation’s, after the key derivation', async () => {
    const { code, record } = await invite();
    const { code: otherCode } = await invite();
    // Same invitation id, another secret, a valid check character: only the slow check can tell.
    const forged = `${invitationIdOf(code)}${normalizeJoinCode(otherCode).slice(7)}`;
    const { joinCodeCheckCharacter } = await import('../../shared/team');
    const withCheck = forged.slice(0, -1) + joinCodeCheckCharacter(forged.slice(0, -1));
    const before = joinCodeDerivationCount();
    expect((await appErrorOf(() => redeemInvitation(withCheck, record, now))).code).toBe(
      TeamKeyErrorCodes.joinCodeWrong,
    );
    expect(joinCodeDerivationCount()).toBe(before + 1);
    // A code for another invitation altogether is refused on its id, without derivation.
    expect((await appErrorOf(() => redeemInvitation(otherCode, record, now))).code).toBe(
      TeamKeyErrorCodes.joinCodeWrong,
    );
    expect(joinCodeDerivationCount()).toBe(before + 1);
  });

  it('refuses an expired or used invitation, and a record whose role or keyring was changed', async () => {
    const { code, record } = await invite();
    const expired = await appErrorOf(() => redeemInvitation(code, record, expiresAt));
    expect(expired.code).toBe(TeamKeyErrorCodes.joinCodeExpired);
    expect(expired.message).toMatch(/expired/);
    const used = await appErrorOf(() => redeemInvitation(code, { ...record, usedAt: now.toISOString() }, now));
    expect(used.code).toBe(TeamKeyErrorCodes.joinCodeUsed);
    // The server cannot promote a processor: the role is bound to the sealed keyring.
    const promoted: InvitationRecord = { ...record, role: 'admin' };
    expect((await appErrorOf(() => redeemInvitation(code, promoted, now))).code).toBe(
      TeamKeyErrorCodes.invitationDamaged,
    );
    const sealed = Buffer.from(record.wrappedKeyring, 'base64');
    const tampered = { ...record, wrappedKeyring: flip(sealed, 20).toString('base64') };
    expect((await appErrorOf(() => redeemInvitation(code, tampered, now))).code).toBe(
      TeamKeyErrorCodes.invitationDamaged,
    );
    const weak = { ...record, kdf: { ...record.kdf, N: 2 ** 10 } };
    expect((await appErrorOf(() => redeemInvitation(code, weak, now))).code).toBe(TeamKeyErrorCodes.invitationDamaged);
  });

  it('will not create an invitation that is already expired', async () => {
    await expect(createInvitation({ role: 'officer', teamKeyring: keyring, expiresAt: now, now })).rejects.toThrow(
      /future/,
    );
  });
});

describe('rotation and the team value cipher', () => {
  const where = { table: 'report_content', column: 'json_enc', rowId: 'report-1' };

  it('keeps values written before a rotation readable and seals new ones with the new version', () => {
    const first = createTeamKeyring('team-r');
    const before = createTeamValueCipher(first);
    const old = before.sealText('{"report":"before"}', where);
    expect(before.versionOf(old)).toBe(1);

    const rotated = rotateTeamKey(first);
    expect(rotated.version).toBe(2);
    expect(first.version).toBe(1);
    expect(currentTeamKey(rotated).equals(currentTeamKey(first))).toBe(false);
    const after = createTeamValueCipher(rotated);
    const fresh = after.sealText('{"report":"after"}', where);
    expect(after.versionOf(fresh)).toBe(2);
    expect(after.openText(old, where)).toBe('{"report":"before"}');
    expect(after.openText(fresh, where)).toBe('{"report":"after"}');

    // A desk that has not received version 2 yet: the new value reads as damaged, like the local store's.
    const error = (() => {
      try {
        before.open(fresh, where);
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected a failure');
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe(ErrorCodes.storeCorrupt);
    expect(error.message).toMatch(/Asset Report/);
  });

  it('refuses a value with any byte changed, or moved to another row or column', () => {
    const cipher = createTeamValueCipher(rotateTeamKey(createTeamKeyring('team-t')));
    const sealed = cipher.sealText('123-45-6789', { table: 'applicants', column: 'ssn_enc', rowId: 'a1' });
    const at = { table: 'applicants', column: 'ssn_enc', rowId: 'a1' };
    for (let i = 0; i < sealed.length; i += 1) {
      expect(() => cipher.open(flip(sealed, i), at), `byte ${i}`).toThrow(/Social Security number/);
    }
    expect(() => cipher.open(sealed, { ...at, rowId: 'a2' })).toThrow(AppError);
    expect(() => cipher.open(sealed, { ...at, column: 'name_enc' })).toThrow(AppError);
    expect(cipher.openText(sealed, at)).toBe('123-45-6789');
  });

  it('wraps the new version for every remaining member after a rotation', () => {
    const rotated = rotateTeamKey(createTeamKeyring('team-left'));
    const stay = [createMemberKeyPair(), createMemberKeyPair()];
    const rows = wrapCurrentKeyForMembers(rotated, [
      { memberId: 'a', publicKey: stay[0]!.publicKey },
      { memberId: 'b', publicKey: stay[1]!.publicKey },
    ]);
    expect(rows.map((r) => [r.memberId, r.version])).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
    const opened = unwrapForMember({
      teamId: 'team-left',
      memberId: 'b',
      version: 2,
      wrapped: rows[1]!.wrapped,
      memberKeyPair: stay[1]!,
    });
    expect(opened.equals(currentTeamKey(rotated))).toBe(true);
    // The member who left holds only version 1 and cannot open what is sealed under version 2.
    const leaver = { teamId: 'team-left', version: 1, keys: new Map([[1, rotated.keys.get(1)!]]) };
    const sealed = createTeamValueCipher(rotated).sealText('access-sandbox-new', {
      table: 'items',
      column: 'access_token_enc',
      rowId: 'i1',
    });
    expect(() =>
      createTeamValueCipher(leaver).open(sealed, { table: 'items', column: 'access_token_enc', rowId: 'i1' }),
    ).toThrow(/bank connection/);
  });

  it('takes a version sent by the admin into the keyring', () => {
    const admin = rotateTeamKey(createTeamKeyring('team-m'));
    const memberKeys = createMemberKeyPair();
    const wrapped = wrapForMember({
      teamId: 'team-m',
      memberId: 'm1',
      version: 2,
      teamKey: currentTeamKey(admin),
      memberPublicKey: memberKeys.publicKey,
    });
    const memberBefore = { teamId: 'team-m', version: 1, keys: new Map([[1, admin.keys.get(1)!]]) };
    const key = unwrapForMember({ teamId: 'team-m', memberId: 'm1', version: 2, wrapped, memberKeyPair: memberKeys });
    const member = addTeamKeyVersion(memberBefore, 2, key);
    const sealedByAdmin = createTeamValueCipher(admin).seal(Buffer.from('pdf'), where);
    expect(createTeamValueCipher(member).open(sealedByAdmin, where).toString()).toBe('pdf');
  });
});
