// Worker entry for piscina when the rate task's bundle cannot be built: registers tsx in the
// worker thread, then loads the TypeScript task.
import { register } from "tsx/esm/api";

register();
const { default: rateTask } = await import("./sim-rate-task.ts");
export default rateTask;
