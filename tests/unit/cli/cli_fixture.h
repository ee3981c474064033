/* SPDX-License-Identifier: MIT */
/* What the cli unit tests share: a temporary folder, paths in it, and cli_error (main.c's
 * is not linked), which keeps the last message instead of printing it. Include once, in
 * the test's one .c file, after <cmocka.h>. */
#ifndef RA_TESTS_CLI_FIXTURE_H
#define RA_TESTS_CLI_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>

#include "fixture.h"

static char tmpdir[] = "/tmp/ra-test-cli-XXXXXX";
static char said[1024]; /* the last cli_error */
static int nsaid;       /* how many since the test cleared it */

void cli_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(said, sizeof(said), fmt, ap);
    va_end(ap);
    nsaid++;
}

/* tmpdir/rel, in one of four rotating buffers. */
static inline const char *at(const char *rel)
{
    static char buf[4][512];
    static unsigned next;
    char *s = buf[next++ % 4];

    snprintf(s, sizeof(buf[0]), "%s/%s", tmpdir, rel);
    return s;
}

#endif
