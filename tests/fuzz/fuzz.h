/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer targets and their replay driver: the entry point, and a check
 * that stays on in release builds (a broken invariant is a finding, like a crash). */
#ifndef RA_TESTS_FUZZ_H
#define RA_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() with the failed condition, whatever NDEBUG says. */
#define FUZZ_CHECK(cond)                                                                 \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                     \
        }                                                                                \
    } while (0)

#endif
