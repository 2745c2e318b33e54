// Worker entry for piscina when no bundle can be built: registers tsx in the worker thread, then loads the TypeScript task.
import { register } from "tsx/esm/api";

register();
const { default: worldFactsTask } = await import("./world-facts-task.ts");
export default worldFactsTask;
