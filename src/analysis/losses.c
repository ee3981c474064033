/* SPDX-License-Identifier: MIT */
/* Losses and their windows. */
#include "analysis/losses.h"

#include <stdlib.h>

#include "analysis/history.h"
#include "analysis/logs.h"
#include "model/graph.h"
#include "model/storage_path.h"
#include "util/buf.h"

const char *ra_bound_kind_name(enum ra_bound_kind k)
{
    static const char *const names[] = {"none",     "snapshot", "parent_push",
                                        "own_link", "log",      "folder_mtime"};
    return (unsigned)k < RA_ARRAY_SIZE(names) ? names[k] : "";
}

static const enum ra_hist_kind hist_kinds[] = {RA_HIST_BLOB, RA_HIST_REVISION,
                                               RA_HIST_LAYER, RA_HIST_TAG};

/* The history key of a loss's object. */
static struct ra_hist_key key_of(const struct ra_loss *l)
{
    struct ra_hist_key k = {hist_kinds[l->object], l->root, l->repository, &l->digest,
                            l->tag_name};
    return k;
}

/* While snapshots are added. */
struct ra_losses_finder {
    struct ra_losses *res;
    struct ra_map index; /* key string -> struct ra_loss */
    struct ra_buf key;
    struct ra_vec pending; /* struct ra_loss *: found in the snapshot added last, no
                              window yet */
};

static struct ra_loss *loss_for(struct ra_losses_finder *fd, enum ra_object_kind obj,
                                const char *root, const char *repo,
                                const struct ra_digest *d, const char *tag, size_t snap)
{
    struct ra_loss *l;
    struct ra_hist_key key;
    char hex[RA_DIGEST_STRLEN] = "";

    if (d)
        ra_digest_format(hex, d);
    ra_buf_truncate(&fd->key, 0);
    ra_buf_printf(&fd->key, "%d%c%s%c%s%c%s%c%s", (int)obj, 0, root, 0,
                  obj == RA_OBJ_BLOB ? "" : repo, 0, hex, 0, tag ? tag : "");
    if ((l = ra_map_get(&fd->index, fd->key.ptr, fd->key.len)))
        return l;
    l = ra_pool_alloc(&fd->res->pool, sizeof(*l));
    l->object = obj;
    l->root = ra_history_intern(fd->res->history, root);
    l->repository = obj == RA_OBJ_BLOB ? "" : ra_pool_strdup(&fd->res->pool, repo);
    if (d)
        l->digest = *d;
    l->tag_name = tag ? ra_pool_strdup(&fd->res->pool, tag) : NULL;
    l->first_missing = snap;
    l->from.time = l->to.time = RA_TIME_NONE;
    key = key_of(l);
    l->last_present = ra_history_last_before(fd->res->history, &key, snap);
    ra_map_put(&fd->index, ra_pool_strndup(&fd->res->pool, fd->key.ptr, fd->key.len),
               fd->key.len, l);
    ra_vec_push(&fd->res->items, l);
    ra_vec_push(&fd->pending, l);
    return l;
}

int ra_loss_breaks(const struct ra_loss *l, const char *repo, const char *tag)
{
    size_t i;

    for (i = 0; i < l->tags.len; i++) {
        const struct ra_loss_tag *t = l->tags.items[i];
        if (!strcmp(t->repository, repo) && !strcmp(t->tag, tag))
            return 1;
    }
    return 0;
}

static void add_tag(struct ra_losses_finder *fd, struct ra_loss *l, const char *repo,
                    const char *tag)
{
    struct ra_buf b = RA_BUF_INIT;
    struct ra_loss_tag *t;

    if (ra_loss_breaks(l, repo, tag))
        return;
    ra_buf_printf(&b, "%s:%s", repo, tag);
    t = ra_pool_alloc(&fd->res->pool, sizeof(*t));
    t->repository = ra_pool_strdup(&fd->res->pool, repo);
    t->tag = ra_pool_strdup(&fd->res->pool, tag);
    t->ref = ra_pool_strdup(&fd->res->pool, b.ptr);
    ra_vec_push(&l->tags, t);
    ra_buf_release(&b);
}

