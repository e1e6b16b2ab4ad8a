import { useId, useState, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { api } from '../api';
import { Button, FieldError } from '../ui';

/** A labelled multi-line input with its hint and error wired up for screen readers. */
export function TextAreaField({
  label,
  hint,
  error,
  name,
  ...textarea
}: { label: string; hint?: ReactNode; error?: string | undefined; name: string } & Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'name'
>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...textarea}
      />
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && <FieldError id={`${id}-error`} testId={`error-${name}`} error={error} />}
    </div>
  );
}

/**
 * The office CA certificate: pasted as PEM, or read in the page from a file the person picks (the file never
 * leaves the page except as the text sent with the form).
 */
export function CaCertificateField({
  value,
  onChange,
  error,
  name,
}: {
  value: string;
  onChange(pem: string): void;
  error: string | undefined;
  name: string;
}) {
  const fileId = useId();
  const [fileError, setFileError] = useState<string | null>(null);
  const readFile = async (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (file.size > 64 * 1024) {
      setFileError('This file is too large for a CA certificate. Choose the .pem or .crt file your office gave you.');
      return;
    }
    try {
      onChange(await file.text());
    } catch {
      setFileError('This file could not be read. Choose it again, or paste the certificate instead.');
    }
  };
  return (
    <>
      <TextAreaField
        label="Office CA certificate"
        name={name}
        rows={4}
        maxLength={64 * 1024}
        placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error ?? fileError ?? undefined}
        hint="Your office’s IT gives you this file. AssetDesk only talks to the team database when its certificate is signed by this CA."
        data-testid={`${name}-pem`}
      />
      <div className="field">
        <label htmlFor={fileId}>…or choose the certificate file</label>
        <input
          id={fileId}
          type="file"
          accept=".pem,.crt,.cer,application/x-pem-file,application/x-x509-ca-cert"
          onChange={(e) => void readFile(e.target.files?.[0])}
          data-testid={`${name}-file`}
        />
      </div>
    </>
  );
}

// The desk's clipboard channel takes one line of up to 2,048 characters; longer text uses the page's clipboard.
const DESK_CLIPBOARD_LIMIT = 2048;

export async function copyText(text: string): Promise<void> {
  if (text.length <= DESK_CLIPBOARD_LIMIT && !/[\n\r\0]/.test(text)) {
    await api.clipboardWriteText({ text });
    return;
  }
  await navigator.clipboard.writeText(text);
}

/** "Copy" next to something shown once; says "Copied" for a moment so the admin knows it worked. */
export function CopyButton({
  text,
  label,
  testId,
  onCopied,
}: {
  text: string;
  label: string;
  testId: string;
  onCopied?(): void;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await copyText(text);
      setState('copied');
      onCopied?.();
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <Button size="small" onClick={() => void copy()} data-testid={testId}>
        {label}
      </Button>
      <span className="muted" role="status" aria-live="polite">
        {state === 'copied' ? ' Copied.' : state === 'failed' ? ' Could not copy: select the text and copy it.' : ''}
      </span>
    </>
  );
}
