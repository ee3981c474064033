/* SPDX-License-Identifier: MIT */
/* Batch driver for cron_oracle.py. Reads "EXPR\tSTART\tTZ\tN[\tDIALECT]" lines on stdin
 * (START in epoch seconds, TZ "UTC" or an IANA name, DIALECT "croniter" (default) or
 * "vixie") and prints, per line, the next N firings as epoch seconds separated by spaces,
 * ending with "ERR <message>" if the chain stops early. */
#include "config/sched/cron.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4096
#define MAX_COLS 5

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
    char *cols[MAX_COLS], *endp;
    struct ra_err err = RA_ERR_INIT;
    struct ra_cron *c = NULL;
    enum ra_cron_dialect dialect = RA_CRON_CRONITER;
    ra_time t, next;
    long i, n;
    int ncols = split_tabs(line, cols);

    if (ncols < 4) {
        printf("ERR bad input line\n");
        return;
    }
    t = (ra_time)strtoll(cols[1], &endp, 10);
    n = strtol(cols[3], &endp, 10);
    if (ncols == 5 && !strcmp(cols[4], "vixie"))
        dialect = RA_CRON_VIXIE;
    if (ra_cron_parse_dialect(&c, cols[0], dialect, &err) < 0) {
        printf("ERR %s\n", err.msg);
        return;
    }
    for (i = 0; i < n; i++) {
        if (ra_cron_next(&next, c, t, cols[2], &err) < 0) {
            printf("%sERR %s", i ? " " : "", err.msg);
            break;
        }
        printf("%s%" PRId64, i ? " " : "", next);
        t = next;
    }
    printf("\n");
    ra_cron_free(c);
}

int main(void)
{
    static char line[MAX_LINE];

    while (fgets(line, sizeof(line), stdin)) {
        run_line(line);
    }
    return 0;
}
