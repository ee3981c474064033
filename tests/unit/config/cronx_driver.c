/* SPDX-License-Identifier: MIT */
/* Batch driver for cronx_oracle.py. Reads "FLAVOR\tEXPR\tSTART\tTZ\tN" lines on stdin
 * (FLAVOR robfig, quartz, eventbridge or nomad; START in epoch seconds) and prints, per
 * line, the next N firings as epoch seconds separated by spaces, ending with
 * "ERR <message>" if the chain stops early. */
#include "config/sched/cronx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4096
#define COLS 5

static int split_tabs(char *line, char *cols[COLS])
{
    int n = 0;
    char *s = line, *tab;

    line[strcspn(line, "\r\n")] = '\0';
    while (n < COLS) {
        cols[n++] = s;
        if (!(tab = strchr(s, '\t')))
            break;
        *tab = '\0';
        s = tab + 1;
    }
    return n;
}

static enum ra_cronx_flavor flavor_of(const char *s)
{
    if (!strcmp(s, "quartz"))
        return RA_CRONX_QUARTZ;
    if (!strcmp(s, "eventbridge"))
        return RA_CRONX_EVENTBRIDGE;
    if (!strcmp(s, "nomad"))
        return RA_CRONX_NOMAD;
    return RA_CRONX_ROBFIG;
}

static void run_line(char *line)
{
    char *cols[COLS];
    struct ra_err err = RA_ERR_INIT;
    struct ra_cronx *x = NULL;
    ra_time t, next;
    long i, n;

    if (split_tabs(line, cols) < COLS) {
        printf("ERR bad input line\n");
        return;
    }
    t = (ra_time)strtoll(cols[2], NULL, 10);
    n = strtol(cols[4], NULL, 10);
    if (ra_cronx_parse(&x, cols[1], flavor_of(cols[0]), &err) < 0) {
        printf("ERR %s\n", err.msg);
        return;
    }
    for (i = 0; i < n; i++) {
        if (ra_cronx_next(&next, x, t, cols[3], &err) < 0) {
            printf("%sERR %s", i ? " " : "", err.msg);
            break;
        }
        printf("%s%lld", i ? " " : "", (long long)next);
        t = next;
    }
    printf("\n");
    ra_cronx_free(x);
}

int main(void)
{
    char line[MAX_LINE];

    while (fgets(line, sizeof(line), stdin))
        run_line(line);
    return 0;
}
