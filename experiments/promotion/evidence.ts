// What a promotion rests on: the kinds of evidence, the check of each gate, and how a path is told to be one kind or another.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";

/** The step each kind of evidence supports: a suite sim → history, a walk-forward history → paper, paper sessions paper → live. */
export type EvidenceKind = "suite" | "walk-forward" | "paper";

/**
 * Evidence that cannot be used. `usage`: unreadable, of another kind or about another bot (exit 2);
 * `integrity`: its files disagree with each other or with what they record (exit 3).
 */
export class EvidenceError extends Error {
  constructor(message: string, readonly refusal: "usage" | "integrity" = "usage") {
    super(message);
    this.name = "EvidenceError";
  }
}

/** One gate against the evidence: what it asks, what was measured, whether it holds. */
export interface GateCheck {
  /** The gates config field, e.g. `history.maxPbo`. */
  readonly gate: string;
  /** The rule as a sentence, e.g. "PBO < 0.5". */
  readonly rule: string;
  readonly measured: string;
  readonly pass: boolean;
}

/** One piece of evidence as the registry records it: the file read and its sha256, then what it says. */
export interface EvidenceRecord {
  readonly kind: EvidenceKind;
  /** The path as given on the command line. */
  readonly path: string;
  /** The file hashed (suite.json, summary.json, the trade log). */
  readonly file: string;
  readonly sha256: string;
  readonly [detail: string]: unknown;
}

export interface ReadEvidence {
  readonly record: EvidenceRecord;
  readonly checks: readonly GateCheck[];
}

export const sha256Of = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex");

/** Reads a file for evidence, refusing with the flag and path when it cannot be. */
export async function readEvidenceFile(path: string): Promise<{ text: string; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new EvidenceError(code === "ENOENT" ? `--evidence: ${JSON.stringify(path)} does not exist` : `--evidence: ${JSON.stringify(path)} cannot be read (${String(code)})`);
  }
  return { text: bytes.toString("utf8"), sha256: sha256Of(bytes) };
}

/** Parses JSON evidence, refusing with the path when it is not JSON. */
export function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new EvidenceError(`--evidence: ${JSON.stringify(path)} is not JSON (${(e as Error).message})`);
  }
}

async function kindOfFile(path: string): Promise<{ kind: EvidenceKind; file: string }> {
  const name = basename(path);
  if (name === "suite.json") return { kind: "suite", file: path };
  if (name.endsWith(".jsonl")) return { kind: "paper", file: path };
  if (name.endsWith(".json")) {
    const raw = parseJson(path, (await readEvidenceFile(path)).text) as { walkForward?: unknown; strategy?: unknown; bot?: unknown } | null;
    if (raw !== null && typeof raw === "object" && raw.walkForward !== undefined) return { kind: "walk-forward", file: path };
    if (raw !== null && typeof raw === "object" && (raw.strategy !== undefined || raw.bot !== undefined)) {
      throw new EvidenceError(`--evidence: ${JSON.stringify(path)} is a backtest without a walk-forward (run arena backtest --strategy NAME --walk-forward train,test,step)`);
    }
  }
  throw new EvidenceError(`--evidence: ${JSON.stringify(path)} is none of: a suite (its folder or suite.json), a walk-forward backtest (its folder or summary.json), a paper trade log (.jsonl)`);
}

/** Which kind of evidence `path` is, and the file that holds it. @throws EvidenceError when none. */
export async function evidenceKind(path: string): Promise<{ kind: EvidenceKind; file: string }> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new EvidenceError(code === "ENOENT" ? `--evidence: ${JSON.stringify(path)} does not exist` : `--evidence: ${JSON.stringify(path)} cannot be read (${String(code)})`);
  }
  if (!isDir) return kindOfFile(path);
  for (const name of ["suite.json", "summary.json"]) {
    try {
      await stat(join(path, name));
    } catch {
      continue;
    }
    return kindOfFile(join(path, name));
  }
  throw new EvidenceError(`--evidence: folder ${JSON.stringify(path)} holds neither suite.json (arena suite) nor summary.json (arena backtest)`);
}
