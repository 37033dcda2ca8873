import { useCallback, useRef, useState } from 'react';
import { useI18n, type ShowToast, type ToastKind } from '../context';
import { AlertIcon, CheckIcon, CloseIcon } from '../icons';

interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

export function useToasts(): { toasts: Toast[]; show: ShowToast; dismiss: (id: number) => void } {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((toast) => toast.id !== id)), []);
  const show = useCallback<ShowToast>(
    (kind, text) => {
      const id = next.current++;
      setToasts((list) => [...list.filter((toast) => toast.text !== text), { id, kind, text }].slice(-4));
      setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000);
    },
    [dismiss],
  );
  return { toasts, show, dismiss };
}

export function Toasts({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  const { t } = useI18n();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid="toast">
          <span className="toast-icon" aria-hidden="true">
            {toast.kind === 'error' ? <AlertIcon size={16} /> : <CheckIcon size={16} />}
          </span>
          <span className="toast-text">{toast.text}</span>
          <button type="button" className="icon-button small" onClick={() => dismiss(toast.id)} aria-label={t('toast.dismiss')}>
            <CloseIcon size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
