import { z } from 'zod';
import { ErrorCodes, type AppErrorShape } from './errors';
import { CHANNEL_NAMES, type ChannelName } from './ipc/channels';

/**
 * Team mode: who may do what, in the officer's words, and the shapes of member records and join codes.
 * Shared by the main process (which enforces it) and the screens (which show it).
 */

export const TeamRole = z.enum(['admin', 'officer', 'processor']);
export type TeamRole = z.infer<typeof TeamRole>;
export const TEAM_ROLES: readonly TeamRole[] = TeamRole.options;

/**
 * What a channel does, from the point of view of permissions:
 * - `desk`: this computer only (its keychain, its own local history and backups, clipboard, folders), never the team's data;
 * - `read`: reads the team's loan files, reports and activity;
 * - `export`: writes report or loan files out to a folder the person picks;
 * - `loanWork`: creates or changes loan files (without deleting anything);
 * - `teamAdmin`: the team's settings, Plaid keys and environment, underwriting policy.
 * `callsPlaid` and `deletes` are kept apart from the duty because the processor rule is stated in those terms.
 */
export type ChannelDuty = 'desk' | 'read' | 'export' | 'loanWork' | 'teamAdmin';

export interface ChannelUse {
  duty: ChannelDuty;
  callsPlaid: boolean;
  deletes: boolean;
}

const use = (duty: ChannelDuty, flags: { callsPlaid?: boolean; deletes?: boolean } = {}): ChannelUse => ({
  duty,
  callsPlaid: flags.callsPlaid ?? false,
  deletes: flags.deletes ?? false,
});
const plaid = { callsPlaid: true } as const;
const deletes = { deletes: true } as const;

/**
 * Every IPC channel, classified. `satisfies Record<ChannelName, …>` makes a new channel without a line here a
 * compile error (and tests/unit/team-roles.test.ts checks the same at run time).
 */
export const CHANNEL_USES = {
  'app:info': use('desk'),
  'settings:get': use('read'),
  'settings:update': use('teamAdmin'),
  'settings:switchEnvironment': use('teamAdmin'),
  'credentials:save': use('teamAdmin'),
  'credentials:clear': use('teamAdmin', deletes),
  'loans:list': use('read'),
  'loans:get': use('read'),
  'loans:findByNumber': use('read'),
  'loans:create': use('loanWork'),
  'loans:update': use('loanWork'),
  'loans:setStatus': use('loanWork'),
  'loans:delete': use('loanWork', deletes),
  'loans:export': use('export'),
  'loans:fundsToClose': use('read'),
  'borrowers:add': use('loanWork'),
  'borrowers:update': use('loanWork'),
  'borrowers:remove': use('loanWork', deletes),
  // The hand-off gives this desk's screen to a borrower for Link: starting it is loan work, the rest is this desk's lock.
  'handoff:status': use('desk'),
  'handoff:setPin': use('desk'),
  'handoff:start': use('loanWork'),
  'handoff:end': use('desk'),
  'handoff:endWithOs': use('desk'),
  'link:createToken': use('loanWork', plaid),
  'link:complete': use('loanWork', plaid),
  'link:updateComplete': use('loanWork', plaid),
  // Only lets this desk's hold on the team's environment go (team/link-open.ts).
  'link:exited': use('desk'),
  'link:createHosted': use('loanWork', plaid),
  'link:hostedStatus': use('loanWork', plaid),
  'link:hostedSessions': use('read'),
  'link:revokeHosted': use('loanWork', plaid),
  'items:remove': use('loanWork', { callsPlaid: true, deletes: true }),
  'reports:create': use('loanWork', plaid),
  'reports:search': use('read'),
  'reports:get': use('read'),
  'reports:view': use('read'),
  'reports:pdf': use('read'),
  'reports:refresh': use('loanWork', plaid),
  'reports:filter': use('loanWork', plaid),
  'reports:remove': use('loanWork', { callsPlaid: true, deletes: true }),
  'reports:export': use('export'),
  'reports:summary': use('read'),
  'auditCopies:list': use('read'),
  'auditCopies:create': use('loanWork', plaid),
  // The audit-copy token lets an agency read the report: handing it out is sharing, an officer's act.
  'auditCopies:copyToken': use('loanWork'),
  'auditCopies:remove': use('loanWork', { callsPlaid: true, deletes: true }),
  'deposits:markSourced': use('loanWork'),
  'deposits:unmarkSourced': use('loanWork'),
  'deposits:markSourcedTogether': use('loanWork'),
  'deposits:unmarkSourcedTogether': use('loanWork'),
  'deposits:listSourced': use('read'),
  'underwriting:listConfirmations': use('read'),
  'underwriting:confirmAccount': use('loanWork'),
  'underwriting:withdrawConfirmation': use('loanWork'),
  'underwriting:otherReports': use('read'),
  'underwriting:getSettings': use('read'),
  'underwriting:updateSettings': use('teamAdmin'),
  'activity:list': use('read'),
  'clipboard:writeText': use('desk'),
  'files:showInFolder': use('desk'),
  // Backups and the recovery key concern this computer's own SQLite history, not the team database.
  'backup:status': use('desk'),
  'backup:create': use('desk'),
  'backup:restore': use('desk'),
  'backup:setReminder': use('desk'),
  'recovery:newKey': use('desk'),
  'recovery:confirmSaved': use('desk'),
  'recovery:unlock': use('desk'),
  'keychain:retry': use('desk'),
  // Team mode: joining, leaving and the connection are this desk's; members and policy are the admin's.
  'team:status': use('desk'),
  'team:create': use('desk'),
  'team:join': use('desk'),
  'team:useLocal': use('desk'),
  'team:members': use('read'),
  'team:invite': use('teamAdmin'),
  'team:removeMember': use('teamAdmin', deletes),
  'team:moveHistory': use('loanWork'),
} as const satisfies Record<ChannelName, ChannelUse>;

