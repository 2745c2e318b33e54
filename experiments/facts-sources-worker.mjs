// Worker entry for piscina: registers tsx in the worker thread, then loads the TypeScript task.
import { register } from "tsx/esm/api";

register();
const { default: factsTask } = await import("./facts-sources-task.ts");
export default factsTask;
