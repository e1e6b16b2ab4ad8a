import type { z } from 'zod';
import { AppError, ErrorCodes } from '../errors';
import { contract, type Channel, type ParsedRequestOf } from './contract';

/** Turns a zod failure into the app's validation error, naming the first offending field. */
export function validationError(channel: string, issues: readonly z.core.$ZodIssue[]): AppError {
  const first = issues[0];
  let field = first && first.path.length > 0 ? first.path.map(String).join('.') : undefined;
  // An unexpected key has an empty path; name the key itself so the caller knows what to drop.
  if (first?.code === 'unrecognized_keys' && first.keys[0] !== undefined) {
    field = [...first.path.map(String), first.keys[0]].join('.');
  }
  const what = first?.message ?? 'invalid request';
  // The message is the officer's (each schema names the field as the screen labels it); the internal
  // field path travels apart, in `field`, for the form to put the message under the right input.
  return new AppError({
    code: ErrorCodes.validation,
    message: field ? what.charAt(0).toUpperCase() + what.slice(1) : `Invalid request for ${channel}: ${what}`,
    retryable: false,
    ...(field ? { field } : {}),
  });
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Validates a payload for a channel; throws AppError (VALIDATION_FAILED / UNKNOWN_CHANNEL). */
export function parseRequest<C extends Channel>(channel: C, payload: unknown): ParsedRequestOf<C> {
  if (!isChannel(channel)) {
    throw new AppError({
      code: ErrorCodes.unknownChannel,
      message: `Unknown channel ${String(channel)}`,
      retryable: false,
    });
  }
  const result = contract[channel].request.safeParse(payload ?? {});
  if (!result.success) throw validationError(channel, result.error.issues);
  return result.data as ParsedRequestOf<C>;
}