static void from_findings(struct ra_losses_finder *fd, size_t si)
{
    const struct ra_scan *s = fd->res->scans[si];
    size_t i, j;

    for (i = 0; i < s->nregs; i++) {
        const struct ra_registry_result *r = s->regs[i];
        for (j = 0; j < r->findings.items.len; j++) {
            const struct ra_object_ref *m =
                ((const struct ra_finding *)r->findings.items.items[j])->missing;
            struct ra_loss *l;
            if (!m || !m->tag[0])
                continue;
            l = loss_for(fd, m->kind, r->graph->root, m->repository,
                         m->kind == RA_OBJ_TAG ? NULL : &m->digest,
                         m->kind == RA_OBJ_TAG ? m->tag : NULL, si);
            add_tag(fd, l, m->repository, m->tag);
        }
    }
}

/* Tags that resolved in the previous snapshot and are gone (or unresolvable) now. */
static void removed_tags(struct ra_losses_finder *fd, size_t si)
{
    const struct ra_scan *prev = fd->res->scans[si - 1], *s = fd->res->scans[si];
    size_t i, j;

    for (i = 0; i < prev->nregs; i++) {
        const struct ra_registry_result *pr = prev->regs[i];
        const struct ra_graph *g = ra_scan_graph(s, pr->graph->root);
        for (j = 0; j < pr->ntags; j++) {
            const struct ra_tag_result *t = &pr->tags[j];
            const struct ra_repo *r;
            const struct ra_tag *nt;
            struct ra_loss *l;
            if (!t->resolves)
                continue;
            if (g && (r = ra_map_gets(&g->repos, t->repository)) &&
                (nt = ra_map_gets(&r->tags, t->tag)) && nt->has_current &&
                nt->current.valid)
                continue;
            l = loss_for(fd, RA_OBJ_TAG, pr->graph->root, t->repository, NULL, t->tag,
                         si);
            add_tag(fd, l, t->repository, t->tag);
        }
    }
}

static void set_bound(struct ra_bound *b, ra_time t, enum ra_bound_kind kind,
                      const char *evidence)
{
    b->time = t;
    b->kind = kind;
    b->evidence = evidence;
}

const struct ra_link *ra_loss_parent_link(const struct ra_scan *s,
                                          const struct ra_loss *l, size_t *pos,
                                          const struct ra_finding **f)
{
    const struct ra_registry_result *rr = ra_scan_registry(s, l->root);
    const struct ra_repo *r;
    const struct ra_link *link;

    while (rr && *pos < rr->findings.items.len) {
        *f = rr->findings.items.items[(*pos)++];
        if ((*f)->has_parent && (*f)->has_digest &&
            !ra_digest_cmp(&(*f)->digest, &l->digest) &&
            (r = ra_map_gets(&rr->graph->repos, (*f)->repository)) &&
            (link = ra_graph_find_link(&r->revisions, &(*f)->parent)) &&
            link->mtime != RA_TIME_NONE)
            return link;
    }
    return NULL;
}

/* Without an earlier snapshot that has it: when was it last known to exist? The
 * parent's revision link (the registry checked children on push), or its own link. */
static void from_mtimes(struct ra_losses *res, struct ra_loss *l, const struct ra_scan *s)
{
    const struct ra_graph *g = ra_scan_graph(s, l->root);
    const struct ra_finding *f;
    const struct ra_repo *r;
    const struct ra_link *link;
    struct ra_buf path = RA_BUF_INIT;
    size_t pos = 0;

    if (!g || !ra_snapshot_mtimes_trusted(s->snap, NULL))
        return;
    while ((link = ra_loss_parent_link(s, l, &pos, &f))) {
        if (link->mtime <= l->from.time)
            continue;
        ra_graph_link_path(&path, g, RA_LINK_REVISION, f->repository, NULL, &f->parent);
        set_bound(&l->from, link->mtime, RA_BOUND_PARENT_PUSH,
                  ra_pool_strdup(&res->pool, path.ptr));
    }
    if (l->from.time == RA_TIME_NONE && l->object == RA_OBJ_BLOB) {
        size_t it = 0;
        void *v;
        while (ra_map_next(&g->repos, &it, NULL, NULL, &v)) {
            r = v;
            if (!(link = ra_graph_find_link(&r->layers, &l->digest)) ||
                link->mtime == RA_TIME_NONE || link->mtime <= l->from.time)
                continue;
            ra_graph_link_path(&path, g, RA_LINK_LAYER, r->name, NULL, &l->digest);
            set_bound(&l->from, link->mtime, RA_BOUND_OWN_LINK,
                      ra_pool_strdup(&res->pool, path.ptr));
        }
    }
    ra_buf_release(&path);
}

