/* SPDX-License-Identifier: MIT */
/* diff outputs: JSON ("regautopsy.diff/1", docs/json.md) and the human summary. */
#ifndef RA_REPORT_DIFF_OUT_H
#define RA_REPORT_DIFF_OUT_H

#include "util/buf.h"

struct ra_diff;

int ra_diff_write_json(struct ra_buf *out, const struct ra_diff *d, struct ra_err *err);
void ra_diff_write_text(struct ra_buf *out, const struct ra_diff *d);

#endif
