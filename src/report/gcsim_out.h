/* SPDX-License-Identifier: MIT */
/* gc-sim outputs: JSON ("regautopsy.gcsim/1", docs/json.md) and the human summary. */
#ifndef RA_REPORT_GCSIM_OUT_H
#define RA_REPORT_GCSIM_OUT_H

#include <stdio.h>

#include "util/buf.h"

struct ra_gcsim;

/* The JSON document goes to out, and on to flush as it grows when flush is not NULL
 * (it can be large: every file a run deletes). */
int ra_gcsim_write_json(struct ra_buf *out, FILE *flush, struct ra_gcsim *const *sims,
                        size_t n, struct ra_err *err);
void ra_gcsim_write_text(struct ra_buf *out, struct ra_gcsim *const *sims, size_t n);

/* Does any simulated run break a tag that was pullable before it? */
int ra_gcsim_breaks_tags(struct ra_gcsim *const *sims, size_t n);

#endif
