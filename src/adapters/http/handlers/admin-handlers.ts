import type { ChangeUserRole } from '../../../application/users/change-user-role.js';
import type { RegenerateInspectorPin } from '../../../application/users/regenerate-inspector-pin.js';
import type { SetUserActive } from '../../../application/users/set-user-active.js';
import type { CreateBranchCity } from '../../../application/branches/create-branch-city.js';
import type { DeleteBranchCity } from '../../../application/branches/delete-branch-city.js';
import type { GetBranchCity } from '../../../application/branches/get-branch-city.js';
import type { ListBranchCities } from '../../../application/branches/list-branch-cities.js';
import type { UpdateBranchCity } from '../../../application/branches/update-branch-city.js';
import type { CreateInspector } from '../../../application/users/create-inspector.js';
import type { CreateStaffUser } from '../../../application/users/create-staff-user.js';
import type { GetUser } from '../../../application/users/get-user.js';
import type { ListUsers } from '../../../application/users/list-users.js';
import type { ListAuditLogs } from '../../../application/audit/list-audit-logs.js';
import type { AuditAction } from '../../../domain/audit/audit-entry.js';
import type { Role } from '../../../domain/identity/role.js';
import { actorOf } from '../auth.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

type Q = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const pageOf = (q: Q) => ({ page: q.page as number | undefined, pageSize: q.pageSize as number | undefined });

/** The use cases these handlers call. */
export interface AdminUseCases {
  changeUserRole: ChangeUserRole;
  createBranchCity: CreateBranchCity;
  createInspector: CreateInspector;
  createStaffUser: CreateStaffUser;
  deleteBranchCity: DeleteBranchCity;
  getBranchCity: GetBranchCity;
  getUser: GetUser;
  listAuditLogs: ListAuditLogs;
  listBranchCities: ListBranchCities;
  listUsers: ListUsers;
  regenerateInspectorPin: RegenerateInspectorPin;
  setUserActive: SetUserActive;
  updateBranchCity: UpdateBranchCity;
}

export function adminHandlers(uc: AdminUseCases): OperationHandlers {
  const idOf = (res: Parameters<typeof validOf>[0]) => String(validOf(res).params.id);
  return {
    listUsers: async (_req, res) => {
      const q = validOf(res).query;
      const role = q.role === undefined ? undefined : ([] as Role[]).concat(q.role as Role[]);
      const filter = {
        role,
        isActive: q.isActive as boolean | undefined,
        branchCityId: str(q.branchCityId),
        q: str(q.q),
      };
      res.json(await uc.listUsers.execute(filter, pageOf(q)));
    },
    getUser: async (_req, res) => {
      res.json(await uc.getUser.execute(idOf(res)));
    },
    createStaffUser: async (_req, res) => {
      const user = await uc.createStaffUser.execute(actorOf(res), validOf(res).body as never);
      res.status(201).location(`/api/v1/admin/users/${user.id}`).json(user);
    },
    createInspector: async (_req, res) => {
      const r = await uc.createInspector.execute(actorOf(res), validOf(res).body as never);
      res.status(201).location(`/api/v1/admin/users/${r.user.id}`).setHeader('Cache-Control', 'no-store').json(r);
    },
    changeUserRole: async (_req, res) => {
      const b = validOf(res).body as { role: Role; branchCityId?: string };
      res.json(await uc.changeUserRole.execute(actorOf(res), idOf(res), b.role, b.branchCityId));
    },
    deactivateUser: async (_req, res) => {
      res.json(await uc.setUserActive.execute(actorOf(res), idOf(res), false));
    },
    activateUser: async (_req, res) => {
      res.json(await uc.setUserActive.execute(actorOf(res), idOf(res), true));
    },
    regenerateInspectorPin: async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store').json(await uc.regenerateInspectorPin.execute(actorOf(res), idOf(res)));
    },
    listAuditLogs: async (_req, res) => {
      const q = validOf(res).query;
      const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);
      const filter = {
        actorId: str(q.actorId),
        action: q.action as AuditAction | undefined,
        entity: str(q.entity),
        entityId: str(q.entityId),
        from: date(q.from),
        to: date(q.to),
      };
      res.json(await uc.listAuditLogs.execute(filter, pageOf(q)));
    },
    listBranchCities: async (_req, res) => {
      const q = validOf(res).query;
      const items = await uc.listBranchCities.execute(q.includeInactive !== true);
      res.json({ items });
    },
    getBranchCity: async (_req, res) => {
      res.json(await uc.getBranchCity.execute(idOf(res)));
    },
    createBranchCity: async (_req, res) => {
      const b = await uc.createBranchCity.execute(actorOf(res), validOf(res).body as { name: string; code: string });
      res.status(201).location(`/api/v1/branch-cities/${b.id}`).json(b);
    },
    updateBranchCity: async (_req, res) => {
      res.json(await uc.updateBranchCity.execute(actorOf(res), idOf(res), validOf(res).body as never));
    },
    deleteBranchCity: async (_req, res) => {
      await uc.deleteBranchCity.execute(actorOf(res), idOf(res));
      res.status(204).end();
    },
  };
}
