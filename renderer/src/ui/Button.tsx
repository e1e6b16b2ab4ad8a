import type { ButtonHTMLAttributes } from 'react';
import { Spinner } from './States';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: 'small' | 'normal' | 'large';
  /** Shows a spinner and refuses presses while an action runs, so it is not sent twice. */
  busy?: boolean;
}

export function Button({
  variant = 'secondary',
  size = 'normal',
  busy = false,
  className,
  children,
  disabled,
  type,
  onClick,
  ...rest
}: ButtonProps) {
  const classes = [
    'btn',
    variant !== 'secondary' ? `btn-${variant}` : '',
    size !== 'normal' ? `btn-${size}` : '',
    className ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  // Busy, the button refuses presses but stays enabled: a disabled button would drop the keyboard focus to the
  // page, and the officer would start again from the top (and a dialog it opens would return focus nowhere).
  return (
    <button
      type={type ?? 'button'}
      className={classes}
      disabled={disabled}
      aria-disabled={busy || undefined}
      aria-busy={busy || undefined}
      onClick={busy ? (event) => event.preventDefault() : onClick}
      {...rest}
    >
      {busy && <Spinner label="" />}
      {children}
    </button>
  );
}
