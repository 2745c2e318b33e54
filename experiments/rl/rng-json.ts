// The zod schema of a saved random stream (sim/rng.ts's RngState), for env snapshots and checkpoints read back from JSON.
import { z } from "zod";

export const RngStateJson = z.object({
  key: z.string(),
  alea: z.object({ c: z.number(), s0: z.number(), s1: z.number(), s2: z.number() }),
  spare: z.number(),
  hasSpare: z.boolean(),
});
