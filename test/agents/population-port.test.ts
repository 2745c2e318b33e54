// Agents reach the simulated venue through its ports (Exchange, PopulationPort), never its concrete client.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const AGENTS = new URL("../../agents/", import.meta.url);

/** Every TypeScript file under agents/, relative to it. */
function sources(dir = ""): string[] {
  return readdirSync(new URL(dir, AGENTS), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name) + "/") : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

test("no agent imports the simulator's concrete client or its parts; populations see PopulationPort", () => {
  const files = sources();
  assert.ok(files.includes("world.ts") && files.includes("market-maker.ts"), `agents found: ${files.join(", ")}`);
  const concrete = /from "[./]*\/market\/(sim-exchange|sim-ccxt|sim-population|sim-requests|sim-order-cache)\.ts"/;
  const offending = files.filter((f) => concrete.test(readFileSync(new URL(f, AGENTS), "utf8")));
  assert.deepEqual(offending, [], "these import the concrete client (market/sim-exchange.ts or one of its parts)");
  assert.match(readFileSync(new URL("world.ts", AGENTS), "utf8"), /import type \{ PopulationPort \} from "\.\.\/market\/sim-population-port\.ts"/);
});
