// Accounts and balances in integer smallest units, with funds reserved for resting orders.

/** Asset index inside the ledger: one instrument has exactly a base and a quote asset. */
export const Asset = { BASE: 0, QUOTE: 1 } as const;
export type Asset = (typeof Asset)[keyof typeof Asset];

/**
 * Balances of every account as free + locked per asset, plus the fees the venue collected.
 * All amounts are safe integers of the smallest unit. Money only moves between accounts
 * and the fee pot; `deposit` is the only way in, so
 * `sum(free + locked) + fees == deposited` holds per asset after every operation.
 */
export class Ledger {
  private free: Float64Array;
  private locked: Float64Array;
  private count = 0;
  /** Fees collected by the venue, per asset. */
  readonly fees = new Float64Array(2);
  /** Total ever deposited, per asset. */
  readonly deposited = new Float64Array(2);

  constructor(initialAccounts = 64) {
    this.free = new Float64Array(Math.max(1, initialAccounts) * 2);
    this.locked = new Float64Array(Math.max(1, initialAccounts) * 2);
  }

  /** Number of accounts opened. Account ids are 0..accounts-1. */
  get accounts(): number {
    return this.count;
  }

  /** Opens an account with zero balances and returns its id. */
  open(): number {
    if ((this.count + 1) * 2 > this.free.length) {
      const f = new Float64Array(this.free.length * 2);
      f.set(this.free);
      this.free = f;
      const l = new Float64Array(this.locked.length * 2);
      l.set(this.locked);
      this.locked = l;
    }
    return this.count++;
  }

  has(account: number): boolean {
    return Number.isInteger(account) && account >= 0 && account < this.count;
  }

  /**
   * Credits an endowment.
   * @throws Error naming the field and value for an unknown account or a non-positive /
   *   non-safe-integer amount (a programming error, not a venue refusal).
   */
  deposit(account: number, asset: Asset, amount: number): void {
    if (!this.has(account)) throw new Error(`deposit.account: ${account} is not an open account`);
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new Error(`deposit.amount: ${amount} must be a positive safe integer of smallest units`);
    }
    const total = this.deposited[asset] + amount;
    if (!Number.isSafeInteger(total)) {
      throw new Error(`deposit.amount: ${amount} would take total deposits past 2^53 units`);
    }
    this.free[account * 2 + asset] += amount;
    this.deposited[asset] = total;
  }

  freeOf(account: number, asset: Asset): number {
    return this.free[account * 2 + asset];
  }

  lockedOf(account: number, asset: Asset): number {
    return this.locked[account * 2 + asset];
  }

  // The methods below are the engine's; they trust their arguments (checked upstream).

  /** Moves `amount` from free to locked. Caller has checked free >= amount. */
  lock(account: number, asset: Asset, amount: number): void {
    const i = account * 2 + asset;
    this.free[i] -= amount;
    this.locked[i] += amount;
  }

  /** Moves `amount` from locked back to free. */
  release(account: number, asset: Asset, amount: number): void {
    const i = account * 2 + asset;
    this.locked[i] -= amount;
    this.free[i] += amount;
  }

  /** Removes `amount` from the locked balance (it is being paid to someone). */
  takeLocked(account: number, asset: Asset, amount: number): void {
    this.locked[account * 2 + asset] -= amount;
  }

  /** Removes `amount` from the free balance (paid without a reservation, e.g. market orders). */
  takeFree(account: number, asset: Asset, amount: number): void {
    this.free[account * 2 + asset] -= amount;
  }

  /** Adds `amount` to the free balance. */
  credit(account: number, asset: Asset, amount: number): void {
    this.free[account * 2 + asset] += amount;
  }

  /** Adds to the venue's fee pot. */
  collectFee(asset: Asset, amount: number): void {
    this.fees[asset] += amount;
  }

  /** Sum over accounts of free + locked, plus fees, for one asset: must equal `deposited`. */
  total(asset: Asset): number {
    let s = this.fees[asset];
    for (let a = 0; a < this.count; a++) s += this.free[a * 2 + asset] + this.locked[a * 2 + asset];
    return s;
  }
}
