import { toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { UserFilter, UserRepository } from '../../ports/user-repository.js';

/** Admin search over users. */
export class ListUsers {
  constructor(private readonly users: UserRepository) {}

  async execute(filter: UserFilter, page: Partial<PageRequest>): Promise<Page<PublicUser>> {
    const q = filter.q?.trim();
    const result = await this.users.list({ ...filter, q: q ? q : undefined }, normalisePage(page));
    return { ...result, items: result.items.map(toPublicUser) };
  }
}
