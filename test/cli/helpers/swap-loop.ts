// Replaces one output folder through the output rule again and again until killed: generation k is FILES files reading "gen k".
// Usage: node --import tsx test/cli/helpers/swap-loop.ts OUT FIRST_GENERATION
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openOutput } from "../../../cli/output.ts";

const FILES = 40;
const [out, first] = [process.argv[2], Number(process.argv[3])];
process.stdout.write("ready\n");
for (let gen = first; gen < first + 100_000; gen++) {
  const o = await openOutput({ command: "run", value: out });
  await o.write(async (dir) => {
    for (let i = 0; i < FILES; i++) await writeFile(join(dir, `f${i}.txt`), `gen ${gen}\n`.repeat(200));
    await writeFile(join(dir, "manifest.json"), JSON.stringify({ gen, files: FILES }));
  });
}
