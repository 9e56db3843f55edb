import type { VerifyReport } from '../../../application/verify/verify-report.js';
import type { VerificationResult } from '../../../application/verify/verify-report.js';
import { filesOf } from '../multipart.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

/** The answer as the API shows it (dates as ISO strings). */
const resultView = (r: VerificationResult) => ({
  sha256: r.sha256,
  authentic: r.authentic,
  report: r.report && {
    prettyId: r.report.prettyId,
    variant: r.report.variant,
    inspectionDate: r.report.inspectionDate,
    status: r.report.status,
    ipfsCid: r.report.ipfsCid,
  },
  chain: r.chain && { ...r.chain, checkedAt: r.chain.checkedAt.toISOString() },
});

/** The use cases these handlers call. */
export interface VerifyUseCases {
  verifyReport: VerifyReport;
}

export function verifyHandlers(uc: VerifyUseCases): OperationHandlers {
  return {
    // multipart: the PDF was received into a temporary file (hashed on receipt, removed when the response
    // ends, whatever happens); JSON: the caller hashed it.
    verifyReport: async (_req, res) => {
      const [file] = filesOf(res, 'file');
      const result = file
        ? await uc.verifyReport.executeForFile(file)
        : await uc.verifyReport.execute({ sha256: String((validOf(res).body as { sha256: string }).sha256) });
      res.setHeader('Cache-Control', 'no-store').json(resultView(result));
    },
  };
}
