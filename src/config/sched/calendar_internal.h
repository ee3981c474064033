/* SPDX-License-Identifier: MIT */
/* Shared by the calendar module's files (calendar.c: parsing and the normalized form;
 * calendar_next.c: the next elapse) and no one else. */
#ifndef RA_CONFIG_SCHED_CALENDAR_INTERNAL_H
#define RA_CONFIG_SCHED_CALENDAR_INTERNAL_H

#include <stdbool.h>

#include "config/sched/calendar.h"

enum ra_cal_field {
    RA_CAL_YEAR,
    RA_CAL_MONTH,
    RA_CAL_DAY,
    RA_CAL_HOUR,
    RA_CAL_MINUTE,
    RA_CAL_SECOND,
    RA_CAL_FIELDS,
};

/* The years systemd accepts in an expression and searches up to (MIN_YEAR, MAX_YEAR). */
#define RA_CAL_YEAR_MIN 1970
#define RA_CAL_YEAR_MAX 2199

/* One list item: start, start..stop, start/repeat or start..stop/repeat. A range
 * without repetition has repeat 1. */
struct ra_cal_comp {
    int start;
    int stop;   /* -1: none */
    int repeat; /* 0: none */
};

/* A field: no items is `*`. Items are sorted and unique, as systemd keeps them. */
struct ra_cal_chain {
    struct ra_cal_comp *v;
    size_t n;
};

struct ra_calendar {
    char *text;        /* the expression as given, for messages */
    char *zone;        /* the zone it names, or NULL */
    bool utc;          /* it ends in "UTC" or is "@SECONDS" */
    bool end_of_month; /* the day counts back from the month's end ('~') */
    unsigned weekdays; /* bit 0 Monday .. bit 6 Sunday; 0: any day */
    struct ra_cal_chain f[RA_CAL_FIELDS];
};

#endif
