import type { ButtonHTMLAttributes } from 'react';
import { Spinner } from './States';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: 'small' | 'normal' | 'large';
  /** Shows a spinner and disables the button while an action runs, so it is not sent twice. */
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
  return (
    <button
      type={type ?? 'button'}
      className={classes}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <Spinner label="" />}
      {children}
    </button>
  );
}
