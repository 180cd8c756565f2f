// `outlast list`: the built-in scenarios, by name, with their titles and descriptions.

import { listBuiltins } from "../resolve.js";

export function listCommand(): void {
  const builtins = listBuiltins();
  if (builtins.length === 0) {
    process.stdout.write("no built-in scenarios found\n");
    return;
  }
  const width = Math.max(...builtins.map((b) => b.name.length));
  for (const b of builtins) {
    process.stdout.write(`${b.name.padEnd(width)}  ${b.title}\n`);
    if (b.description) process.stdout.write(`${" ".repeat(width)}  ${truncate(b.description, 100)}\n`);
  }
  process.stdout.write(`\nrun one with \`outlast run NAME\`; copy one with \`outlast init FILE.yaml --from NAME\`\n`);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + "…";
}
