// Worker entry for piscina when no bundle can be built: registers tsx in the thread, then loads the TypeScript task.
import { register } from "tsx/esm/api";

register();
const { default: rolloutTask } = await import("./rollout-task.ts");
export default rolloutTask;
