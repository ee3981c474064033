/* SPDX-License-Identifier: MIT */
/* Batch driver for calendar_oracle.py. Reads "EXPR\tSTART\tTZ\tN" lines on stdin (START
 * in epoch seconds, TZ "UTC" or an IANA name) and prints, per line, the normalized form,
 * a tab, and the next N elapses as epoch seconds separated by spaces, ending with
 * "ERR <message>" if the chain stops early; or "ERR <message>" alone if EXPR does not
 * parse. */
#include "config/sched/calendar.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define MAX_LINE 4096
#define MAX_COLS 4

/* Split line at tabs in place; returns the number of columns. */
static int split_tabs(char *line, char *cols[MAX_COLS])
{
    int n = 0;
    char *s = line, *tab;

    line[strcspn(line, "\r\n")] = '\0';
    while (n < MAX_COLS) {
        cols[n++] = s;
        tab = strchr(s, '\t');
        if (!tab)
            break;
        *tab = '\0';
        s = tab + 1;
    }
    return n;
}

static void run_line(char *line)
{
    struct ra_buf norm = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_calendar *c = NULL;
    char *cols[MAX_COLS], *endp;
    ra_time t, next;
    long i, n;

    if (split_tabs(line, cols) < 4) {
        printf("ERR bad input line\n");
        return;
    }
    t = (ra_time)strtoll(cols[1], &endp, 10);
    n = strtol(cols[3], &endp, 10);
    if (ra_calendar_parse(&c, cols[0], &err) < 0) {
        printf("ERR %s\n", err.msg);
        return;
    }
    ra_calendar_normalized(&norm, c);
    printf("%s\t", ra_buf_cstr(&norm));
    for (i = 0; i < n; i++) {
        if (ra_calendar_next(&next, c, t, cols[2], &err) < 0) {
            printf("%sERR %s", i ? " " : "", err.msg);
            break;
        }
        printf("%s%" PRId64, i ? " " : "", next);
        t = next;
    }
    printf("\n");
    ra_buf_release(&norm);
    ra_calendar_free(c);
}

int main(void)
{
    static char line[MAX_LINE];

    while (fgets(line, sizeof(line), stdin))
        run_line(line);
    return 0;
}
