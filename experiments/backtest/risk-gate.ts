// What the replay runner needs of a risk manager: agents/risk's RiskManager, or a stand-in in tests.
import type { RiskManager } from "../../agents/risk/risk-manager.ts";

/**
 * The risk manager as the runner uses it (see RiskManager for units and semantics). The runner
 * calls `observe` once per time step at the close (portfolio equity), before acting on any
 * signal; `sizeEntry` before every entry; the level methods on every bar of an open trade.
 */
export type RiskGate = Pick<
  RiskManager,
  "config" | "events" | "observe" | "closeAllNow" | "paused" | "sizeEntry" | "stopPrice" | "stopRule" | "takeProfitPrice" | "forced"
>;
