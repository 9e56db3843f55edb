import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';

/** One page of `all` (already filtered and sorted). */
export const pageOf = <T>(all: T[], page: PageRequest): Page<T> => {
  const start = offsetOf(page);
  return {
    items: all.slice(start, start + page.pageSize),
    page: page.page,
    pageSize: page.pageSize,
    total: all.length,
  };
};

/** Newest first, then by id descending (the knex adapters' created_at DESC, id DESC). */
export const newestFirst = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id);
