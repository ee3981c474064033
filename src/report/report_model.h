/* SPDX-License-Identifier: MIT */
/* The post-mortem's model: one jansson document ("regautopsy.report/1", docs/json.md)
 * built once from an investigation, rendered by templates (docs/templates.md) and
 * written by --json. Every value is ready to print: times as UTC ISO-8601 strings,
 * lists sorted, long lists capped for the document with the total kept beside them. */
#ifndef RA_REPORT_REPORT_MODEL_H
#define RA_REPORT_REPORT_MODEL_H

#include "util/common.h"
#include "util/time.h"

struct ra_investigation;
struct json_t;

struct ra_report_opts {
    const char *title;   /* NULL: derived from the broken tags */
    ra_time now;         /* RA_TIME_NONE unless --now: no wall-clock time by default */
    const char *version; /* regautopsy's version */
    size_t table_cap; /* rows per rendered table before "N more" (the JSON keeps all) */
};

/* clang-format off */
#define RA_REPORT_OPTS_INIT {NULL, RA_TIME_NONE, "", 40}
/* clang-format on */

/* Build the model. The caller owns *out (json_decref). */
int ra_report_build(struct json_t **out, const struct ra_investigation *inv,
                    const struct ra_report_opts *opts, struct ra_err *err);

#endif
