import type { ContainerModule } from 'inversify';
import { adminHandlers } from '../../../adapters/http/handlers/admin-handlers.js';
import { ListAuditLogs } from '../../../application/audit/list-audit-logs.js';
import { CreateBranchCity } from '../../../application/branches/create-branch-city.js';
import { DeleteBranchCity } from '../../../application/branches/delete-branch-city.js';
import { GetBranchCity } from '../../../application/branches/get-branch-city.js';
import { ListBranchCities } from '../../../application/branches/list-branch-cities.js';
import { UpdateBranchCity } from '../../../application/branches/update-branch-city.js';
import { CreateInspector } from '../../../application/users/create-inspector.js';
import { CreateStaffUser } from '../../../application/users/create-staff-user.js';
import { GetUser } from '../../../application/users/get-user.js';
import { ListUsers } from '../../../application/users/list-users.js';
import { ChangeUserRole } from '../../../application/users/change-user-role.js';
import { RegenerateInspectorPin } from '../../../application/users/regenerate-inspector-pin.js';
import { SetUserActive } from '../../../application/users/set-user-active.js';
import { AuditLog } from '../../../ports/audit-log.js';
import { BranchCityRepository } from '../../../ports/branch-city-repository.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { PasswordHasher } from '../../../ports/password-hasher.js';
import { SecretGenerator } from '../../../ports/secrets.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { UserRepository } from '../../../ports/user-repository.js';
import { featureModule } from '../feature-module.js';

/** Staff administration: users and inspectors, branch cities and the audit log. */
export const administrationFeature = (): ContainerModule =>
  featureModule((b) => {
    b.factory(ListUsers, (g) => new ListUsers(g(UserRepository)));
    b.factory(GetUser, (g) => new GetUser(g(UserRepository)));
    b.factory(
      CreateInspector,
      (g) => new CreateInspector(g(UnitOfWork), g(PasswordHasher), g(SecretGenerator), g(IdGenerator), g(Clock)),
    );
    b.factory(CreateStaffUser, (g) => new CreateStaffUser(g(UnitOfWork), g(PasswordHasher), g(IdGenerator), g(Clock)));
    b.factory(ChangeUserRole, (g) => new ChangeUserRole(g(UnitOfWork), g(Clock)));
    b.factory(SetUserActive, (g) => new SetUserActive(g(UnitOfWork), g(Clock)));
    b.factory(
      RegenerateInspectorPin,
      (g) => new RegenerateInspectorPin(g(UnitOfWork), g(PasswordHasher), g(SecretGenerator), g(Clock)),
    );
    b.factory(ListBranchCities, (g) => new ListBranchCities(g(BranchCityRepository)));
    b.factory(GetBranchCity, (g) => new GetBranchCity(g(BranchCityRepository)));
    b.factory(CreateBranchCity, (g) => new CreateBranchCity(g(UnitOfWork), g(IdGenerator), g(Clock)));
    b.factory(UpdateBranchCity, (g) => new UpdateBranchCity(g(UnitOfWork), g(Clock)));
    b.factory(DeleteBranchCity, (g) => new DeleteBranchCity(g(UnitOfWork), g(Clock)));
    b.factory(ListAuditLogs, (g) => new ListAuditLogs(g(AuditLog)));
    b.handlers((g) =>
      adminHandlers({
        changeUserRole: g(ChangeUserRole),
        createBranchCity: g(CreateBranchCity),
        createInspector: g(CreateInspector),
        createStaffUser: g(CreateStaffUser),
        deleteBranchCity: g(DeleteBranchCity),
        getBranchCity: g(GetBranchCity),
        getUser: g(GetUser),
        listAuditLogs: g(ListAuditLogs),
        listBranchCities: g(ListBranchCities),
        listUsers: g(ListUsers),
        regenerateInspectorPin: g(RegenerateInspectorPin),
        setUserActive: g(SetUserActive),
        updateBranchCity: g(UpdateBranchCity),
      }),
    );
  });
