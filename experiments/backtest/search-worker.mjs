// Worker entry for piscina: registers tsx in the worker thread, then loads the walk-forward search task.
import { register } from "tsx/esm/api";

register();
const { default: searchTask } = await import("./search-window.ts");
export default searchTask;
