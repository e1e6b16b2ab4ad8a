import type { ContractHandlers } from '../../../shared/ipc/contract';
import type { ServiceContext } from '../service-context';

export type LinkHandlers = Pick<
  ContractHandlers,
  | 'link:createToken'
  | 'link:complete'
  | 'link:updateComplete'
  | 'link:exited'
  | 'link:createHosted'
  | 'link:hostedStatus'
  | 'link:hostedSessions'
  | 'link:revokeHosted'
  | 'items:remove'
>;

/** Linking banks (Plaid Link, Hosted Link, update mode) and removing them, in the current environment. */
export function createLinkHandlers(ctx: ServiceContext): LinkHandlers {
  const items = async () => (await ctx.session()).items;
  return {
    'link:createToken': async ({ applicantId, itemId }) => (await items()).createLinkToken(applicantId, itemId),
    'link:complete': async ({ applicantId, publicToken, metadata }) =>
      (await items()).complete(applicantId, publicToken, metadata),
    'link:updateComplete': async ({ itemId }) => (await items()).updateComplete(itemId),
    // Nothing was made at Plaid; a team desk lets its hold on the team's environment go around this (link-open.ts).
    'link:exited': () => Promise.resolve({ ok: true as const }),
    'link:createHosted': async ({ applicantId, deliveryMethod }) =>
      (await items()).createHosted(applicantId, deliveryMethod),
    'link:hostedStatus': async ({ hostedLinkId }) => (await items()).hostedStatus(hostedLinkId),
    'link:hostedSessions': async ({ applicantId }) => (await items()).hostedSessions(applicantId),
    'link:revokeHosted': async ({ hostedLinkId }) => (await items()).revokeHosted(hostedLinkId),
    'items:remove': async ({ itemId }) => {
      await (await items()).remove(itemId);
      return { ok: true as const };
    },
  };
}
