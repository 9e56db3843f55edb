import type { ListAuditLogs } from '../../application/audit/list-audit-logs.js';
import type { Authenticate } from '../../application/auth/authenticate.js';
import type { ListMySessions } from '../../application/auth/list-sessions.js';
import type { LoginInspector } from '../../application/auth/login-inspector.js';
import type { LoginWithPassword } from '../../application/auth/login-with-password.js';
import type { Logout, LogoutAll } from '../../application/auth/logout.js';
import type { ChangePassword, GetProfile, UpdateProfile } from '../../application/auth/profile.js';
import type { RefreshSession } from '../../application/auth/refresh-session.js';
import type { RegisterCustomer } from '../../application/auth/register-customer.js';
import type { CreateBranchCity, DeleteBranchCity, GetBranchCity, ListBranchCities, UpdateBranchCity } from '../../application/branches/branch-cities.js';
import type { CreateInspector } from '../../application/users/create-inspector.js';
import type { CreateStaffUser } from '../../application/users/create-staff-user.js';
import type { GetUser, ListUsers } from '../../application/users/list-users.js';
import type { ChangeUserRole, RegenerateInspectorPin, SetUserActive } from '../../application/users/manage-user.js';

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
}
