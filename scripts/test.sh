#!/usr/bin/env bash
# Set up, build, and run the whole test suite twice: a normal build, and a build
# with AddressSanitizer + UndefinedBehaviorSanitizer (README, second command); then a
# subset under valgrind memcheck on the normal build (scripts/valgrind.sh). Warnings are
# errors in both builds (RA_WERROR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRA_TESTS=ON -DRA_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRA_SANITIZE=ON -DRA_TESTS=ON \
    -DRA_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"

bash scripts/valgrind.sh build
