// A worker thread that exercises one fuzz case (see bounded.ts): check, compile and a small run,
// returning the problems found, so that a case that never returns can be stopped from outside.

import { exercise } from "./language.js";

export default function exerciseCase(text: string): string[] {
  return exercise(text);
}
