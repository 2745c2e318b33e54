// The layer rules for time and randomness (DESIGN.md, "Determinism"), checked by `npm run lint:layers`.
//
// Only live/ reads the wall clock, sets timers or draws unseeded randomness; everywhere else time
// and randomness are injected (the kernel's clock, seeded rng forks), so a run stays a pure
// function of (scenario, seed, code version). bench/ and test/ sit outside the layers.
// The import rules are in .dependency-cruiser.cjs.
import tsParser from "@typescript-eslint/parser";

/** The folders the rules hold in: every layer but live/. */
const NOT_LIVE = ["market", "sim", "agents", "scenarios", "experiments", "cli"];
const SOURCES = "**/*.{ts,mts,mjs,js}";

const CLOCK = "the wall clock is read only in live/: take the time from the kernel's clock or as an injected function";
const RANDOM = "randomness comes only from seeded streams (sim/rng.ts, forked by name from the run seed)";
const TIMER = "timers run on the wall clock, so only live/ sets them: schedule on the kernel's clock instead";
const NETWORK = "only live/ touches the network";

const globals = [
  { name: "performance", message: CLOCK },
  { name: "setTimeout", message: TIMER },
  { name: "setInterval", message: TIMER },
  { name: "crypto", message: RANDOM },
  { name: "fetch", message: NETWORK },
  { name: "WebSocket", message: NETWORK },
  { name: "EventSource", message: NETWORK },
  { name: "XMLHttpRequest", message: NETWORK },
];

const properties = [
  { object: "Date", property: "now", message: CLOCK },
  { object: "process", property: "hrtime", message: CLOCK },
  { object: "process", property: "uptime", message: CLOCK },
  { object: "Math", property: "random", message: RANDOM },
  { object: "globalThis", property: "setTimeout", message: TIMER },
  { object: "globalThis", property: "setInterval", message: TIMER },
  ...["randomBytes", "randomInt", "randomUUID", "randomFillSync", "getRandomValues"].map((property) => ({
    object: "crypto",
    property,
    message: RANDOM,
  })),
];

const syntax = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `new Date() is now: ${CLOCK}` },
  { selector: "CallExpression[callee.name='Date']", message: `Date() is now, as a string: ${CLOCK}` },
];

const moduleImports = [
  ...["perf_hooks", "node:perf_hooks"].map((name) => ({ name, message: CLOCK })),
  ...["timers", "node:timers", "timers/promises", "node:timers/promises"].map((name) => ({ name, message: TIMER })),
  ...["crypto", "node:crypto"].map((name) => ({
    name,
    importNames: ["randomBytes", "randomInt", "randomUUID", "randomFill", "randomFillSync", "getRandomValues", "webcrypto"],
    message: RANDOM,
  })),
];

/**
 * The rules; `allowElapsed` lets a file read performance.now() (elapsed time, no date) and
 * still refuses the epoch behind it.
 */
function rules({ allowElapsed = false } = {}) {
  return {
    "no-restricted-globals": ["error", ...globals.filter((g) => !(allowElapsed && g.name === "performance"))],
    "no-restricted-properties": [
      "error",
      ...properties,
      ...(allowElapsed ? [{ object: "performance", property: "timeOrigin", message: CLOCK }] : []),
    ],
    "no-restricted-syntax": ["error", ...syntax],
    "no-restricted-imports": ["error", { paths: moduleImports }],
  };
}

export default [
  { ignores: ["node_modules/**", "runs/**", "test/fixtures/**"] },
  {
    files: ["**/*.{ts,mts}"],
    languageOptions: { parser: tsParser, ecmaVersion: "latest", sourceType: "module" },
  },
  {
    // Exceptions are named here, each with its reason, never in an inline comment.
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
  },
  {
    files: NOT_LIVE.map((dir) => `${dir}/${SOURCES}`),
    rules: rules(),
  },
  {
    // The two places that start a run, in the process and in a worker thread, time it for
    // summary.json's wallTimeMs. performance.now() is elapsed time only (no date), and it is
    // handed to runWorld as `wallClock`, which reports it and decides nothing. A worker cannot
    // be handed a function across the thread boundary, and experiments/ does not import live/.
    // `arena train` times its iterations the same way, for the progress line and hooks.clock;
    // `arena calibrate` for the wall time it prints (never in report.json, which must not vary).
    files: ["cli/main.ts", "experiments/run-task.ts", "cli/train.ts", "cli/calibrate.ts"],
    rules: rules({ allowElapsed: true }),
  },
];
