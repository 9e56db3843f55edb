import type { Clock } from '../../ports/clock.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { RenderTokens } from '../../ports/render-tokens.js';
import type { Actor } from '../actor.js';
import { loadVisible } from '../inspections/access.js';

/** Render tokens for a person to look at both report pages of an inspection they may see. */
export class PreviewReport {
  constructor(
    private readonly inspections: InspectionRepository,
    private readonly tokens: RenderTokens,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  async execute(actor: Actor, id: string): Promise<{ full: string; noDocs: string; expiresAt: Date }> {
    await loadVisible(this.inspections, actor, id);
    const now = this.clock.now();
    return {
      full: this.tokens.issue(id, 'full', now, this.ttlSeconds),
      noDocs: this.tokens.issue(id, 'no-docs', now, this.ttlSeconds),
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
    };
  }
}
