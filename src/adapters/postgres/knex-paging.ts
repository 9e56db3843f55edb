import type { Knex } from 'knex';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';

/**
 * One page of `q`: the total of the unordered query, then the rows `order` sorts, mapped with `map`.
 * (`q` is cloned for both, so the caller's builder is left as it was.)
 */
export async function pageOf<R, T>(
  q: Knex.QueryBuilder,
  page: PageRequest,
  map: (r: R) => T,
  order: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<Page<T>> {
  const [{ count }] = (await q.clone().count({ count: '*' })) as [{ count: number }];
  const rows = (await order(q.clone()).offset(offsetOf(page)).limit(page.pageSize)) as R[];
  return { items: rows.map(map), page: page.page, pageSize: page.pageSize, total: Number(count) };
}
