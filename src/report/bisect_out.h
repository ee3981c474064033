/* SPDX-License-Identifier: MIT */
/* bisect outputs: JSON ("regautopsy.bisect/1", docs/json.md) and the human summary. */
#ifndef RA_REPORT_BISECT_OUT_H
#define RA_REPORT_BISECT_OUT_H

#include "util/buf.h"

struct ra_bisect_result;

int ra_bisect_write_json(struct ra_buf *out, const struct ra_bisect_result *r,
                         struct ra_err *err);
void ra_bisect_write_text(struct ra_buf *out, const struct ra_bisect_result *r);

#endif
