import type { AuditEntry } from '../../domain/audit/audit-entry.js';
import type { BranchCity } from '../../domain/branch/branch-city.js';
import type { AuthSession, RefreshTokenRecord } from '../../domain/identity/session.js';
import type { User } from '../../domain/identity/user.js';
import type { ChangeLogEntry } from '../../domain/inspection/change-log.js';
import type { Inspection, StatusChange } from '../../domain/inspection/inspection.js';
import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import type { PendingDeletion } from '../../ports/pending-deletions.js';
import type { ReportJob, StoredReport } from '../../domain/report/report-job.js';
import type { ClassPrice } from '../../domain/customer/vehicle-class.js';
import type { CustomerVehicle, OwnedPhoto } from '../../domain/customer/vehicle.js';
import type { CustomerInspectionRequest, RequestStatusChange } from '../../domain/customer/inspection-request.js';
import type { CreditEntry, CreditPackage, Payment, ReportUnlock } from '../../domain/customer/payment.js';
import type { MintJob } from '../../domain/archive/mint-job.js';

/** The whole state of the in-memory adapters; cloned to give the memory unit of work its rollback. */
export interface MemoryState {
  users: Map<string, User>;
  sessions: Map<string, AuthSession>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  branches: Map<string, BranchCity>;
  audit: AuditEntry[];
  inspections: Map<string, Inspection>;
  sequences: Map<string, number>;
  statusHistory: StatusChange[];
  changeLogs: Map<string, ChangeLogEntry>;
  photos: Map<string, InspectionPhoto>;
  deletions: Map<string, PendingDeletion>;
  pdfJobs: ReportJob[];
  reports: StoredReport[];
  /** Jobs handed to the (absent) bus, in order: what a worker would receive. */
  sentJobs: Array<{ pdfJobId: string; priority: string }>;
  mintJobs: MintJob[];
  /** UTxO leases by ref ("txHash#index"). */
  utxoLocks: Map<string, { jobId: string; until: Date }>;
  /** Mint jobs handed to the (absent) bus, in order. */
  sentMintJobs: Array<{ mintJobId: string }>;
  // Customer portal.
  customerVehicles: Map<string, CustomerVehicle>;
  vehiclePhotos: Map<string, OwnedPhoto>;
  classPrices: ClassPrice[];
  inspectionRequests: Map<string, CustomerInspectionRequest>;
  requestStatusHistory: RequestStatusChange[];
  requestPhotos: Map<string, OwnedPhoto>;
  creditPackages: Map<string, CreditPackage>;
  payments: Map<string, Payment>;
  /** Webhook events stored once, keyed "gateway|invoiceId|status". */
  paymentEvents: Map<string, { paymentId: string | null; payload: unknown; outcome: string; receivedAt: Date }>;
  /** Balances by customer id (absent = 0). */
  creditAccounts: Map<string, number>;
  creditLedger: CreditEntry[];
  reportUnlocks: ReportUnlock[];
}

export class MemoryStore {
  state: MemoryState = {
    users: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    branches: new Map(),
    audit: [],
    inspections: new Map(),
    sequences: new Map(),
    statusHistory: [],
    changeLogs: new Map(),
    photos: new Map(),
    deletions: new Map(),
    pdfJobs: [],
    reports: [],
    sentJobs: [],
    mintJobs: [],
    utxoLocks: new Map(),
    sentMintJobs: [],
    customerVehicles: new Map(),
    vehiclePhotos: new Map(),
    classPrices: [],
    inspectionRequests: new Map(),
    requestStatusHistory: [],
    requestPhotos: new Map(),
    creditPackages: new Map(),
    payments: new Map(),
    paymentEvents: new Map(),
    creditAccounts: new Map(),
    creditLedger: [],
    reportUnlocks: [],
  };

  snapshot(): MemoryState {
    return structuredClone(this.state);
  }

  restore(s: MemoryState): void {
    this.state = s;
  }
}
