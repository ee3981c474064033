/* SPDX-License-Identifier: MIT */
/* Fuzz target: cron schedules (config/cron): parsing in both dialects and the next
 * firings in a time zone. Input: a flags byte (bit 0: dialect, bits 1-3: zone), a start
 * byte (bits 0-2: a start time from the table; 7 takes the next 8 bytes as a raw
 * ra_time), then the expression. Checks: the documented return codes, an error message
 * on failure, and firings strictly after their start, each after the last. */
#include "fuzz.h"

#include "config/sched/cron.h"

#define STEPS 6

static const ra_time starts[7] = {
    1775964300,   /* 2026-04-12T03:25:00Z */
    1774746000,   /* 2026-03-29T01:00:00Z, London springs forward */
    1792890000,   /* 2026-10-25T01:00:00Z, London falls back */
    0,            /* 1970 */
    -86400,       /* 1969-12-31 */
    4107542340,   /* 2100-02-28T23:59:00Z */
    190000000000, /* year 7990, near the documented limit */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_cron *c = NULL;
    char expr[FUZZ_MAX_EXPR + 1];
    const char *tz;
    ra_time t, next;
    int rc, i;

    if (!fuzz_schedule_input(&t, expr, data, size, starts))
        return 0;
    tz = fuzz_zone(data[0] >> 1);

    rc = ra_cron_parse_dialect(&c, expr, (data[0] & 1) ? RA_CRON_CRONITER : RA_CRON_VIXIE,
                               &err);
    if (rc < 0) {
        FUZZ_CHECK(rc == RA_EFORMAT && c == NULL);
        FUZZ_CHECK(err.code == rc && err.msg[0] != '\0');
        return 0;
    }
    for (i = 0; i < STEPS; i++) {
        next = t;
        rc = ra_cron_next(&next, c, t, tz, &err);
        if (rc < 0) {
            FUZZ_CHECK(rc == RA_ENOTFOUND || rc == RA_EUSAGE || rc == RA_ERROR);
            FUZZ_CHECK(err.code == rc && err.msg[0] != '\0' && next == t);
            break;
        }
        FUZZ_CHECK(next > t);
        t = next;
    }
    ra_cron_free(c);
    return 0;
}
