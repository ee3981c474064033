/* SPDX-License-Identifier: MIT */
/* The scan command's outputs: the documented JSON form (docs/json.md,
 * "regautopsy.scan/1") and the human summary. */
#ifndef RA_REPORT_SCAN_OUT_H
#define RA_REPORT_SCAN_OUT_H

#include "util/buf.h"

struct ra_scan;

/* Append the JSON document for the scans to out (sorted keys, 2-space indent, final
 * newline). Names from the snapshot that are not valid UTF-8 appear with "\xNN"
 * escapes. */
int ra_scan_write_json(struct ra_buf *out, struct ra_scan *const *scans, size_t n,
                       struct ra_err *err);

enum ra_scan_text_flags {
    RA_SCAN_TEXT_ALL_TAGS = 1 << 0, /* list pullable tags too */
};

/* Append the human summary. */
void ra_scan_write_text(struct ra_buf *out, struct ra_scan *const *scans, size_t n,
                        unsigned flags);

#endif
