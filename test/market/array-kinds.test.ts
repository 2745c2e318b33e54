// The arrays a run rebuilds are born in the elements kind they end up in (see market/array-kinds.ts):
// otherwise code V8 compiled during a worker's first run is thrown away on its second.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { numberArray, objectArray } from "../../market/array-kinds.ts";

// V8's own predicates, compiled after the flag is set (it applies to code parsed from then on).
setFlagsFromString("--allow-natives-syntax");
const natives = (body: string) => new Function("a", body) as (a: unknown[]) => boolean;
const smiElements = natives("return %HasSmiElements(a)");
const doubleElements = natives("return %HasDoubleElements(a)");
const objectElements = natives("return %HasObjectElements(a)");

test("an empty literal starts with small-integer elements (what the helpers avoid)", () => {
  const a: unknown[] = [];
  assert.equal(smiElements(a), true);
  a.push({});
  assert.equal(objectElements(a), true);
});

test("objectArray is empty and already holds objects", () => {
  const a = objectArray<{ x: number }>();
  assert.equal(a.length, 0);
  assert.equal(objectElements(a), true);
  a.push({ x: 1 });
  assert.deepEqual(a, [{ x: 1 }]);
  assert.equal(objectElements(a), true);
});

test("numberArray is empty and already holds doubles", () => {
  const a = numberArray();
  assert.equal(a.length, 0);
  assert.equal(doubleElements(a), true);
  a.push(3, 2 ** 40);
  assert.deepEqual(a, [3, 2 ** 40]);
  assert.equal(doubleElements(a), true);
});

test("each call gives a new array", () => {
  const a = objectArray<number[]>();
  a.push([1]);
  assert.equal(objectArray<number[]>().length, 0);
  assert.notEqual(numberArray(), numberArray());
});
