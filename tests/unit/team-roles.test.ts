import { describe, expect, it } from 'vitest';
import { OFFLINE_ACTIONS } from '../../electron/services/team/team-guard';
import { CHANNEL_NAMES, type ChannelName } from '../../shared/ipc/channels';
import {
  allowedChannels,
  canUse,
  CHANNEL_USES,
  roleDuties,
  roleLabel,
  roleRefusal,
  ROLE_NOT_ALLOWED,
  TEAM_ROLES,
  TeamMember,
  TeamRole,
} from '../../shared/team';

const uses = CHANNEL_USES as Record<string, (typeof CHANNEL_USES)[ChannelName]>;

describe('the permission table', () => {
  it('classifies every IPC channel, and nothing else', () => {
    const unclassified = CHANNEL_NAMES.filter((channel) => !(channel in uses));
    expect(unclassified).toEqual([]);
    const unknown = Object.keys(uses).filter((channel) => !(CHANNEL_NAMES as readonly string[]).includes(channel));
    expect(unknown).toEqual([]);
  });

  it('gives a processor no channel that calls Plaid or deletes, and no loan or team changes', () => {
    const processor = allowedChannels('processor');
    expect(processor.filter((c) => uses[c]!.callsPlaid)).toEqual([]);
    expect(processor.filter((c) => uses[c]!.deletes)).toEqual([]);
    expect(processor.filter((c) => uses[c]!.duty === 'loanWork' || uses[c]!.duty === 'teamAdmin')).toEqual([]);
    // Named outright, so a reclassification that slips one of these in fails here too.
    for (const channel of [
      'reports:create',
      'reports:refresh',
      'reports:filter',
      'reports:remove',
      'link:createToken',
      'link:complete',
      'link:createHosted',
      'items:remove',
      'auditCopies:create',
      'auditCopies:remove',
      'auditCopies:copyToken',
      'loans:delete',
      'borrowers:remove',
      'loans:create',
      'credentials:save',
    ] as const)
      expect(canUse('processor', channel), channel).toBe(false);
  });

  it('lets a processor read and export', () => {
    for (const channel of [
      'loans:list',
      'loans:get',
      'reports:search',
      'reports:get',
      'reports:pdf',
      'reports:export',
      'loans:export',
      'activity:list',
      'files:showInFolder',
    ] as const)
      expect(canUse('processor', channel), channel).toBe(true);
  });

  it('gives an officer everything on loans and nothing of team administration', () => {
    const officer = allowedChannels('officer');
    expect(officer.filter((c) => uses[c]!.duty === 'teamAdmin')).toEqual([]);
    for (const channel of [
      'settings:update',
      'settings:switchEnvironment',
      'credentials:save',
      'credentials:clear',
    ] as const)
      expect(canUse('officer', channel), channel).toBe(false);
    const loanWork = CHANNEL_NAMES.filter((c) => ['loanWork', 'read', 'export', 'desk'].includes(uses[c]!.duty));
    expect(officer).toEqual(loanWork);
    for (const channel of [
      'loans:create',
      'reports:create',
      'reports:refresh',
      'auditCopies:create',
      'reports:remove',
    ] as const)
      expect(canUse('officer', channel), channel).toBe(true);
  });

  it('gives the admin the team’s settings and Plaid keys, and everything an officer may do', () => {
    expect(allowedChannels('admin')).toEqual([...CHANNEL_NAMES]);
    const officer = new Set(allowedChannels('officer'));
    const processor = allowedChannels('processor');
    expect(processor.every((c) => officer.has(c))).toBe(true);
    expect(canUse('admin', 'credentials:save')).toBe(true);
  });

  it('marks what deletes and what calls Plaid consistently with the channel names', () => {
    for (const channel of CHANNEL_NAMES) {
      const action = channel.split(':')[1]!;
      if (/^(remove|delete|clear)$/.test(action)) {
        expect(uses[channel]!.deletes, channel).toBe(true);
      }
      // Reading the Hosted Link sessions, and hearing that the borrower left Link, ask nothing of Plaid.
      if (channel.startsWith('link:') && channel !== 'link:hostedSessions' && channel !== 'link:exited')
        expect(uses[channel]!.callsPlaid, channel).toBe(true);
    }
    for (const channel of [
      'reports:create',
      'reports:refresh',
      'reports:filter',
      'auditCopies:create',
      'items:remove',
    ] as const)
      expect(CHANNEL_USES[channel].callsPlaid, channel).toBe(true);
  });

  it('tells a refused member why and whom to ask', () => {
    const plaidCall = roleRefusal('processor', 'reports:create');
    expect(plaidCall).toMatchObject({ code: ROLE_NOT_ALLOWED, retryable: false });
    expect(plaidCall.message).toMatch(/Processor.*do not contact Plaid.*loan officer/);
    expect(roleRefusal('processor', 'loans:delete').message).toMatch(/cannot delete/);
    expect(roleRefusal('officer', 'credentials:save').message).toMatch(/Only your team admin/);
    expect(roleRefusal('processor', 'loans:create').message).toMatch(/change your role/);
  });

  it('names in the officer’s words what each channel needing the team database could not do while it is away', () => {
    const unnamed = CHANNEL_NAMES.filter((c) => CHANNEL_USES[c].duty !== 'desk' && !OFFLINE_ACTIONS[c]);
    expect(unnamed).toEqual([]);
  });

  it('refuses a channel it does not know', () => {
    expect(canUse('admin', 'team:explode' as ChannelName)).toBe(false);
  });
});

describe('roles in words', () => {
  it('has a label and duties for every role', () => {
    expect(TEAM_ROLES).toEqual(['admin', 'officer', 'processor']);
    for (const role of TEAM_ROLES) {
      expect(roleLabel[role].length).toBeGreaterThan(3);
      expect(roleDuties[role].length).toBeGreaterThan(30);
    }
    expect(roleDuties.processor).toMatch(/Cannot contact Plaid or delete/);
    expect(TeamRole.safeParse('manager').success).toBe(false);
  });

  it('validates member records', () => {
    const member = {
      id: 'm-1',
      name: 'Dana Processor',
      email: 'dana@branch.example',
      role: 'processor',
      addedAt: '2026-11-30T12:00:00Z',
    };
    expect(TeamMember.parse(member)).toEqual(member);
    expect(TeamMember.parse({ ...member, removedAt: '2026-12-01T09:00:00Z' }).removedAt).toBe('2026-12-01T09:00:00Z');
    expect(TeamMember.safeParse({ ...member, role: 'owner' }).success).toBe(false);
    expect(TeamMember.safeParse({ ...member, email: 'not an email' }).success).toBe(false);
    expect(TeamMember.safeParse({ ...member, name: '  ' }).success).toBe(false);
    expect(TeamMember.safeParse({ ...member, addedAt: 'yesterday' }).success).toBe(false);
  });
});
