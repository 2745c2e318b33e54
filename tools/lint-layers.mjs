// `npm run lint:layers`: the layer rules of DESIGN.md, imports by dependency-cruiser
// (.dependency-cruiser.cjs) and clock and randomness by ESLint (eslint.config.js), reported as
// file:line lines. Checks the tree it is run in; exits 1 when any rule is broken.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { cruise } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { ESLint } from "eslint";

const LAYERS = ["market", "sim", "agents", "scenarios", "experiments", "cli", "live"];

/** One broken rule at one place. */
const line = (file, at, rule, text) => `${file}:${at}  ${rule}  ${text}`;

/**
 * The first line of `file` that names `specifier` in quotes: dependency-cruiser reports modules,
 * not lines. It names Node's modules without their `node:` prefix.
 */
async function lineOf(file, specifier) {
  const names = [specifier, `node:${specifier}`].flatMap((n) => [`"${n}"`, `'${n}'`, `\`${n}\``]);
  const i = (await readFile(file, "utf8")).split("\n").findIndex((l) => names.some((n) => l.includes(n)));
  return i < 0 ? "?" : String(i + 1);
}

async function importViolations(dirs) {
  const options = await extractDepcruiseOptions("./.dependency-cruiser.cjs");
  const tsConfig = extractTSConfig(options.tsConfig.fileName);
  const { output } = await cruise(dirs, { ...options, outputType: "json" }, {}, { tsConfig });
  const result = typeof output === "string" ? JSON.parse(output) : output;
  const bySource = new Map(result.modules.map((m) => [m.source, m]));
  const rules = new Map(options.ruleSet.forbidden.map((r) => [r.name, r]));
  const out = [];
  for (const v of result.summary.violations) {
    const dep = bySource.get(v.from)?.dependencies.find((d) => d.resolved === v.to);
    const specifier = dep?.module ?? v.to;
    const why = rules.get(v.rule.name)?.comment ?? "";
    out.push(line(v.from, await lineOf(v.from, specifier), v.rule.name, `imports ${v.to} ("${specifier}"): ${why}`));
  }
  return out;
}

async function syntaxViolations(dirs) {
  const eslint = new ESLint({ cwd: process.cwd(), errorOnUnmatchedPattern: false });
  const out = [];
  for (const r of await eslint.lintFiles(dirs)) {
    const file = r.filePath.slice(process.cwd().length + 1);
    for (const m of r.messages) out.push(line(file, `${m.line}:${m.column}`, m.ruleId ?? "eslint", m.message));
  }
  return out;
}

const dirs = LAYERS.filter((d) => existsSync(d));
const [imports, syntax] = await Promise.all([importViolations(dirs), syntaxViolations(dirs)]);
const all = [...imports, ...syntax];
for (const v of all) process.stdout.write(`${v}\n`);
process.stdout.write(
  all.length === 0
    ? `lint:layers: no violations in ${dirs.join(", ")}\n`
    : `lint:layers: ${all.length} violation(s): ${imports.length} import, ${syntax.length} clock/randomness/network\n`,
);
process.exitCode = all.length === 0 ? 0 : 1;
