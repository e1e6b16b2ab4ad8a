/** A block that is not a report view this version can read (damaged, cut short, or from a newer AssetDesk). */
export class ReportViewFormatError extends Error {}

export const damagedHead = () => new ReportViewFormatError('the report view has a damaged head');