/**
 * The duties of each role. The admin also does everything an officer does: the admin already controls members
 * and the team's Plaid keys, so keeping loan work from them would protect nothing (they could admit themselves as
 * an officer), and a small branch's manager is usually an originator too. The reverse does not hold: officers and
 * processors never reach team administration.
 */
const ROLE_DUTIES: Record<TeamRole, readonly ChannelDuty[]> = {
  admin: ['desk', 'read', 'export', 'loanWork', 'teamAdmin'],
  officer: ['desk', 'read', 'export', 'loanWork'],
  processor: ['desk', 'read', 'export'],
};

export function canUse(role: TeamRole, channel: ChannelName): boolean {
  const channelUse: ChannelUse | undefined = (CHANNEL_USES as Record<string, ChannelUse>)[channel];
  if (!channelUse) return false;
  if (role === 'processor' && (channelUse.callsPlaid || channelUse.deletes)) return false;
  return ROLE_DUTIES[role].includes(channelUse.duty);
}

export function allowedChannels(role: TeamRole): ChannelName[] {
  return CHANNEL_NAMES.filter((channel) => canUse(role, channel));
}

/** The code a refused call answers with (the main process checks every call against the table). */
export const ROLE_NOT_ALLOWED = ErrorCodes.roleNotAllowed;

/** What a member is told when their role does not allow a call, and whom to ask instead. */
export function roleRefusal(role: TeamRole, channel: ChannelName): AppErrorShape {
  const channelUse: ChannelUse | undefined = (CHANNEL_USES as Record<string, ChannelUse>)[channel];
  const ask =
    channelUse?.duty === 'teamAdmin'
      ? 'Only your team admin can change the team’s settings and Plaid keys; ask them.'
      : role === 'processor' && channelUse?.callsPlaid
        ? 'Processors read and export reports but do not contact Plaid; ask a loan officer on your team to do this.'
        : role === 'processor' && channelUse?.deletes
          ? 'Processors cannot delete anything; ask a loan officer on your team to do this.'
          : 'Ask a loan officer or your team admin to do this, or ask your team admin to change your role.';
  return {
    code: ROLE_NOT_ALLOWED,
    message: `Your role (${roleLabel[role]}) does not allow this. ${ask}`,
    retryable: false,
  };
}

