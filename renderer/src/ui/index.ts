export { Button, type ButtonProps } from './Button';
export { Dialog, ConfirmProvider, useConfirm, type ConfirmOptions } from './Dialog';
export { TextField, SelectField } from './Field';
export { EmptyState, ErrorState, ErrorAlert, Skeleton, Spinner, toAppError } from './States';
export { ToastProvider, useToast, type ToastInput } from './Toast';
export { Chip, ApplicantStatusChip, ItemStatusChip, ReportStatusChip, applicantStatusText } from './Chip';
export { useLoad, useDebounced, type LoadState } from './useLoad';
export * from './format';
import './ui.css';
