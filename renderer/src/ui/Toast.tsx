import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface ToastInput {
  message: string;
  tone?: 'info' | 'error';
  /** Optional link (a report that just became ready) or button ("Show in folder" after a save). */
  action?: { label: string; href: string } | { label: string; onSelect: () => void };
}
interface Toast extends ToastInput {
  id: number;
}

interface ToastApi {
  show(toast: ToastInput): void;
  clear(): void;
}
const ToastContext = createContext<ToastApi | null>(null);

const TOAST_LIFETIME_MS = 6000;
// A notice with something to do stays longer, so the officer has time to reach its button.
const ACTION_TOAST_LIFETIME_MS = 15000;

/** Short notices in a polite live region; they fade on their own and never steal focus. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    setToasts((all) => all.filter((t) => t.id !== id));
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
  }, []);
  const show = useCallback(
    (toast: ToastInput) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-3), { ...toast, id }]);
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), toast.action ? ACTION_TOAST_LIFETIME_MS : TOAST_LIFETIME_MS),
      );
    },
    [dismiss],
  );
  const clear = useCallback(() => {
    for (const timer of timers.current.values()) clearTimeout(timer);
    timers.current.clear();
    setToasts([]);
  }, []);
  useEffect(() => clear, [clear]);

  const stable = useMemo<ToastApi>(() => ({ show, clear }), [show, clear]);

  return (
    <ToastContext.Provider value={stable}>
      {children}
      <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
        {toasts.map((toast) => (
          <div key={toast.id} className="toast" data-tone={toast.tone ?? 'info'}>
            <span className="toast-text">
              {toast.message}{' '}
              {toast.action && 'href' in toast.action && (
                <a href={toast.action.href} onClick={() => dismiss(toast.id)}>
                  {toast.action.label}
                </a>
              )}
              {toast.action && 'onSelect' in toast.action && (
                <button
                  type="button"
                  className="toast-action"
                  onClick={() => {
                    if (toast.action && 'onSelect' in toast.action) toast.action.onSelect();
                    dismiss(toast.id);
                  }}
                >
                  {toast.action.label}
                </button>
              )}
            </span>
            <button type="button" aria-label="Dismiss notice" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const toast = useContext(ToastContext);
  if (!toast) throw new Error('useToast needs a ToastProvider');
  return toast;
}
