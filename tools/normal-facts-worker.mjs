// Worker entry for tools/normal-facts.ts when its bundle cannot be built: registers tsx, then loads the task.
import { register } from "tsx/esm/api";

register();
const { default: runFactsTask } = await import("./normal-facts-task.ts");
export default runFactsTask;
