import { createMemoryLogger } from '../../electron/log/logger';
import { RuntimeSecrets, rememberingTeamSecrets } from '../../electron/services/runtime-secrets';
import type { TeamKeychain, TeamMembershipSecrets } from '../../electron/services/team/keychain';

/** The secrets the services hold at run time, as the logger is given them. */
describe('run-time secrets for the logger', () => {
  it('keeps each value once, ignores empty ones, and a logger reading it redacts values added later', () => {
    const secrets = new RuntimeSecrets();
    const logger = createMemoryLogger({ secrets: () => secrets.list() });
    logger.info('before: team-password-1');
    secrets.add('team-password-1', undefined, null, '', 'team-password-1');
    expect(secrets.list()).toEqual(['team-password-1']);
    logger.info('after: team-password-1');
    expect(logger.lines[0]).toContain('team-password-1');
    expect(logger.lines[1]).not.toContain('team-password-1');
  });

  it("the team keychain's database password is remembered when it is read or saved", async () => {
    const stored = new Map<string, TeamMembershipSecrets>();
    const keychain: TeamKeychain = {
      save: async (s) => void stored.set(s.teamId, s),
      load: async (teamId) => stored.get(teamId) ?? null,
      remove: async (teamId) => stored.delete(teamId),
    };
    const membership = (teamId: string, databasePassword: string) =>
      ({ teamId, memberId: 'm1', databasePassword }) as unknown as TeamMembershipSecrets;
    stored.set('t1', membership('t1', 'read-from-keychain'));
    const secrets = new RuntimeSecrets();
    const remembering = rememberingTeamSecrets(keychain, secrets);
    await remembering.load('t1');
    await remembering.save(membership('t2', 'saved-at-join'));
    expect(await remembering.load('none')).toBeNull();
    expect(secrets.list()).toEqual(['read-from-keychain', 'saved-at-join']);
    expect(await remembering.remove('t2')).toBe(true);
  });
});
