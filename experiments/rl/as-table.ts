// The published Avellaneda–Stoikov table, and the check that an evaluation agrees with it within sampling error.
import type { AsStats, AsStrategy } from "./as-analytic.ts";

/** One row of Avellaneda & Stoikov (2008), section 4 (1,000 simulations each). */
export interface AsTableRow {
  readonly gamma: number;
  readonly strategy: AsStrategy;
  readonly spread: number;
  readonly meanPnl: number;
  readonly stdPnl: number;
  readonly meanTerminalInventory: number;
  readonly stdTerminalInventory: number;
  /** The size of the paper's sample, for its standard errors. */
  readonly trajectories: number;
  /**
   * How far (relative) a std of 1,000 trajectories may sit from the paper's: 3·√2 standard errors of
   * a sample std, both samples varying. Over 40 seeds of 1,000 that standard error was 2.1-2.5% for the
   * inventory rows and 3.3% for the symmetric one, whose profit has heavier tails (q·ΔS, q unchecked).
   */
  readonly stdTolerance: number;
}

/** The paper's rows: "High-frequency trading in a limit order book", Quantitative Finance 8(3), 2008, section 4. */
export const AS_TABLE: readonly AsTableRow[] = Object.freeze([
  { gamma: 0.1, strategy: "inventory", spread: 1.49, meanPnl: 65.0, stdPnl: 6.6, meanTerminalInventory: 0.08, stdTerminalInventory: 2.9, trajectories: 1000, stdTolerance: 0.1 },
  { gamma: 0.1, strategy: "symmetric", spread: 1.49, meanPnl: 68.4, stdPnl: 12.7, meanTerminalInventory: 0.26, stdTerminalInventory: 8.4, trajectories: 1000, stdTolerance: 0.15 },
  { gamma: 0.01, strategy: "inventory", spread: 1.35, meanPnl: 68.6, stdPnl: 8.7, meanTerminalInventory: 0.12, stdTerminalInventory: 5.1, trajectories: 1000, stdTolerance: 0.1 },
  { gamma: 1, strategy: "inventory", spread: 3.02, meanPnl: 31.4, stdPnl: 5.0, meanTerminalInventory: 0.02, stdTerminalInventory: 1.7, trajectories: 1000, stdTolerance: 0.1 },
] as const);

/** mbt_gym's replication (notebook Test_1, 1,000 trajectories): mean and std of profit. */
export const MBT_GYM_ROWS: readonly { readonly gamma: number; readonly meanPnl: number; readonly stdPnl: number; readonly trajectories: number }[] = Object.freeze([
  { gamma: 0.1, meanPnl: 64.87, stdPnl: 6.69, trajectories: 1000 },
  { gamma: 0.01, meanPnl: 68.75, stdPnl: 8.72, trajectories: 1000 },
]);

/** The paper's row for (γ, strategy), if it has one. */
export function tableRow(gamma: number, strategy: AsStrategy): AsTableRow | undefined {
  return AS_TABLE.find((r) => r.gamma === gamma && r.strategy === strategy);
}

/** How far apart two sample means may be: 3 standard errors of their difference (both samples vary). */
function meanTolerance(stdA: number, nA: number, stdB: number, nB: number): number {
  return 3 * Math.sqrt((stdA * stdA) / nA + (stdB * stdB) / nB);
}

/**
 * Where `ours` disagrees with a published row: each mean beyond 3 standard errors of the difference
 * of the two samples, each std off by more than the row's `stdTolerance` (relative; 10% by default), the mean spread off by more
 * than 0.02 (the paper averages T − t over [0, T], we over the 200 quoting times, 0.01 higher at γ = 1).
 * An empty list is agreement.
 */
export function tableProblems(
  ours: AsStats,
  row: { readonly meanPnl: number; readonly stdPnl: number; readonly trajectories: number; readonly spread?: number; readonly meanTerminalInventory?: number; readonly stdTerminalInventory?: number; readonly stdTolerance?: number },
): string[] {
  const out: string[] = [];
  const stdTolerance = row.stdTolerance ?? 0.1;
  const n = ours.trajectories;
  const pnlTol = meanTolerance(ours.stdPnl, n, row.stdPnl, row.trajectories);
  if (Math.abs(ours.meanPnl - row.meanPnl) > pnlTol) out.push(`mean profit ${ours.meanPnl.toFixed(2)} is not within ${pnlTol.toFixed(2)} of ${row.meanPnl}`);
  if (Math.abs(ours.stdPnl / row.stdPnl - 1) > stdTolerance) out.push(`std of profit ${ours.stdPnl.toFixed(2)} is not within ${stdTolerance * 100}% of ${row.stdPnl}`);
  if (row.meanTerminalInventory !== undefined && row.stdTerminalInventory !== undefined) {
    const qTol = meanTolerance(ours.stdTerminalInventory, n, row.stdTerminalInventory, row.trajectories);
    if (Math.abs(ours.meanTerminalInventory - row.meanTerminalInventory) > qTol) {
      out.push(`mean terminal inventory ${ours.meanTerminalInventory.toFixed(3)} is not within ${qTol.toFixed(3)} of ${row.meanTerminalInventory}`);
    }
    if (Math.abs(ours.stdTerminalInventory / row.stdTerminalInventory - 1) > stdTolerance) {
      out.push(`std of terminal inventory ${ours.stdTerminalInventory.toFixed(2)} is not within ${stdTolerance * 100}% of ${row.stdTerminalInventory}`);
    }
  }
  if (row.spread !== undefined && Math.abs(ours.meanSpread - row.spread) > 0.02) out.push(`mean spread ${ours.meanSpread.toFixed(3)} is not within 0.02 of ${row.spread}`);
  return out;
}
