// Worker entry for piscina when the env task's bundle cannot be built: registers tsx in the worker thread, then loads the task.
import { register } from "tsx/esm/api";

register();
const { default: envRateTask } = await import("./ppo-env-task.ts");
export default envRateTask;
