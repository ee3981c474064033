/* SPDX-License-Identifier: MIT */
/* Fuzz target: systemd OnCalendar expressions (config/calendar): parsing, the normalized
 * form and the next elapses. Input: a zone byte (bits 0-2), a start byte (bits 0-2: a
 * start time from the table; 7 takes the next 8 bytes as a raw ra_time), then the
 * expression. Checks: the documented return codes, an error message on failure, the
 * normalized form parsing back to itself, and elapses strictly after their start. */
#include "fuzz.h"

#include <string.h>

#include "config/sched/calendar.h"
#include "util/buf.h"

#define STEPS 6

static const ra_time starts[7] = {
    1775964300, /* 2026-04-12T03:25:00Z */
    1774746000, /* 2026-03-29T01:00:00Z, London springs forward */
    1792890000, /* 2026-10-25T01:00:00Z, London falls back */
    0,          /* 1970 */
    -86400,     /* 1969-12-31 */
    4107542340, /* 2100-02-28T23:59:00Z */
    7258118340, /* 2199-12-31T23:59:00Z, the last year systemd knows */
};

/* systemd prints a form it reads back: parse(normalized(c)) normalizes the same. */
static void check_round_trip(const struct ra_calendar *c)
{
    struct ra_buf a = RA_BUF_INIT, b = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *again = NULL;

    ra_calendar_normalized(&a, c);
    if (ra_calendar_parse(&again, ra_buf_cstr(&a), &err) < 0) {
        fprintf(stderr, "normalized '%s' does not parse: %s\n", ra_buf_cstr(&a), err.msg);
        abort();
    }
    ra_calendar_normalized(&b, again);
    if (strcmp(ra_buf_cstr(&a), ra_buf_cstr(&b))) {
        fprintf(stderr, "normalized '%s' normalizes to '%s'\n", ra_buf_cstr(&a),
                ra_buf_cstr(&b));
        abort();
    }
    ra_calendar_free(again);
    ra_buf_release(&a);
    ra_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = NULL;
    char expr[FUZZ_MAX_EXPR + 1];
    const char *tz, *zone;
    ra_time t, next;
    int rc, i;

    if (!fuzz_schedule_input(&t, expr, data, size, starts))
        return 0;
    tz = fuzz_zone(data[0]);

    rc = ra_calendar_parse(&c, expr, &err);
    if (rc < 0) {
        FUZZ_CHECK(rc == RA_EFORMAT && c == NULL);
        FUZZ_CHECK(err.code == rc && err.msg[0] != '\0');
        return 0;
    }
    zone = ra_calendar_zone(c);
    FUZZ_CHECK(zone == NULL || strlen(zone) < FUZZ_MAX_EXPR);
    check_round_trip(c);
    for (i = 0; i < STEPS; i++) {
        next = t;
        rc = ra_calendar_next(&next, c, t, tz, &err);
        if (rc < 0) {
            /* RA_ELIMIT: systemd's "Infinite loop in calendar calculation"; RA_ERROR:
             * TZ could not be set. */
            FUZZ_CHECK(rc == RA_ENOTFOUND || rc == RA_EUSAGE || rc == RA_ELIMIT ||
                       rc == RA_ERROR);
            FUZZ_CHECK(err.code == rc && err.msg[0] != '\0' && next == t);
            break;
        }
        FUZZ_CHECK(next > t);
        t = next;
    }
    ra_calendar_free(c);
    return 0;
}
