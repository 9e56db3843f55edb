import type { ListAuditLogs } from '../../application/audit/list-audit-logs.js';
import type { ArchiveInspection } from '../../application/archive/archive-inspection.js';
import type {
  DownloadMyReport,
  GetMyInspection,
  ListMyInspections,
} from '../../application/customer/inspection-history.js';
import type { GetMintJobStats, ListMintJobs, RerunFailedMints } from '../../application/archive/mint-jobs.js';
import type { Authenticate } from '../../application/auth/authenticate.js';
import type { ListMySessions } from '../../application/auth/list-sessions.js';
import type { LoginInspector } from '../../application/auth/login-inspector.js';
import type { LoginWithPassword } from '../../application/auth/login-with-password.js';
import type { Logout, LogoutAll } from '../../application/auth/logout.js';
import type { ChangePassword, GetProfile, UpdateProfile } from '../../application/auth/profile.js';
import type { RefreshSession } from '../../application/auth/refresh-session.js';
import type { RegisterCustomer } from '../../application/auth/register-customer.js';
import type {
  CreateBranchCity,
  DeleteBranchCity,
  GetBranchCity,
  ListBranchCities,
  UpdateBranchCity,
} from '../../application/branches/branch-cities.js';
import type { CreateInspector } from '../../application/users/create-inspector.js';
import type { CreateStaffUser } from '../../application/users/create-staff-user.js';
import type { GetUser, ListUsers } from '../../application/users/list-users.js';
import type { ChangeUserRole, RegenerateInspectorPin, SetUserActive } from '../../application/users/manage-user.js';
import type { ApproveInspection, BulkApproveInspections } from '../../application/inspections/approve-inspection.js';
import type { ChangeInspectionStatus } from '../../application/inspections/change-status.js';
import type { CreateInspection } from '../../application/inspections/create-inspection.js';
import type { GetDashboard } from '../../application/inspections/dashboard.js';
import type { DeleteInspection } from '../../application/inspections/delete-inspection.js';
import type { GetInspection, ListChangeLog, ListInspections } from '../../application/inspections/query-inspections.js';
import type { DeleteChangeLogEntry, ReviewInspection } from '../../application/inspections/review-inspection.js';
import type { GetReportModel, GetReportPhoto } from '../../application/reports/report-page.js';
import type { PreviewReport } from '../../application/reports/preview-report.js';
import type {
  GetInspectionReports,
  GetReportJobStats,
  ListReportJobs,
  RerunFailedReportJobs,
  RerunReportJob,
} from '../../application/reports/report-jobs.js';
import type {
  AddPhotos,
  DeletePhoto,
  ReorderPhotos,
  ReplacePhotoFile,
  UpdatePhotoMetadata,
} from '../../application/photos/photo-commands.js';
import type { VerifyReport } from '../../application/verify/verify-report.js';
import type {
  CreateVehicle,
  DeleteVehicle,
  GetMyVehicle,
  ListMyVehicles,
  ReplaceVehiclePhotos,
  UpdateVehicle,
} from '../../application/customer/vehicles.js';
import type {
  GetQuote,
  ListClassPriceHistory,
  ListVehicleClasses,
  SetClassPrice,
} from '../../application/customer/pricing.js';
import type {
  CreateRequestPayment,
  HandlePaymentWebhook,
  ListMyPayments,
} from '../../application/customer/payments.js';
import type {
  CreateCreditPackage,
  GetMyCredits,
  ListCreditPackages,
  PurchaseCredits,
  UnlockReport,
  UpdateCreditPackage,
} from '../../application/customer/credits.js';
import type {
  AddRequestPhotos,
  AssignInspectionRequest,
  CancelMyInspectionRequest,
  ChangeInspectionRequestStatus,
  CreateInspectionRequestForCustomer,
  CreateMyInspectionRequest,
  GetInspectionRequest,
  GetMyInspectionRequest,
  LinkRequestInspection,
  ListInspectionRequests,
  ListMyInspectionRequests,
  ListRequestPhotos,
  WaiveRequestPayment,
} from '../../application/customer/inspection-requests.js';

