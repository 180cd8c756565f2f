#!/usr/bin/env bash
# The one test command (`npm test`): type-check, lint, format check, then every test file.
# Node 20's test runner has no globs, so the shell lists the files.
set -euo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.test.json
npx oxlint --deny-warnings -D eqeqeq src test web/src scripts
npx prettier --check . --log-level warn
files=(test/**/*.test.ts)
node --import tsx --test --test-concurrency=1 "${files[@]}"
