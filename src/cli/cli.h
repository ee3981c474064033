/* SPDX-License-Identifier: MIT */
/* What the commands share: the run-wide context and output helpers. */
#ifndef RA_CLI_CLI_H
#define RA_CLI_CLI_H

#include <stdio.h>

#include "util/buf.h"

struct ra_ctx {
    const char *argv0;
    int stderr_tty; /* progress lines allowed */
};

struct ra_cmd {
    const char *name;
    int (*fn)(int argc, char **argv, struct ra_ctx *ctx);
    const char *summary;
};

int cmd_scan(int argc, char **argv, struct ra_ctx *ctx);

/* Print "regautopsy: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write buf to path ("-" = stdout). Returns 0, or prints an error and returns -1. */
int cli_write_file(const char *path, const struct ra_buf *buf);

#endif
