/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer targets and their replay driver: the entry point, and a check
 * that stays on in release builds (a broken invariant is a finding, like a crash). */
#ifndef RA_TESTS_FUZZ_H
#define RA_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort() with the failed condition, whatever NDEBUG says. */
#define FUZZ_CHECK(cond)                                                                 \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* The schedule targets (cron, calendar): time zone i of eight, the last one unknown. */
static inline const char *fuzz_zone(unsigned i)
{
    static const char *const zones[8] = {
        NULL,
        "UTC",
        "Europe/London",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "Pacific/Chatham",
        "No/Such_Zone",
    };

    return zones[i & 7];
}

#define FUZZ_MAX_EXPR 512

/* The schedule targets' input after its first byte (which each reads its own way):
 * byte 1, bits 0-2, picks *t from starts[0..6], or with 7 takes the next 8 bytes as a
 * raw ra_time; the rest, at most FUZZ_MAX_EXPR bytes, is the expression. Returns 0 when
 * the input is too short for that. */
static inline int fuzz_schedule_input(ra_time *t, char expr[FUZZ_MAX_EXPR + 1],
                                      const uint8_t *data, size_t size,
                                      const ra_time starts[7])
{
    size_t n;

    if (size < 2)
        return 0;
    if ((data[1] & 7) == 7) {
        if (size < 10)
            return 0;
        memcpy(t, data + 2, sizeof(*t));
        data += 8;
        size -= 8;
    } else {
        *t = starts[data[1] & 7];
    }
    n = size - 2 < FUZZ_MAX_EXPR ? size - 2 : FUZZ_MAX_EXPR;
    memcpy(expr, data + 2, n);
    expr[n] = '\0';
    return 1;
}

#endif
