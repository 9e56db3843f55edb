import type { Knex } from 'knex';
import type { CreditPackage } from '../../domain/customer/payment.js';
import type { CreditPackagePatch, CreditPackages } from '../../ports/payments.js';

type Db = Knex | Knex.Transaction;

interface PackageRow {
  id: string;
  name: string;
  credits: number;
  price_idr: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const toPackage = (r: PackageRow): CreditPackage => ({
  id: r.id,
  name: r.name,
  credits: r.credits,
  priceIdr: Number(r.price_idr),
  active: r.active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Table credit_packages. */
export class KnexCreditPackages implements CreditPackages {
  constructor(private readonly db: Db) {}

  async list(activeOnly: boolean): Promise<CreditPackage[]> {
    const rows = await this.db<PackageRow>('credit_packages')
      .modify((b) => {
        if (activeOnly) b.where({ active: true });
      })
      .orderBy([{ column: 'price_idr' }, { column: 'name' }]);
    return rows.map(toPackage);
  }

  async findById(id: string): Promise<CreditPackage | null> {
    const row = await this.db<PackageRow>('credit_packages').where({ id }).first();
    return row ? toPackage(row) : null;
  }

  async create(
    p: Pick<CreditPackage, 'id' | 'name' | 'credits' | 'priceIdr' | 'active'>,
    now: Date,
  ): Promise<CreditPackage> {
    const [row] = await this.db<PackageRow>('credit_packages')
      .insert({
        id: p.id,
        name: p.name,
        credits: p.credits,
        price_idr: p.priceIdr,
        active: p.active,
        created_at: now,
        updated_at: now,
      })
      .returning('*');
    return toPackage(row as PackageRow);
  }

  async update(id: string, patch: CreditPackagePatch, now: Date): Promise<CreditPackage | null> {
    const values: Partial<PackageRow> = { updated_at: now };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.credits !== undefined) values.credits = patch.credits;
    if (patch.priceIdr !== undefined) values.price_idr = patch.priceIdr;
    if (patch.active !== undefined) values.active = patch.active;
    const [row] = await this.db<PackageRow>('credit_packages').where({ id }).update(values).returning('*');
    return row ? toPackage(row as PackageRow) : null;
  }
}
