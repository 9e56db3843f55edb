/**
 * The consumers of one queue (pg-boss `work` subscriptions): `resize(n)` starts or stops them one at a time
 * until n run. Stopping forgets a consumer even when pg-boss fails to stop it.
 */
export class ConsumerPool {
  private readonly ids: string[] = [];

  constructor(
    /** Starts one consumer; its id. */
    private readonly startOne: () => Promise<string>,
    /** Stops the consumer of that id. */
    private readonly stopOne: (id: string) => Promise<void>,
  ) {}

  /** How many consumers run. */
  get size(): number {
    return this.ids.length;
  }

  /** Starts or stops consumers until `n` run. */
  async resize(n: number): Promise<void> {
    while (this.ids.length < n) this.ids.push(await this.startOne());
    while (this.ids.length > n) await this.stopOne(this.ids.pop() as string).catch(() => undefined);
  }
}
