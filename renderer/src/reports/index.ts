/**
 * Reports in the officer's desk. The shell loads this module lazily:
 *   const ReportScreen = lazy(() => import('../reports').then((m) => ({ default: m.ReportScreen })));
 */
export { ReportScreen, type ReportScreenProps } from './ReportScreen';
export { CreateReportDialog, type CreateReportDialogProps } from './CreateReportDialog';
