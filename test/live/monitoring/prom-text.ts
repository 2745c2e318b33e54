// A reader of Prometheus's text exposition format (what prom-client writes on /metrics), for tests that scrape with a plain HTTP GET.

/** One sample line: `name{label="value",...} value`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A scrape, parsed: HELP and TYPE by metric family, and every sample. */
export interface Exposition {
  readonly help: ReadonlyMap<string, string>;
  readonly type: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** @throws Error naming the line that is neither a comment nor a sample. */
export function parseExposition(text: string): Exposition {
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const samples: Sample[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta !== null) {
      (meta[1] === "HELP" ? help : type).set(meta[2], meta[3]);
      continue;
    }
    if (line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (m === null) throw new Error(`line ${i + 1} is not a sample: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? "").matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    // Prometheus reads floats as Go does: Inf and NaN in any case (prom-client writes "Nan").
    const v = m[4].toLowerCase();
    const value = v === "+inf" || v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : Number(m[4]);
    if (Number.isNaN(value) && v !== "nan") throw new Error(`line ${i + 1}: ${JSON.stringify(m[4])} is not a number`);
    samples.push({ name: m[1], labels, value });
  }
  return { help, type, samples };
}

/** The value of the sample `name` whose labels include `labels`; undefined when there is none. */
export function valueOf(e: Exposition, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  return e.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** GETs `url` and parses the body. @throws Error when the answer is not 200 in the text format. */
export async function scrape(url: string): Promise<Exposition> {
  const r = await fetch(url);
  if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
  const ct = r.headers.get("content-type") ?? "";
  if (!ct.startsWith("text/plain")) throw new Error(`${url}: content-type ${ct} is not Prometheus's text format`);
  return parseExposition(await r.text());
}
