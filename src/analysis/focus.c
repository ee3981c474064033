/* SPDX-License-Identifier: MIT */
#include "analysis/focus.h"

#include <stdio.h>

int ra_focus_in_loss(const struct ra_losses *ls, ra_time t)
{
    size_t i;

    for (i = 0; ls && i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        if ((l->from.time == RA_TIME_NONE || t > l->from.time) &&
            (l->to.time == RA_TIME_NONE || t <= l->to.time))
            return 1;
    }
    return 0;
}

void ra_cadence_add(struct ra_cadence *c, ra_time t)
{
    if (!c->count)
        c->first = t;
    else if (c->count == 1)
        c->gap = t - c->last;
    else if (t - c->last != c->gap)
        c->regular = 0;
    c->last = t;
    c->count++;
}

void ra_cadence_text(struct ra_buf *out, const struct ra_cadence *c)
{
    static const char *const days[] = {"Thursday", "Friday",   "Saturday", "Sunday",
                                       "Monday",   "Tuesday",  "Wednesday"};
    int64_t sod = ((c->first % 86400) + 86400) % 86400, day = (c->first - sod) / 86400;
    int h = (int)(sod / 3600), m = (int)(sod % 3600 / 60);

    if (c->count == 1) {
        ra_buf_puts(out, "once");
        return;
    }
    if (c->regular && c->gap == 86400)
        ra_buf_printf(out, "daily at %02d:%02d, ", h, m);
    else if (c->regular && c->gap == 7 * 86400)
        ra_buf_printf(out, "weekly on %s at %02d:%02d, ", days[((day % 7) + 7) % 7], h, m);
    else if (c->regular && c->gap == 3600)
        ra_buf_printf(out, "hourly at :%02d, ", m);
    else if (c->regular && c->gap > 0 && c->gap < 3600 && c->gap % 60 == 0)
        ra_buf_printf(out, "every %d minutes, ", (int)(c->gap / 60));
    ra_buf_printf(out, "%zu times", c->count);
}
