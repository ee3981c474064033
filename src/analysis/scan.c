/* SPDX-License-Identifier: MIT */
/* Read one snapshot and judge every registry root in it. */
#include "analysis/scan.h"

#include <stdlib.h>

#include "model/graph.h"

static void add_read_error(struct ra_scan *s)
{
    const struct ra_snapshot *snap = s->snap;

    ra_findings_add(&s->findings, RA_F_READ_ERROR, RA_SEV_CRITICAL, NULL, NULL, NULL, NULL,
                    snap->stop_member ? snap->stop_member : "",
                    "%s; %llu members read up to byte %llu, findings cover only those",
                    snap->read_error, (unsigned long long)snap->entries,
                    (unsigned long long)snap->stop_offset);
}

int ra_scan_run(struct ra_scan **out, const struct ra_snapshot_spec *spec,
                const struct ra_scan_opts *opts, struct ra_err *err)
{
    struct ra_pull_opts popts = RA_PULL_OPTS_INIT;
    struct ra_scan *s = ra_xcalloc(1, sizeof(*s));
    size_t i;
    int error;

    *out = NULL;
    if ((error = ra_snapshot_load(&s->snap, spec, opts, err)) < 0) {
        ra_scan_free(s);
        return error;
    }
    s->verified = opts->verify;
    popts.taken_at = s->snap->taken_at;
    s->nregs = s->snap->graphs.len;
    s->regs = ra_xcalloc(s->nregs + 1, sizeof(*s->regs));
    for (i = 0; i < s->nregs; i++)
        ra_pull_analyze(&s->regs[i], s->snap->graphs.items[i], &popts);
    if (!s->snap->complete)
        add_read_error(s);
    for (i = 0; i < s->snap->unread.len; i++) {
        const struct ra_unread *u = s->snap->unread.items[i];
        ra_findings_add(&s->findings, RA_F_UNREADABLE, RA_SEV_CRITICAL, NULL, NULL, NULL,
                        NULL, u->path, "'%s': %s", u->path, u->why);
    }
    ra_findings_sort(&s->findings);
    *out = s;
    return 0;
}

void ra_scan_free(struct ra_scan *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->nregs; i++)
        ra_registry_result_free(s->regs[i]);
    free(s->regs);
    ra_findings_release(&s->findings);
    ra_snapshot_free(s->snap);
    free(s);
}

int ra_scan_has_unpullable(const struct ra_scan *s)
{
    size_t i;

    for (i = 0; i < s->nregs; i++)
        if (s->regs[i]->unpullable)
            return 1;
    return 0;
}

static int any_critical(const struct ra_findings *f)
{
    size_t i;

    for (i = 0; i < f->items.len; i++)
        if (((const struct ra_finding *)f->items.items[i])->severity == RA_SEV_CRITICAL)
            return 1;
    return 0;
}

int ra_scan_has_critical(const struct ra_scan *s)
{
    size_t i;

    if (any_critical(&s->findings))
        return 1;
    for (i = 0; i < s->nregs; i++)
        if (any_critical(&s->regs[i]->findings))
            return 1;
    return 0;
}
