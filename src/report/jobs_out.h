/* SPDX-License-Identifier: MIT */
/* jobs outputs: JSON ("regautopsy.jobs/1", docs/json.md) and a readable table. */
#ifndef RA_REPORT_JOBS_OUT_H
#define RA_REPORT_JOBS_OUT_H

#include "util/buf.h"
#include "util/vec.h"

struct ra_schedule;

/* firings: struct ra_sched_firing * (config/sched/schedule.h), in time order. */
int ra_jobs_write_json(struct ra_buf *out, const struct ra_schedule *s,
                       const struct ra_vec *firings, struct ra_err *err);
void ra_jobs_write_text(struct ra_buf *out, const struct ra_schedule *s,
                        const struct ra_vec *firings);

#endif
