// The layer rules for imports (DESIGN.md, "Layers"), checked by `npm run lint:layers` and in CI.
//
// market ← sim ← agents ← scenarios ← experiments ← cli: a folder imports only the ones to its
// left (cli may import all). bench/ and test/ are outside the layers: they may import anything,
// and nothing in a layer imports them. live/ depends on market/ and agents/ only.
// Type-only imports count: a type is part of the API a file depends on.

/** Every folder that is a layer, bottom up, and live/ beside them. */
const LAYERS = ["market", "sim", "agents", "scenarios", "experiments", "cli", "live"];

/** Packages and Node modules that reach the network: only live/ may import them. */
const NETWORK_CORE = "^(node:)?(net|http|https|http2|dgram|tls|dns|dns/promises)$";
const NETWORK_PACKAGES =
  "(^|node_modules/)(ccxt|ws|undici|@qdrant/[^/]+|axios|node-fetch|got|isomorphic-ws|socket\\.io-client|cross-fetch)(/|$)";

/** A layer must not import any of `above`. */
const upward = (layer, above, why) => ({
  name: `${layer}-not-upward`,
  comment: why,
  severity: "error",
  from: { path: `^${layer}/` },
  to: { path: `^(${above.join("|")})/` },
});

module.exports = {
  forbidden: [
    upward("market", ["sim", "agents", "scenarios", "experiments", "cli", "live"],
      "market/ is the exchange: it imports no other layer (the kernel implements market's SimNetwork instead)"),
    upward("sim", ["agents", "scenarios", "experiments", "cli", "live"], "sim/ imports market/ only"),
    upward("agents", ["scenarios", "experiments", "cli", "live"], "agents/ imports market/ and sim/ only"),
    upward("scenarios", ["experiments", "cli", "live"], "scenarios/ imports market/, sim/ and agents/ only"),
    upward("experiments", ["cli", "live"],
      "experiments/ imports the layers below it, not cli/ nor live/ (the fill rules live/ shares sit in market/)"),
    {
      name: "bots-strategies-risk-not-sim",
      comment:
        "bots, strategies and the risk manager see only BotContext and the Exchange port: " +
        "they run unchanged in the simulator, the replay and live, so they import neither sim/ nor a simulated venue (market/sim-*)",
      severity: "error",
      from: { path: "^agents/(bots|strategies|risk)/" },
      to: { path: "^(sim/|market/sim-)" },
    },
    {
      name: "live-not-sim",
      comment:
        "live/ (the ccxt adapter, the paper broker, the live runner) depends on market/ and agents/ only; " +
        "the one exception is live/serve/, which serves a simulated scenario as a venue (next rule)",
      severity: "error",
      from: { path: "^live/", pathNot: "^live/serve/" },
      to: { path: "^(sim|scenarios|experiments|cli)/" },
    },
    {
      name: "live-serve-not-up",
      comment: "live/serve/ serves a simulated scenario: it may drive sim/ and scenarios/, but not experiments/ nor cli/",
      severity: "error",
      from: { path: "^live/serve/" },
      to: { path: "^(experiments|cli)/" },
    },
    {
      name: "network-only-in-live",
      comment:
        "only live/ touches the network (ccxt, sockets, HTTP clients): a simulated run is a pure function " +
        "of (scenario, seed, code version)",
      severity: "error",
      from: { path: `^(${LAYERS.filter((l) => l !== "live").join("|")})/` },
      to: { path: [NETWORK_CORE, NETWORK_PACKAGES] },
    },
    {
      name: "layers-not-bench-or-test",
      comment: "bench/ and test/ sit outside the layers: they import the code, never the reverse",
      severity: "error",
      from: { path: `^(${LAYERS.join("|")})/` },
      to: { path: "^(bench|test)/" },
    },
    {
      name: "resolvable",
      comment: "every relative import resolves; an import the checker cannot resolve would escape every rule above",
      severity: "error",
      from: {},
      to: { couldNotResolve: true, path: "^\\.\\.?/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".mts", ".mjs", ".js", ".json"],
    },
    moduleSystems: ["es6", "cjs"],
  },
};
