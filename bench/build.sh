#!/bin/sh
# Compiles the C yardstick bench/ref.c three ways into OUT (default: a folder under /tmp):
#   ref_c        the model hand-tuned, one thread
#   ref_c_naive  the formulas as bench/MODEL.md writes them, one thread
#   ref_c_omp    ref_c on every core (OpenMP); the same output as ref_c for the same arguments
# Each binary takes PATHS MONTHS SEED and prints one JSON line. Prints OUT when done.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/outlast-bench}
mkdir -p "$out"
gcc -O3 -march=native -o "$out/ref_c" "$here/ref.c" -lm
gcc -O3 -march=native -DNAIVE -o "$out/ref_c_naive" "$here/ref.c" -lm
gcc -O3 -march=native -fopenmp -o "$out/ref_c_omp" "$here/ref.c" -lm
echo "$out"
