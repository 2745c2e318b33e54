// Picks the tfjs backend at run time: tfjs-node when it is installed (native, multi-threaded), else wasm.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

/** The backend names this project trains on. */
export type BackendName = "tensorflow" | "wasm";

let chosen: Promise<BackendName> | undefined;

/**
 * Sets the tfjs backend once per process and returns its name. `prefer` "wasm" skips the tfjs-node
 * probe. The wasm binaries ship in @tensorflow/tfjs-backend-wasm/dist/ and load from disk: nothing
 * is downloaded.
 * @throws Error if no backend can be set.
 */
export function useBackend(prefer: BackendName | "auto" = "auto"): Promise<BackendName> {
  chosen ??= choose(prefer);
  return chosen;
}

async function choose(prefer: BackendName | "auto"): Promise<BackendName> {
  if (prefer !== "wasm") {
    // A variable specifier, so neither TypeScript nor a bundler insists the optional package exists.
    const nodeBackend = "@tensorflow/tfjs-node";
    try {
      await import(nodeBackend);
      if (await tf.setBackend("tensorflow")) return "tensorflow";
    } catch {
      if (prefer === "tensorflow") throw new Error("tfjs backend: prefer \"tensorflow\" but @tensorflow/tfjs-node is not installed");
    }
  }
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs backend: the wasm backend failed to initialise");
  await tf.ready();
  return "wasm";
}
