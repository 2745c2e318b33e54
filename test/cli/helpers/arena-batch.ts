// Runs several `arena` command lines in one process (one tsx start-up instead of one each) and prints their results as JSON.
// Usage: node --import tsx test/cli/helpers/arena-batch.ts '[["backtest", "--data", ...], ...]'
import { main } from "../../../cli/main.ts";

const runs = JSON.parse(process.argv[2]) as string[][];
const results: { code: number; stdout: string; stderr: string }[] = [];
const out = process.stdout.write.bind(process.stdout);
const err = process.stderr.write.bind(process.stderr);
for (const args of runs) {
  let stdout = "";
  let stderr = "";
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(args);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  results.push({ code, stdout, stderr });
}
out(JSON.stringify(results) + "\n");
