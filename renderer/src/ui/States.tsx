import type { ReactNode } from 'react';
import { AppError } from '../../../shared/errors';
import { Button } from './Button';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <span
      className="spinner"
      role={label ? 'status' : undefined}
      aria-label={label || undefined}
      aria-hidden={label ? undefined : true}
    />
  );
}

/** A heading's level: a whole screen's state (it cannot load, it does not exist) is the screen's first heading. */
type HeadingLevel = 1 | 2 | 3;
const HEADINGS = { 1: 'h1', 2: 'h2', 3: 'h3' } as const;

/**
 * Placeholder lines shaped like the content that is loading. Standing for a whole screen, it is given the screen's
 * `heading`, read by screen readers until the screen's own heading arrives.
 */
export function Skeleton({
  lines = 4,
  label = 'Loading',
  heading,
}: {
  lines?: number;
  label?: string;
  heading?: string;
}) {
  return (
    <div role="status" aria-live="polite" data-testid="loading">
      {heading && <h1 className="visually-hidden">{heading}</h1>}
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({
  title,
  children,
  action,
  level = 2,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  level?: HeadingLevel;
}) {
  const Heading = HEADINGS[level];
  return (
    <div className="state" data-testid="empty-state">
      <Heading>{title}</Heading>
      {children && <div>{children}</div>}
      {action}
    </div>
  );
}

/** Turns anything thrown into the officer-facing shape (AppError carries its own message). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError({ code: 'INTERNAL_ERROR', message: message || 'Something went wrong.', retryable: true });
}

export function ErrorState({
  error,
  onRetry,
  title = 'This could not be loaded',
  level = 2,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  level?: HeadingLevel;
}) {
  const appError = toAppError(error);
  const Heading = HEADINGS[level];
  return (
    <div className="state state-error" role="alert" data-testid="error-state">
      <Heading>{title}</Heading>
      <p>{appError.message}</p>
      <p className="code">
        {appError.code}
        {appError.requestId ? ` · request ${appError.requestId}` : ''}
      </p>
      {appError.retryable && onRetry && (
        <Button variant="primary" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/** An inline error line for forms and panels. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const appError = toAppError(error);
  return (
    <div className="alert alert-error" role="alert">
      {appError.message}
      {appError.requestId && <span className="muted"> (request {appError.requestId})</span>}
    </div>
  );
}
