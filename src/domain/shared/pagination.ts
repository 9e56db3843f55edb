export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export const MAX_PAGE_SIZE = 100;

/** Clamps a page request into the range every list endpoint accepts. */
export function normalisePage(input: Partial<PageRequest>): PageRequest {
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(input.pageSize ?? 20)));
  return { page, pageSize };
}

export const offsetOf = (p: PageRequest): number => (p.page - 1) * p.pageSize;
