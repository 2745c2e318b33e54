// The ValidationError a call throws, for tests that read its field and message; fails the test when it throws nothing or something else.
import assert from "node:assert/strict";
import { ValidationError } from "../../../market/validate.ts";

export function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a ValidationError");
}
