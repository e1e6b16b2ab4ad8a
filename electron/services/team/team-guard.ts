import { AppError } from '../../../shared/errors';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import type { ChannelName } from '../../../shared/ipc/channels';
import { CHANNEL_USES, canUse, roleRefusal } from '../../../shared/team';
import type { TeamDesk } from './team-desk';

/** The officer's words for what a channel does, for "… can't be done now" while the team database is away. */
const ACTIONS: Partial<Record<ChannelName, string>> = {
  'loans:create': 'create the loan file',
  'loans:update': 'save the loan file',
  'loans:setStatus': 'change the loan status',
  'loans:delete': 'delete the loan file',
  'loans:export': 'export the loan file',
  'borrowers:add': 'add the borrower',
  'borrowers:update': 'save the borrower',
  'borrowers:remove': 'remove the borrower',
  'link:createToken': 'start Link',
  'link:complete': 'save the linked bank',
  'reports:create': 'create the report',
  'reports:refresh': 'refresh the report',
  'reports:filter': 'filter the report',
  'reports:remove': 'remove the report',
  'reports:export': 'export the report',
  'reports:pdf': 'open the PDF',
  'reports:get': 'open the report',
  'reports:view': 'open the report',
  'auditCopies:create': 'share the audit copy',
  'team:invite': 'invite the member',
  'team:removeMember': 'remove the member',
  'team:members': 'list the members',
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
      if (CHANNEL_USES[name].duty === 'desk') return handler(request);
      return desk.connectivity.guard(ACTIONS[name] ?? 'do that', () => handler(request));
    };
  }
  return guarded as unknown as ContractHandlers;
}
