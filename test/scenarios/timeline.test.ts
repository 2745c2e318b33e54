// A run shorter than a scenario's timeline is refused before it starts, naming the last shock or leg it would drop.
import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinSpec } from "../../scenarios/builtins.ts";
import { checkDurationCovers, lastBeyond } from "../../scenarios/timeline.ts";

const MINUTE = 60e9;

test("a duration that ends before a shock or a leg is refused with the one it drops; one that covers them passes", () => {
  assert.throws(() => checkDurationCovers(builtinSpec("crash"), 10 * MINUTE), /^Error: --duration: 600 s ends before crash's shock at 1800 s \("-30% repricing"\); give a duration longer than 1800 s$/);
  // flash-crash's recovery leg starts after its last shock: the legs count too.
  assert.throws(() => checkDurationCovers(builtinSpec("flash-crash"), 65 * MINUTE), /flash-crash's leg at 4200 s \("recovery"\)/);
  assert.throws(() => checkDurationCovers(builtinSpec("crash"), 30 * MINUTE), /shock at 1800 s/, "a shock at the very end is dropped too");
  checkDurationCovers(builtinSpec("crash"), 31 * MINUTE);
  checkDurationCovers(builtinSpec("flash-crash"), 71 * MINUTE);
  assert.equal(lastBeyond(builtinSpec("normal"), MINUTE), undefined);
});