/** The use cases the HTTP adapter drives; the composition root provides them. */
export interface HttpUseCases {
  authenticate: Authenticate;
  registerCustomer: RegisterCustomer;
  loginWithPassword: LoginWithPassword;
  loginInspector: LoginInspector;
  refreshSession: RefreshSession;
  logout: Logout;
  logoutAll: LogoutAll;
  getProfile: GetProfile;
  updateProfile: UpdateProfile;
  changePassword: ChangePassword;
  listMySessions: ListMySessions;
  listUsers: ListUsers;
  getUser: GetUser;
  createInspector: CreateInspector;
  createStaffUser: CreateStaffUser;
  changeUserRole: ChangeUserRole;
  setUserActive: SetUserActive;
  regenerateInspectorPin: RegenerateInspectorPin;
  listBranchCities: ListBranchCities;
  getBranchCity: GetBranchCity;
  createBranchCity: CreateBranchCity;
  updateBranchCity: UpdateBranchCity;
  deleteBranchCity: DeleteBranchCity;
  listAuditLogs: ListAuditLogs;
  createInspection: CreateInspection;
  listInspections: ListInspections;
  getInspection: GetInspection;
  reviewInspection: ReviewInspection;
  listChangeLog: ListChangeLog;
  deleteChangeLogEntry: DeleteChangeLogEntry;
  approveInspection: ApproveInspection;
  bulkApproveInspections: BulkApproveInspections;
  changeInspectionStatus: ChangeInspectionStatus;
  deleteInspection: DeleteInspection;
  addPhotos: AddPhotos;
  updatePhotoMetadata: UpdatePhotoMetadata;
  replacePhotoFile: ReplacePhotoFile;
  deletePhoto: DeletePhoto;
  reorderPhotos: ReorderPhotos;
  getDashboard: GetDashboard;
  previewReport: PreviewReport;
  getReportModel: GetReportModel;
  getReportPhoto: GetReportPhoto;
  getInspectionReports: GetInspectionReports;
  listReportJobs: ListReportJobs;
  rerunReportJob: RerunReportJob;
  getReportJobStats: GetReportJobStats;
  rerunFailedReportJobs: RerunFailedReportJobs;
  archiveInspection: ArchiveInspection;
  listMintJobs: ListMintJobs;
  getMintJobStats: GetMintJobStats;
  rerunFailedMints: RerunFailedMints;
  verifyReport: VerifyReport;
  // Customer vehicles and vehicle-class pricing.
  listMyVehicles: ListMyVehicles;
  getMyVehicle: GetMyVehicle;
  createVehicle: CreateVehicle;
  updateVehicle: UpdateVehicle;
  deleteVehicle: DeleteVehicle;
  replaceVehiclePhotos: ReplaceVehiclePhotos;
  getQuote: GetQuote;
  listVehicleClasses: ListVehicleClasses;
  setClassPrice: SetClassPrice;
  listClassPriceHistory: ListClassPriceHistory;
  // Customer inspection requests.
  createMyInspectionRequest: CreateMyInspectionRequest;
  listMyInspectionRequests: ListMyInspectionRequests;
  getMyInspectionRequest: GetMyInspectionRequest;
  cancelMyInspectionRequest: CancelMyInspectionRequest;
  addRequestPhotos: AddRequestPhotos;
  listRequestPhotos: ListRequestPhotos;
  createInspectionRequestForCustomer: CreateInspectionRequestForCustomer;
  listInspectionRequests: ListInspectionRequests;
  getInspectionRequest: GetInspectionRequest;
  assignInspectionRequest: AssignInspectionRequest;
  changeInspectionRequestStatus: ChangeInspectionRequestStatus;
  linkRequestInspection: LinkRequestInspection;
  waiveRequestPayment: WaiveRequestPayment;
  // Payments and credits.
  createRequestPayment: CreateRequestPayment;
  listMyPayments: ListMyPayments;
  handlePaymentWebhook: HandlePaymentWebhook;
  listCreditPackages: ListCreditPackages;
  createCreditPackage: CreateCreditPackage;
  updateCreditPackage: UpdateCreditPackage;
  purchaseCredits: PurchaseCredits;
  getMyCredits: GetMyCredits;
  unlockReport: UnlockReport;
  listMyInspections: ListMyInspections;
  getMyInspection: GetMyInspection;
  downloadMyReport: DownloadMyReport;
}