export const roleLabel: Record<TeamRole, string> = {
  admin: 'Team admin',
  officer: 'Loan officer',
  processor: 'Processor',
};

/** One or two sentences a screen can show next to the role (member list, invitation form). */
export const roleDuties: Record<TeamRole, string> = {
  admin:
    'Runs the team: admits and removes members, sets the team’s Plaid keys and settings. Can also do everything a loan officer does.',
  officer:
    'Works the loans: creates and edits loan files, links borrowers’ banks, creates, refreshes, shares and removes Asset Reports, and exports them.',
  processor:
    'Reads loan files and Asset Reports and exports PDFs, JSON and CSV into the loan file. Cannot contact Plaid or delete anything.',
};

export const TeamMember = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(120),
  email: z.email().max(254).optional(),
  role: TeamRole,
  addedAt: z.iso.datetime(),
  /** When they first signed in with their join code (absent: invited, not joined yet). */
  joinedAt: z.iso.datetime().optional(),
  removedAt: z.iso.datetime().optional(),
});
export type TeamMember = z.infer<typeof TeamMember>;

// ---- Join codes -----------------------------------------------------------------------------------------------

/** Crockford's base32: digits and letters without I, L, O, U, so a code read aloud or off paper is typed right. */
export const JOIN_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters of the invitation id (35 bits), of the secret (120 bits), and one check character. */
export const JOIN_CODE_ID_CHARS = 7;
export const JOIN_CODE_SECRET_CHARS = 24;
export const JOIN_CODE_LENGTH = JOIN_CODE_ID_CHARS + JOIN_CODE_SECRET_CHARS + 1;

/** Upper-cases, drops spaces and dashes, and reads O as 0 and I or L as 1, the letters people confuse. */
export function normalizeJoinCode(text: string): string {
  return text
    .toUpperCase()
    .replace(/[\s\-‐-―]+/g, '')
    .replace(/[OIL]/g, (c) => (c === 'O' ? '0' : '1'));
}

/**
 * The check character (Luhn mod 32): catches every single mistyped character and most swapped neighbours,
 * so a typo is reported at once instead of after the slow key derivation.
 */
export function joinCodeCheckCharacter(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i -= 1) {
    const value = JOIN_CODE_ALPHABET.indexOf(body[i]!);
    if (value < 0) throw new Error('not a join-code character');
    const addend = factor * value;
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return JOIN_CODE_ALPHABET[(32 - (sum % 32)) % 32]!;
}

/** Dash-separated groups of four, as the admin reads it out. */
export function formatJoinCode(normalized: string): string {
  return normalized.match(/.{1,4}/g)?.join('-') ?? '';
}

const JOIN_CODE_SHAPE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

/** Whether a normalised code has the right length, alphabet and check character. */
export function isWellFormedJoinCode(normalized: string): boolean {
  if (!JOIN_CODE_SHAPE.test(normalized)) return false;
  return joinCodeCheckCharacter(normalized.slice(0, -1)) === normalized.slice(-1);
}

/** The join code as typed → its normalised form, with a message the person can act on when it is mistyped. */
export const JoinCodeText = z
  .string()
  .max(80, 'A join code is 8 groups of 4 letters and digits.')
  .transform(normalizeJoinCode)
  .refine((code) => JOIN_CODE_SHAPE.test(code), {
    message: 'A join code is 8 groups of 4 letters and digits. Check that you copied all of it.',
  })
  .refine(isWellFormedJoinCode, {
    message: 'One of the characters in this join code is wrong. Check it against what your team admin gave you.',
  });

/** The parts of a normalised, well-formed code. */
export function splitJoinCode(normalized: string): { invitationId: string; secret: string } {
  return {
    invitationId: normalized.slice(0, JOIN_CODE_ID_CHARS),
    secret: normalized.slice(JOIN_CODE_ID_CHARS, JOIN_CODE_ID_CHARS + JOIN_CODE_SECRET_CHARS),
  };
}
