/* SPDX-License-Identifier: MIT */
/* timeline outputs: JSON ("regautopsy.timeline/1"), JSON lines for forensic timeline
 * tools (Timesketch, plaso: message, datetime, timestamp_desc, source, display_name),
 * and a readable table. */
#ifndef RA_REPORT_TIMELINE_OUT_H
#define RA_REPORT_TIMELINE_OUT_H

#include "util/buf.h"

struct ra_investigation;

int ra_timeline_write_json(struct ra_buf *out, const struct ra_investigation *inv,
                           struct ra_err *err);
int ra_timeline_write_jsonl(struct ra_buf *out, const struct ra_investigation *inv,
                            struct ra_err *err);
void ra_timeline_write_text(struct ra_buf *out, const struct ra_investigation *inv);

#endif