/* Something added to the folder at or after t? Then its mtime dates that, not a delete.
 */
static int added_since(const struct ra_graph *g, const struct ra_loss *l, ra_time t)
{
    const struct ra_repo *r;
    size_t it = 0;
    void *v;

    if (l->object == RA_OBJ_BLOB) {
        while (ra_map_next(&g->blobs, &it, NULL, NULL, &v)) {
            const struct ra_blob *b = v;
            if (b->present && b->digest.b[0] == l->digest.b[0] && b->mtime >= t - 2)
                return 1;
        }
        return 0;
    }
    if (!(r = ra_map_gets(&g->repos, l->repository)))
        return 1;
    while (ra_map_next(&r->revisions, &it, NULL, NULL, &v))
        if (((const struct ra_link *)v)->mtime >= t - 2)
            return 1;
    return 0;
}

/* Did NAS metadata change the folder between the two snapshots? Creating or removing
 * an @eaDir in it moves its mtime as a deletion does. Without an earlier snapshot, an
 * item whose newest mtime is not before t may have been created at t. The item first
 * by name is the one named, whatever order the snapshot listed them in. */
static const char *meta_moved(struct ra_losses *res, const struct ra_loss *l,
                              const struct ra_graph *g, const char *rel, ra_time t)
{
    const struct ra_scan *prev =
        l->last_present != SIZE_MAX ? res->scans[l->last_present] : NULL;
    const struct ra_graph *pg = prev ? ra_scan_graph(prev, l->root) : NULL;
    const struct ra_meta_item *m, *hit = NULL;
    const char *how = NULL;
    struct ra_buf why = RA_BUF_INIT;
    const char *out;

    for (m = ra_graph_meta_in(g, rel); m; m = m->next_in_dir)
        if ((pg ? !ra_map_gets(&pg->meta, m->path)
                : m->mtime == RA_TIME_NONE || m->mtime >= t - 2) &&
            (!hit || strcmp(m->name, hit->name) < 0)) {
            hit = m;
            how = pg ? "appeared in" : "may have been made then in";
        }
    for (m = pg && !hit ? ra_graph_meta_in(pg, rel) : NULL; m; m = m->next_in_dir)
        if (!ra_map_gets(&g->meta, m->path) && (!hit || strcmp(m->name, hit->name) < 0)) {
            hit = m;
            how = "was removed from";
        }
    if (!hit)
        return NULL;
    ra_buf_printf(&why, "'%s' %s %s", hit->name, how, rel);
    if (pg)
        ra_buf_printf(&why, " after snapshot '%s'", prev->snap->name);
    ra_buf_puts(&why, ": NAS metadata moved the folder's mtime, so it does not date the "
                      "deletion");
    out = ra_pool_strdup(&res->pool, why.ptr);
    ra_buf_release(&why);
    return out;
}

/* The folder an object was deleted from keeps the time of the deletion as its mtime,
 * unless something was added to it later: that dates the loss to the second. */
