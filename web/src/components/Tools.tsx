// Goal-seek, hindsight and Sobol indices on request, run in a worker by src/analysis (the code
// behind `outlast goal-seek`, `hindsight` and `sensitivity`), on the page's current text,
// levers and held values. Each result is stamped and greyed when out of date.

import type { Workers } from "../hooks/useWorkers.js";
import { GoalSeek } from "./GoalSeek.js";
import { Hindsight } from "./Hindsight.js";
import { Sobol } from "./Sobol.js";

export function Tools(props: { workers: Workers }) {
  return (
    <div class="tools">
      <GoalSeek workers={props.workers} />
      <Sobol workers={props.workers} />
      <Hindsight workers={props.workers} />
    </div>
  );
}
