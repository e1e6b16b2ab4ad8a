import { AppError } from '../../../shared/errors';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import type { ChannelName } from '../../../shared/ipc/channels';
import { CHANNEL_USES, canUse, roleRefusal } from '../../../shared/team';
import { aroundLink } from './link-open';
import type { TeamDesk } from './team-desk';

/**
 * What every channel that needs the team database does, in the officer's words, for "… AssetDesk can't <action>
 * now" while the database is away (tests/unit/team-roles.test.ts checks none is missing).
 */
export const OFFLINE_ACTIONS: Partial<Record<ChannelName, string>> = {
  'settings:get': 'load the settings',
  'settings:update': 'save the settings',
  'settings:switchEnvironment': 'switch the Plaid environment',
  'credentials:save': 'save the Plaid keys',
  'credentials:clear': 'remove the Plaid keys',
  'loans:list': 'load the loan files',
  'loans:get': 'open the loan file',
  'loans:findByNumber': 'look the loan number up',
  'loans:create': 'create the loan file',
  'loans:update': 'save the loan file',
  'loans:setStatus': 'change the loan status',
  'loans:delete': 'delete the loan file',
  'loans:export': 'export the loan file',
  'loans:fundsToClose': 'count the loan’s funds to close',
  'borrowers:add': 'add the borrower',
  'borrowers:update': 'save the borrower',
  'borrowers:remove': 'remove the borrower',
  'handoff:start': 'hand the computer to the borrower',
  'link:createToken': 'start Link',
  'link:complete': 'save the linked bank',
  'link:updateComplete': 'save the re-linked bank',
  'link:createHosted': 'create the Hosted Link',
  'link:hostedStatus': 'check the Hosted Link',
  'link:hostedSessions': 'load the Hosted Links',
  'link:revokeHosted': 'withdraw the Hosted Link',
  'items:remove': 'remove the bank',
  'reports:create': 'create the report',
  'reports:search': 'search the reports',
  'reports:get': 'open the report',
  'reports:view': 'open the report',
  'reports:pdf': 'open the PDF',
  'reports:refresh': 'refresh the report',
  'reports:filter': 'filter the report',
  'reports:remove': 'remove the report',
  'reports:export': 'export the report',
  'reports:summary': 'open the report',
  'auditCopies:list': 'load the audit copies',
  'auditCopies:create': 'share the audit copy',
  'auditCopies:copyToken': 'copy the audit copy’s token',
  'auditCopies:remove': 'remove the audit copy',
  'deposits:markSourced': 'mark the deposit as sourced',
  'deposits:unmarkSourced': 'undo the sourced deposit',
  'deposits:markSourcedTogether': 'mark the deposits as sourced',
  'deposits:unmarkSourcedTogether': 'undo the sourced deposits',
  'deposits:listSourced': 'load the sourced deposits',
  'underwriting:listConfirmations': 'load the account confirmations',
  'underwriting:confirmAccount': 'confirm the account',
  'underwriting:withdrawConfirmation': 'withdraw the confirmation',
  'underwriting:otherReports': 'load the loan’s other reports',
  'underwriting:getSettings': 'load the underwriting settings',
  'underwriting:updateSettings': 'save the underwriting settings',
  'activity:list': 'load the activity',
  'team:members': 'list the members',
  'team:invite': 'invite the member',
  'team:removeMember': 'remove the member',
  'team:moveHistory': 'move this desk’s history',
};

/**
 * Team mode in front of every handler: the member's role decides what they may do (the database enforces
 * the same with its own grants), and while the team database is away nothing that needs it pretends to
 * work — it answers TEAM_OFFLINE saying what could not be done. This desk's own channels always run.
 */
export function teamGuarded(team: () => TeamDesk | null, handlers: ContractHandlers): ContractHandlers {
  const guarded = {} as Record<ChannelName, (request: unknown) => Promise<unknown>>;
  for (const [name, handler] of Object.entries(handlers) as [ChannelName, (request: unknown) => Promise<unknown>][]) {
    guarded[name] = async (request) => {
      const desk = team();
      if (!desk) return handler(request);
      if (!canUse(desk.config.role, name)) throw new AppError(roleRefusal(desk.config.role, name));
      // A borrower in Link at this desk holds the team's environment until Link ends (link-open.ts).
      const run = () =>
        aroundLink(desk.links, name, request, () => handler(request), {
          store: desk.store,
          environment: () => desk.store.settings.cached('environment'),
        });
      if (CHANNEL_USES[name].duty === 'desk') return run();
      return desk.connectivity.guard(OFFLINE_ACTIONS[name] ?? 'do this', run);
    };
  }
  return guarded as unknown as ContractHandlers;
}