static void folder_time(struct ra_losses *res, struct ra_loss *l,
                        const struct ra_scan *miss)
{
    const struct ra_graph *g = ra_scan_graph(miss, l->root);
    struct ra_buf rel = RA_BUF_INIT;
    enum ra_storage_kind kind;
    ra_time t;

    if (!g || !ra_snapshot_mtimes_trusted(miss->snap, NULL))
        return;
    if (l->object == RA_OBJ_BLOB)
        kind = RA_STORE_BLOB_PREFIX;
    else if (l->object == RA_OBJ_MANIFEST_LINK)
        kind = RA_STORE_REVISIONS;
    else
        return;
    ra_storage_path(&rel, "", kind, l->repository, NULL, &l->digest);
    t = ra_graph_dir_mtime(g, rel.ptr);
    if (t != RA_TIME_NONE && (l->from.time == RA_TIME_NONE || t > l->from.time) &&
        (l->to.time == RA_TIME_NONE || t <= l->to.time) && !added_since(g, l, t) &&
        !(l->to_note = meta_moved(res, l, g, rel.ptr, t))) {
        ra_storage_path(&rel, g->root, kind, l->repository, NULL, &l->digest);
        set_bound(&l->to, t, RA_BOUND_FOLDER_MTIME, ra_pool_strdup(&res->pool, rel.ptr));
    }
    ra_buf_release(&rel);
}

/* The window of a loss found in the snapshot added last: last_present was found in the
 * history when the loss was; its graph is there (ra_losses_add said it needs it). */
static void window(struct ra_losses *res, struct ra_loss *l)
{
    const struct ra_scan *miss = res->scans[l->first_missing];

    set_bound(&l->to, miss->snap->taken_at, RA_BOUND_SNAPSHOT, miss->snap->name);
    if (l->last_present != SIZE_MAX) {
        const struct ra_scan *s = res->scans[l->last_present];
        set_bound(&l->from, s->snap->taken_at, RA_BOUND_SNAPSHOT, s->snap->name);
    }
    if (l->object == RA_OBJ_MANIFEST_LINK) {
        const struct ra_graph *g = ra_scan_graph(miss, l->root);
        const struct ra_blob *b = g ? ra_graph_find_blob(g, &l->digest) : NULL;
        l->child_blob_present = b && b->present;
    }
    if (l->last_present == SIZE_MAX)
        from_mtimes(res, l, miss);
    folder_time(res, l, miss);
}

static int cmp_tag(const void *a, const void *b)
{
    return strcmp((*(const struct ra_loss_tag *const *)a)->ref,
                  (*(const struct ra_loss_tag *const *)b)->ref);
}

static int cmp_loss(const void *a, const void *b)
{
    const struct ra_loss *x = *(void *const *)a, *y = *(void *const *)b;
    int c;

    if (x->first_missing != y->first_missing)
        return x->first_missing < y->first_missing ? -1 : 1;
    if ((c = strcmp(x->root, y->root)) || (c = strcmp(x->repository, y->repository)))
        return c;
    if (x->object != y->object)
        return x->object < y->object ? -1 : 1;
    if ((c = ra_digest_cmp(&x->digest, &y->digest)))
        return c;
    return strcmp(x->tag_name ? x->tag_name : "", y->tag_name ? y->tag_name : "");
}

int ra_scan_cmp_taken(const void *a, const void *b)
{
    const struct ra_scan *x = *(struct ra_scan *const *)a,
                         *y = *(struct ra_scan *const *)b;
    ra_time tx = x->snap->taken_at, ty = y->snap->taken_at;

    if (tx != ty) /* unknown times (INT64_MIN) sort first: they bound nothing */
        return tx < ty ? -1 : 1;
    return strcmp(x->snap->name, y->snap->name);
}

void ra_losses_begin(struct ra_losses **out)
{
    struct ra_losses *res = ra_xcalloc(1, sizeof(*res));

    ra_history_new(&res->history);
    res->finder = ra_xcalloc(1, sizeof(*res->finder));
    res->finder->res = res;
    *out = res;
}

void ra_losses_add(struct ra_losses *res, struct ra_scan **scans, size_t k,
                   struct ra_vec *need)
{
    struct ra_losses_finder *fd = res->finder;
    size_t i, j;

    res->scans = scans;
    res->nscans = k + 1;
    if (!ra_snapshot_mtimes_trusted(scans[k]->snap, NULL))
        res->mtimes_untrusted = 1;
    fd->pending.len = 0;
    from_findings(fd, k);
    if (k)
        removed_tags(fd, k);
    ra_history_add(res->history, scans[k]);
    for (i = 0; need && i < fd->pending.len; i++) {
        const struct ra_loss *l = fd->pending.items[i];
        void *want = (void *)(uintptr_t)(l->last_present + 1);
        if (l->last_present == SIZE_MAX)
            continue;
        for (j = 0; j < need->len && need->items[j] != want; j++)
            ;
        if (j == need->len)
            ra_vec_push(need, want);
    }
}

