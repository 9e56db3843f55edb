import type { Knex } from 'knex';
import { BranchErrors, type BranchCity } from '../../domain/branch/branch-city.js';
import type { BranchCityPatch, BranchCityRepository } from '../../ports/branch-city-repository.js';
import { isForeignKeyViolation, isUniqueViolation } from './pg-errors.js';

interface BranchRow {
  id: string;
  name: string;
  code: string;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

const toBranch = (r: BranchRow): BranchCity => ({
  id: r.id,
  name: r.name,
  code: r.code,
  isActive: r.is_active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function translate(e: unknown): never {
  if (isUniqueViolation(e, 'branch_cities_code_unique')) throw BranchErrors.codeTaken();
  if (isForeignKeyViolation(e)) throw BranchErrors.inUse();
  throw e;
}

export class KnexBranchCityRepository implements BranchCityRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async create(b: Pick<BranchCity, 'id' | 'name' | 'code'>, now: Date): Promise<BranchCity> {
    try {
      const [row] = await this.db<BranchRow>('branch_cities')
        .insert({ id: b.id, name: b.name, code: b.code, created_at: now, updated_at: now })
        .returning('*');
      return toBranch(row as BranchRow);
    } catch (e) {
      translate(e);
    }
  }

  async findById(id: string): Promise<BranchCity | null> {
    const row = await this.db<BranchRow>('branch_cities').where({ id }).first();
    return row ? toBranch(row) : null;
  }

  async findByCode(code: string): Promise<BranchCity | null> {
    const row = await this.db<BranchRow>('branch_cities').where({ code }).first();
    return row ? toBranch(row) : null;
  }

  async list(activeOnly: boolean): Promise<BranchCity[]> {
    const rows = await this.db<BranchRow>('branch_cities')
      .modify((b) => {
        if (activeOnly) b.where({ is_active: true });
      })
      .orderBy('code');
    return rows.map(toBranch);
  }

  async update(id: string, patch: BranchCityPatch, now: Date): Promise<BranchCity | null> {
    const values: Partial<BranchRow> = { updated_at: now };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.code !== undefined) values.code = patch.code;
    if (patch.isActive !== undefined) values.is_active = patch.isActive;
    try {
      const [row] = await this.db<BranchRow>('branch_cities').where({ id }).update(values).returning('*');
      return row ? toBranch(row as BranchRow) : null;
    } catch (e) {
      translate(e);
    }
  }

  async delete(id: string): Promise<boolean> {
    try {
      return (await this.db('branch_cities').where({ id }).delete()) > 0;
    } catch (e) {
      translate(e);
    }
  }
}
