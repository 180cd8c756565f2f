// Makes the CLI entry executable after tsc writes it (npm links it as the `outlast` bin).
import { chmodSync, existsSync } from "node:fs";
const bin = new URL("../dist/cli/main.js", import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