void ra_losses_settle(struct ra_losses *res)
{
    struct ra_losses_finder *fd = res->finder;
    size_t i;

    for (i = 0; i < fd->pending.len; i++)
        window(res, fd->pending.items[i]);
    fd->pending.len = 0;
}

void ra_losses_finish(struct ra_losses *res)
{
    struct ra_losses_finder *fd = res->finder;
    size_t i;

    for (i = 0; i < res->items.len; i++)
        ra_vec_sort(&((struct ra_loss *)res->items.items[i])->tags, cmp_tag);
    ra_vec_sort(&res->items, cmp_loss);
    ra_map_release(&fd->index);
    ra_buf_release(&fd->key);
    ra_vec_release(&fd->pending);
    free(fd);
    res->finder = NULL;
}

void ra_losses_find(struct ra_losses **out, struct ra_scan **scans, size_t nscans)
{
    struct ra_losses *res;
    size_t i;

    qsort(scans, nscans, sizeof(*scans), ra_scan_cmp_taken);
    ra_losses_begin(&res);
    for (i = 0; i < nscans; i++) {
        ra_losses_add(res, scans, i, NULL);
        ra_losses_settle(res);
    }
    res->scans = scans;
    res->nscans = nscans;
    ra_losses_finish(res);
    *out = res;
}

void ra_losses_free(struct ra_losses *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->items.len; i++)
        ra_vec_release(&((struct ra_loss *)l->items.items[i])->tags);
    ra_vec_release(&l->items);
    ra_pool_release(&l->pool);
    if (l->finder)
        ra_losses_finish(l);
    ra_history_free(l->history);
    free(l);
}

/* The first 404 for l across the logs; the rule is in losses.h. */
static void first_404(struct ra_losses *res, struct ra_loss *l,
                      struct ra_log *const *logs, size_t nlogs, struct ra_buf *ev)
{
    size_t k;

    set_bound(&l->first_404, RA_TIME_NONE, RA_BOUND_NONE, NULL);
    for (k = 0; k < nlogs && l->object != RA_OBJ_TAG; k++) {
        const struct ra_log_event *e = ra_log_first_status(
            logs[k], &l->digest, l->repository[0] ? l->repository : NULL, 404);
        if (!e || e->time == RA_TIME_NONE ||
            (l->first_404_event && e->time >= l->first_404_event->time))
            continue;
        ra_buf_truncate(ev, 0);
        ra_buf_printf(ev, "%s:%llu", logs[k]->path, (unsigned long long)e->line);
        set_bound(&l->first_404, e->time, RA_BOUND_LOG,
                  ra_pool_strdup(&res->pool, ev->ptr));
        l->first_404_event = e;
        l->first_404_log = logs[k]->path;
    }
}

void ra_losses_narrow_by_logs(struct ra_losses *res, struct ra_log *const *logs,
                              size_t nlogs)
{
    struct ra_buf ev = RA_BUF_INIT;
    size_t i;

    for (i = 0; i < res->items.len; i++) {
        struct ra_loss *l = res->items.items[i];
        const struct ra_log_event *e;
        first_404(res, l, logs, nlogs, &ev);
        if ((e = l->first_404_event) && e->time_exact &&
            (l->from.time == RA_TIME_NONE || e->time > l->from.time) &&
            (l->to.time == RA_TIME_NONE || e->time < l->to.time))
            l->to = l->first_404;
    }
    ra_buf_release(&ev);
}

const struct ra_loss *ra_losses_first_404(const struct ra_losses *res)
{
    const struct ra_loss *best = NULL;
    size_t i;

    for (i = 0; i < res->items.len; i++) {
        const struct ra_loss *l = res->items.items[i];
        if (l->first_404_event && (!best || l->first_404.time < best->first_404.time))
            best = l;
    }
    return best;
}
