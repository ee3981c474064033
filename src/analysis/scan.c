/* SPDX-License-Identifier: MIT */
/* Read one snapshot and judge every registry root in it. */
#include "analysis/scan.h"

#include <stdlib.h>

#include "analysis/gcsim.h"
#include "model/graph.h"
#include "model/storage_path.h"
#include "util/buf.h"

static void add_read_error(struct ra_scan *s)
{
    const struct ra_snapshot *snap = s->snap;

    ra_findings_add(&s->findings, RA_F_READ_ERROR, RA_SEV_CRITICAL, NULL, NULL, NULL,
                    NULL, snap->stop_member ? snap->stop_member : "",
                    "%s; %llu members read up to byte %llu, findings cover only those",
                    snap->read_error, (unsigned long long)snap->entries,
                    (unsigned long long)snap->stop_offset);
}

/* Repositories whose tags folder holds metadata, and the first Lookup failure. */
static size_t tag_folder_meta(struct ra_buf *repos, struct ra_buf *why,
                              struct ra_buf *path, const struct ra_snapshot *snap)
{
    struct ra_vec sorted = RA_VEC_INIT;
    struct ra_buf dir = RA_BUF_INIT;
    size_t i, j, n = 0;

    for (i = 0; i < snap->graphs.len; i++) {
        const struct ra_graph *g = snap->graphs.items[i];
        ra_graph_sorted_repos(&sorted, g);
        for (j = 0; j < sorted.len; j++) {
            const struct ra_repo *r = sorted.items[j];
            const struct ra_meta_item *m, *first;
            ra_storage_path(&dir, "", RA_STORE_TAGS, r->name, NULL, NULL);
            if (!(m = first = ra_graph_meta_in(g, dir.ptr)))
                continue;
            for (; m; m = m->next_in_dir) /* the first by name, whatever the order read */
                if (strcmp(m->name, first->name) < 0)
                    first = m;
            m = first;
            ra_buf_printf(repos, "%s%s", n++ ? ", " : "", r->name);
            if (!path->len)
                ra_buf_printf(path, "%s%s%s", g->root, g->root[0] ? "/" : "", m->path);
            if (!why->len)
                ra_gc_lookup_error(why, g, r);
        }
        sorted.len = 0;
    }
    ra_vec_release(&sorted);
    ra_buf_release(&dir);
    return n;
}

/* One info finding per snapshot: what NAS metadata it holds, what it does. */
static void add_nas_metadata(struct ra_scan *s)
{
    const struct ra_snapshot_meta *m = &s->snap->meta;
    struct ra_buf msg = RA_BUF_INIT, repos = RA_BUF_INIT, why = RA_BUF_INIT,
                  path = RA_BUF_INIT;
    size_t k, n;
    const char *sep = "";

    if (!m->total)
        return;
    ra_buf_puts(&msg, "NAS or desktop metadata, not registry data, left out:");
    for (k = 0; k < RA_META__COUNT; k++) {
        if (!m->items[k])
            continue;
        ra_buf_printf(&msg, "%s %llu %s", sep, (unsigned long long)m->items[k],
                      ra_meta_kind_name((enum ra_meta_kind)k));
        if (k == RA_META_RECYCLE && s->snap->recycled.len)
            ra_buf_printf(&msg, " (holding %zu blob file%s: recovery sources)",
                          s->snap->recycled.len, s->snap->recycled.len > 1 ? "s" : "");
        if (k == RA_META_SNAPSHOT)
            ra_buf_puts(&msg,
                        " (not read: name the #snapshot folder to read its snapshots)");
        sep = ",";
    }
    n = tag_folder_meta(&repos, &why, &path, s->snap);
    if (n)
        ra_buf_printf(&msg,
                      "; in the tags folder of %zu repositor%s (%s) the registry lists "
                      "them as tags (GET /v2/<name>/tags/list) and garbage-collect "
                      "--delete-untagged aborts before deleting anything (%s); without "
                      "-m it runs: remove them from the registry's storage",
                      n, n > 1 ? "ies" : "y", repos.ptr, ra_buf_cstr(&why));
    else
        ra_buf_puts(&msg, "; the registry ignores them where they are");
    for (k = 0; !path.len && k < RA_META__COUNT; k++)
        if (m->example[k])
            ra_buf_puts(&path, m->example[k]);
    ra_findings_add(&s->findings, RA_F_NAS_METADATA, RA_SEV_INFO, NULL, NULL, NULL, NULL,
                    ra_buf_cstr(&path), "%s", msg.ptr);
    ra_buf_release(&msg);
    ra_buf_release(&repos);
    ra_buf_release(&why);
    ra_buf_release(&path);
}

/* One info finding when the directory changed while it was read (a live registry). */
static void add_live_tree(struct ra_scan *s)
{
    const struct ra_snapshot *snap = s->snap;

    if (!snap->vanished && !snap->changed_dirs)
        return;
    ra_findings_add(&s->findings, RA_F_LIVE_TREE, RA_SEV_INFO, NULL, NULL, NULL, NULL, "",
                    "the storage changed while it was read (a live registry): %llu "
                    "entr%s listed but gone before being read, %llu folder%s changed "
                    "while walked; what was read is judged as read, and a tag pushed or "
                    "deleted meanwhile may read half-way",
                    (unsigned long long)snap->vanished, snap->vanished == 1 ? "y" : "ies",
                    (unsigned long long)snap->changed_dirs,
                    snap->changed_dirs == 1 ? "" : "s");
}

int ra_scan_run(struct ra_scan **out, const struct ra_snapshot_spec *spec,
                const struct ra_snapshot_opts *opts, struct ra_err *err)
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
    add_nas_metadata(s);
    add_live_tree(s);
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

void ra_scan_thin(struct ra_scan *s)
{
    size_t i;

    if (s->thinned)
        return;
    for (i = 0; i < s->nregs; i++) {
        struct ra_registry_result *r = s->regs[i], *t = ra_xcalloc(1, sizeof(*t));
        struct ra_graph *g = s->snap->graphs.items[i], *empty;
        ra_graph_new(&empty, g->root, strlen(g->root));
        t->graph = empty;
        t->counts = r->counts;
        t->unpullable = r->unpullable;
        s->snap->graphs.items[i] = empty;
        s->regs[i] = t;
        ra_registry_result_free(r);
        ra_graph_free(g);
    }
    s->thinned = 1;
}

void ra_scan_refill(struct ra_scan *s, struct ra_scan *fresh)
{
    struct ra_vec graphs = s->snap->graphs;
    struct ra_registry_result **regs = s->regs;
    size_t nregs = s->nregs;

    s->snap->graphs = fresh->snap->graphs;
    s->regs = fresh->regs;
    s->nregs = fresh->nregs;
    fresh->snap->graphs = graphs;
    fresh->regs = regs;
    fresh->nregs = nregs;
    s->thinned = 0;
    ra_scan_free(fresh);
}

const struct ra_registry_result *ra_scan_registry(const struct ra_scan *s,
                                                  const char *root)
{
    size_t i;

    for (i = 0; i < s->nregs; i++)
        if (!strcmp(s->regs[i]->graph->root, root))
            return s->regs[i];
    return NULL;
}

const struct ra_graph *ra_scan_graph(const struct ra_scan *s, const char *root)
{
    const struct ra_registry_result *r = ra_scan_registry(s, root);

    return r ? r->graph : NULL;
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
