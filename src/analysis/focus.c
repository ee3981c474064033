/* SPDX-License-Identifier: MIT */
#include "analysis/focus.h"

#include <stdio.h>
#include <string.h>

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

void ra_focus_window(ra_time *from, ra_time *to, const struct ra_losses *ls,
                     struct ra_scan *const *scans, size_t nscans)
{
    size_t i;

    *from = *to = RA_TIME_NONE;
    for (i = 0; ls && i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        ra_time a = l->from.time != RA_TIME_NONE ? l->from.time : l->to.time,
                b = l->to.time;
        if (a != RA_TIME_NONE && (*from == RA_TIME_NONE || a < *from))
            *from = a;
        if (b != RA_TIME_NONE && (*to == RA_TIME_NONE || b > *to))
            *to = b;
    }
    if (*from != RA_TIME_NONE) {
        *from -= RA_FOCUS_MARGIN;
        *to += RA_FOCUS_MARGIN;
        return;
    }
    for (i = 0; i < nscans; i++) {
        ra_time t = scans[i]->snap->taken_at;
        if (t == RA_TIME_NONE)
            continue;
        if (*from == RA_TIME_NONE || t - RA_FOCUS_MARGIN < *from)
            *from = t - RA_FOCUS_MARGIN;
        if (*to == RA_TIME_NONE || t > *to)
            *to = t;
    }
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
    static const char *const days[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                       "Monday",   "Tuesday", "Wednesday"};
    int64_t sod = ((c->first % 86400) + 86400) % 86400, day = (c->first - sod) / 86400;
    int h = (int)(sod / 3600), m = (int)(sod % 3600 / 60);
    const char *zs = c->zone ? " " : "", *z = c->zone ? c->zone : "";

    if (c->count == 1) {
        ra_buf_puts(out, "once");
        return;
    }
    if (c->regular && c->gap == 86400)
        ra_buf_printf(out, "daily at %02d:%02d%s%s, ", h, m, zs, z);
    else if (c->regular && c->gap == 7 * 86400)
        ra_buf_printf(out, "weekly on %s at %02d:%02d%s%s, ", days[((day % 7) + 7) % 7],
                      h, m, zs, z);
    else if (c->regular && c->gap == 3600)
        ra_buf_printf(out, "hourly at :%02d, ", m);
    else if (c->regular && c->gap > 0 && c->gap < 3600 && c->gap % 60 == 0)
        ra_buf_printf(out, "every %d minutes, ", (int)(c->gap / 60));
    ra_buf_printf(out, "%zu times", c->count);
}

static int names_digest(const struct ra_event *e, const struct ra_digest *d)
{
    char hex[RA_DIGEST_STRLEN];

    ra_digest_short(hex, d); /* "sha256:" + 12 hex */
    return strstr(e->message, hex) || (e->evidence && strstr(e->evidence, hex + 7));
}

static int names_tag(const struct ra_event *e, const char *ref)
{
    size_t n = strlen(ref);

    return !strncmp(e->message, ref, n) && e->message[n] == ' ';
}

int ra_focus_push_related(const struct ra_event *e, const struct ra_losses *ls,
                          const struct ra_scan *newest)
{
    size_t i, k;

    if (e->kind != RA_EV_TAG_PUSHED && e->kind != RA_EV_TAG_CURRENT &&
        e->kind != RA_EV_MANIFEST_PUSHED)
        return 1;
    for (i = 0; ls && i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        if (!ra_digest_is_zero(&l->digest) && names_digest(e, &l->digest))
            return 1;
        for (k = 0; k < l->tags.len; k++)
            if (names_tag(e, ((const struct ra_loss_tag *)l->tags.items[k])->ref))
                return 1;
    }
    for (i = 0; newest && i < newest->nregs; i++)
        for (k = 0; k < newest->regs[i]->ntags; k++) {
            const struct ra_tag_result *t = &newest->regs[i]->tags[k];
            if (!t->pullable && t->resolves && names_digest(e, &t->digest))
                return 1;
        }
    return 0;
}
