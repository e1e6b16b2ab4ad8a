/**
 * The names alone, without schemas: the preload needs only these, so its bundle stays small.
 * contract.ts checks at compile time that this list and the contract's keys are the same set.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'settings:get',
  'settings:update',
  'settings:switchEnvironment',
  'credentials:save',
  'credentials:clear',
  'loans:list',
  'loans:get',
  'loans:findByNumber',
  'loans:create',
  'loans:update',
  'loans:setStatus',
  'loans:delete',
  'loans:export',
  'loans:fundsToClose',
  'borrowers:add',
  'borrowers:update',
  'borrowers:remove',
  'handoff:status',
  'handoff:setPin',
  'handoff:start',
  'handoff:end',
  'handoff:endWithOs',
  'link:createToken',
  'link:complete',
  'link:updateComplete',
  'link:exited',
  'link:createHosted',
  'link:hostedStatus',
  'link:hostedSessions',
  'link:revokeHosted',
  'items:remove',
  'reports:create',
  'reports:search',
  'reports:get',
  'reports:view',
  'reports:pdf',
  'reports:refresh',
  'reports:filter',
  'reports:remove',
  'reports:export',
  'reports:summary',
  'auditCopies:list',
  'auditCopies:create',
  'auditCopies:copyToken',
  'auditCopies:remove',
  'deposits:markSourced',
  'deposits:unmarkSourced',
  'deposits:markSourcedTogether',
  'deposits:unmarkSourcedTogether',
  'deposits:listSourced',
  'underwriting:listConfirmations',
  'underwriting:confirmAccount',
  'underwriting:withdrawConfirmation',
  'underwriting:otherReports',
  'underwriting:getSettings',
  'underwriting:updateSettings',
  'activity:list',
  'clipboard:writeText',
  'files:showInFolder',
  // Backup, restore and key recovery (issue 14)
  'backup:status',
  'backup:create',
  'backup:restore',
  'backup:setReminder',
  'recovery:newKey',
  'recovery:confirmSaved',
  'recovery:unlock',
  'keychain:retry',
  // Team mode (issue 16)
  'team:status',
  'team:create',
  'team:join',
  'team:invite',
  'team:members',
  'team:removeMember',
  'team:useLocal',
  'team:moveHistory',
] as const;

export const EVENT_NAMES = [
  'report:progress',
  'link:hostedFinished',
  'link:oauthReturned',
  'log:writeFailed',
  'app:backgroundWork',
  'handoff:ended',
  'team:connection',
  'team:changes',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];
export type EventNameOnly = (typeof EVENT_NAMES)[number];

/** Method name on the window API for a channel: 'reports:create' → 'reportsCreate'. */
export type MethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : never;
export function methodName<C extends string>(channelName: C): MethodName<C> {
  const [a = '', b = ''] = channelName.split(':');
  return `${a}${b.charAt(0).toUpperCase()}${b.slice(1)}` as MethodName<C>;
}
