/* SPDX-License-Identifier: MIT */
/* The merged, folded timeline. */
#include "analysis/timeline.h"

#include <stdlib.h>

#include "model/graph.h"
#include "util/buf.h"

#define DAY 86400

static const char *const kind_names[RA_EV__COUNT] = {
    "snapshot",     "mtimes_untrusted", "tag_pushed",
    "tag_current",  "manifest_pushed",  "blob_uploaded",
    "layer_linked", "upload_started",   "vanished",
    "loss",         "commit",           "firing",
    "log",
};

const char *ra_event_kind_name(enum ra_event_kind k)
{
    return (unsigned)k < RA_EV__COUNT ? kind_names[k] : "";
}

const char *ra_event_precision(const struct ra_event *e)
{
    return e->until == RA_TIME_NONE ? "exact" : "window";
}

struct ra_timeline_builder {
    struct ra_timeline *t;
    struct ra_timeline_opts opts; /* a copy */
    struct ra_map seen;           /* dedupe key -> event */
    struct ra_map members; /* folded members already counted: kind|time|path -> 1 */
    struct ra_buf key, msg, path;
    int created; /* the last add() made a new event */
};

static struct ra_event *add(struct ra_timeline_builder *b, enum ra_event_kind kind,
                            ra_time time, ra_time until, const char *source,
                            const char *evidence, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Add an event; the same kind, time and evidence from another snapshot is kept once. */
static struct ra_event *add(struct ra_timeline_builder *b, enum ra_event_kind kind,
                            ra_time time, ra_time until, const char *source,
                            const char *evidence, const char *fmt, ...)
{
    struct ra_pool *pool = &b->t->pool;
    struct ra_event *e;
    va_list ap;

    ra_buf_truncate(&b->msg, 0);
    va_start(ap, fmt);
    ra_buf_vprintf(&b->msg, fmt, ap);
    va_end(ap);
    ra_buf_truncate(&b->key, 0);
    ra_buf_printf(&b->key, "%d|%lld|%lld|%s|%s", (int)kind, (long long)time,
                  (long long)until, evidence ? evidence : "", ra_buf_cstr(&b->msg));
    b->created = 0;
    if ((e = ra_map_get(&b->seen, b->key.ptr, b->key.len)))
        return e;
    b->created = 1;
    e = ra_pool_alloc(pool, sizeof(*e));
    e->kind = kind;
    e->time = time;
    e->until = until;
    e->source = source ? ra_pool_strdup(pool, source) : "";
    e->evidence = evidence ? ra_pool_strdup(pool, evidence) : "";
    e->message = ra_pool_strdup(pool, ra_buf_cstr(&b->msg));
    e->count = 1;
    ra_map_put(&b->seen, ra_pool_strndup(pool, b->key.ptr, b->key.len), b->key.len, e);
    ra_vec_push(&b->t->events, e);
    return e;
}

/* A folded event: one per kind and UTC day, counting its members; a member seen in
 * several snapshots (the same kind, time and path) counts once, as unfolded it would be
 * one event. */
static void add_folded(struct ra_timeline_builder *b, enum ra_event_kind kind,
                       ra_time time, const char *source, const char *label)
{
    ra_time day = time - ((time % DAY) + DAY) % DAY;
    struct ra_event *e;

    if (!b->opts.fold) {
        add(b, kind, time, RA_TIME_NONE, source, b->path.ptr, "%s", label);
        return;
    }
    ra_buf_truncate(&b->key, 0);
    ra_buf_printf(&b->key, "%d|%lld|%s", (int)kind, (long long)time, b->path.ptr);
    if (ra_map_get(&b->members, b->key.ptr, b->key.len))
        return;
    ra_map_put(&b->members, ra_pool_strndup(&b->t->pool, b->key.ptr, b->key.len),
               b->key.len, (void *)1);
    e = add(b, kind, day, day + DAY - 1, source, NULL, "%ss", label);
    if (!b->created)
        e->count++;
    b->t->folded[kind]++;
}

static void repo_events(struct ra_timeline_builder *b, const struct ra_snapshot *snap,
                        const struct ra_graph *g, const struct ra_repo *r)
{
    struct ra_vec tags = RA_VEC_INIT, links = RA_VEC_INIT;
    char d[RA_DIGEST_STRLEN];
    size_t i, j;

    ra_graph_sorted_tags(&tags, r);
    for (i = 0; i < tags.len; i++) {
        const struct ra_tag *t = tags.items[i];
        ra_graph_sorted_links(&links, &t->history);
        for (j = 0; j < links.len; j++) {
            const struct ra_link *l = links.items[j];
            if (l->mtime == RA_TIME_NONE)
                continue;
            ra_graph_link_path(&b->path, g, RA_LINK_TAG_INDEX, r->name, t->name, &l->key);
            add(b, RA_EV_TAG_PUSHED, l->mtime, RA_TIME_NONE, snap->name, b->path.ptr,
                "%s:%s pushed as %s", r->name, t->name, ra_digest_short(d, &l->key));
        }
        if (t->has_current && t->current.valid && t->current.mtime != RA_TIME_NONE) {
            ra_graph_link_path(&b->path, g, RA_LINK_TAG_CURRENT, r->name, t->name, NULL);
            add(b, RA_EV_TAG_CURRENT, t->current.mtime, RA_TIME_NONE, snap->name,
                b->path.ptr, "%s:%s now points at %s", r->name, t->name,
                ra_digest_short(d, &t->current.target));
        }
    }
    ra_graph_sorted_links(&links, &r->revisions);
    for (j = 0; j < links.len; j++) {
        const struct ra_link *l = links.items[j];
        if (l->mtime == RA_TIME_NONE)
            continue;
        ra_graph_link_path(&b->path, g, RA_LINK_REVISION, r->name, NULL, &l->key);
        add(b, RA_EV_MANIFEST_PUSHED, l->mtime, RA_TIME_NONE, snap->name, b->path.ptr,
            "manifest %s pushed to %s", ra_digest_short(d, &l->key), r->name);
    }
    ra_graph_sorted_links(&links, &r->layers);
    for (j = 0; j < links.len; j++) {
        const struct ra_link *l = links.items[j];
        if (l->mtime == RA_TIME_NONE)
            continue;
        ra_graph_link_path(&b->path, g, RA_LINK_LAYER, r->name, NULL, &l->key);
        add_folded(b, RA_EV_LAYER_LINKED, l->mtime, snap->name, "layer link");
    }
    ra_vec_release(&tags);
    ra_vec_release(&links);
}

static void snapshot_events(struct ra_timeline_builder *b, const struct ra_scan *s)
{
    const struct ra_snapshot *snap = s->snap;
    struct ra_vec repos = RA_VEC_INIT, blobs = RA_VEC_INIT;
    const char *why;
    size_t i, j;

    if (snap->taken_at != RA_TIME_NONE)
        add(b, RA_EV_SNAPSHOT, snap->taken_at, RA_TIME_NONE, snap->name, snap->source,
            "snapshot %s taken (%s)", snap->name,
            ra_taken_source_name(snap->taken_source));
    if (!ra_snapshot_mtimes_trusted(snap, &why)) {
        add(b, RA_EV_MTIMES_UNTRUSTED, snap->taken_at, RA_TIME_NONE, snap->name,
            snap->source, "times inside %s are not used: %s", snap->name, why);
        return;
    }
    for (i = 0; i < s->nregs; i++) {
        const struct ra_graph *g = s->regs[i]->graph;
        ra_graph_sorted_repos(&repos, g);
        for (j = 0; j < repos.len; j++)
            repo_events(b, snap, g, repos.items[j]);
        ra_graph_sorted_blobs(&blobs, g);
        for (j = 0; j < blobs.len; j++) {
            const struct ra_blob *bl = blobs.items[j];
            if (!bl->present || bl->mtime == RA_TIME_NONE)
                continue;
            ra_graph_blob_path(&b->path, g, &bl->digest);
            add_folded(b, RA_EV_BLOB_UPLOADED, bl->mtime, snap->name, "blob upload");
        }
    }
    ra_vec_release(&repos);
    ra_vec_release(&blobs);
}

/* What vanished between consecutive snapshots of the same root. */
static void vanished(struct ra_timeline_builder *b, const struct ra_scan *prev,
                     const struct ra_scan *s)
{
    size_t i, k, blobs, revs, tags;

    if (prev->snap->taken_at == RA_TIME_NONE || s->snap->taken_at == RA_TIME_NONE)
        return;
    for (i = 0; i < prev->nregs; i++) {
        const struct ra_graph *og = prev->regs[i]->graph, *ng = NULL;
        size_t it = 0;
        void *v;
        for (k = 0; k < s->nregs; k++)
            if (!strcmp(s->regs[k]->graph->root, og->root))
                ng = s->regs[k]->graph;
        if (!ng)
            continue;
        blobs = revs = tags = 0;
        while (ra_map_next(&og->blobs, &it, NULL, NULL, &v)) {
            const struct ra_blob *ob = v, *nb = ra_graph_find_blob(ng, &ob->digest);
            blobs += ob->present && !(nb && nb->present);
        }
        it = 0;
        while (ra_map_next(&og->repos, &it, NULL, NULL, &v)) {
            const struct ra_repo *or_ = v, *nr = ra_map_gets(&ng->repos, or_->name);
            size_t jt = 0;
            void *lv;
            while (ra_map_next(&or_->revisions, &jt, NULL, NULL, &lv))
                revs += !nr ||
                        !ra_graph_find_link(&nr->revisions, &((struct ra_link *)lv)->key);
            jt = 0;
            while (ra_map_next(&or_->tags, &jt, NULL, NULL, &lv)) {
                const struct ra_tag *ot = lv,
                                    *nt = nr ? ra_map_gets(&nr->tags, ot->name) : NULL;
                tags += ot->has_current && ot->current.valid &&
                        !(nt && nt->has_current && nt->current.valid);
            }
        }
        if (blobs || revs || tags)
            add(b, RA_EV_VANISHED, prev->snap->taken_at, s->snap->taken_at, s->snap->name,
                og->root,
                "between %s and %s: %zu tags, %zu revision links and %zu blobs "
                "disappeared",
                prev->snap->name, s->snap->name, tags, revs, blobs);
    }
}

/* Losses with the same window are one event: "7 objects infra-ci:latest needs went
 * missing (5 blob, 2 manifest_link)". Each loss keeps its own entry in the JSON. */
static void loss_events(struct ra_timeline_builder *b, const struct ra_losses *losses)
{
    struct ra_buf kinds = RA_BUF_INIT;
    char *done = ra_xcalloc(losses->items.len + 1, 1);
    size_t i, j, k;

    for (i = 0; i < losses->items.len; i++) {
        const struct ra_loss *l = losses->items.items[i];
        size_t counts[RA_OBJ_TAG + 1] = {0}, n = 0;
        const char *tag0 =
            l->tags.len ? ((const struct ra_loss_tag *)l->tags.items[0])->ref : "";
        int more_tags = 0;
        if (done[i])
            continue;
        for (j = i; j < losses->items.len; j++) {
            const struct ra_loss *x = losses->items.items[j];
            if (done[j] || x->from.time != l->from.time || x->to.time != l->to.time ||
                x->first_missing != l->first_missing)
                continue;
            done[j] = 1;
            counts[x->object]++;
            n++;
            more_tags |=
                x->tags.len > 1 ||
                (x->tags.len &&
                 strcmp(((const struct ra_loss_tag *)x->tags.items[0])->ref, tag0));
        }
        ra_buf_truncate(&kinds, 0);
        for (k = 0; k <= RA_OBJ_TAG; k++)
            if (counts[k])
                ra_buf_printf(&kinds, "%s%zu %s", kinds.len ? ", " : "", counts[k],
                              ra_object_kind_name((enum ra_object_kind)k));
        if (l->to.time != RA_TIME_NONE)
            add(b, RA_EV_LOSS, l->from.time == RA_TIME_NONE ? l->to.time : l->from.time,
                l->to.time, losses->scans[l->first_missing]->snap->name, l->to.evidence,
                "%zu object%s that %s%s need%s went missing (%s)", n, n == 1 ? "" : "s",
                tag0, more_tags ? " and other tags" : "", more_tags ? "" : "s",
                kinds.ptr);
    }
    free(done);
    ra_buf_release(&kinds);
}

static int cmp_event(const void *a, const void *b)
{
    const struct ra_event *x = *(void *const *)a, *y = *(void *const *)b;
    int c;

    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if ((c = strcmp(x->message, y->message)))
        return c;
    return strcmp(x->evidence, y->evidence);
}

void ra_timeline_begin(struct ra_timeline_builder **out,
                       const struct ra_timeline_opts *opts)
{
    struct ra_timeline_builder *b = ra_xcalloc(1, sizeof(*b));

    b->t = ra_xcalloc(1, sizeof(*b->t));
    b->opts = *opts;
    *out = b;
}

void ra_timeline_add(struct ra_timeline_builder *b, const struct ra_scan *prev,
                     const struct ra_scan *s)
{
    snapshot_events(b, s);
    if (prev)
        vanished(b, prev, s);
}

void ra_timeline_end(struct ra_timeline **out, struct ra_timeline_builder *b,
                     const struct ra_losses *losses, const struct ra_event *extra,
                     size_t nextra)
{
    struct ra_timeline *t = b->t;
    size_t i;

    if (losses)
        loss_events(b, losses);
    for (i = 0; i < nextra; i++) {
        const struct ra_event *e = &extra[i];
        struct ra_event *x =
            add(b, e->kind, e->time, e->until, e->source, e->evidence, "%s", e->message);
        x->count = e->count ? e->count : 1;
        x->routine = e->routine;
    }
    ra_vec_sort(&t->events, cmp_event);
    b->t = NULL; /* handed out */
    ra_timeline_builder_free(b);
    *out = t;
}

void ra_timeline_builder_free(struct ra_timeline_builder *b)
{
    if (!b)
        return;
    ra_map_release(&b->seen);
    ra_map_release(&b->members);
    ra_buf_release(&b->key);
    ra_buf_release(&b->msg);
    ra_buf_release(&b->path);
    ra_timeline_free(b->t); /* a timeline never ended: reading stopped on an error */
    free(b);
}

void ra_timeline_build(struct ra_timeline **out, struct ra_scan *const *scans,
                       size_t nscans, const struct ra_losses *losses,
                       const struct ra_event *extra, size_t nextra,
                       const struct ra_timeline_opts *opts)
{
    struct ra_timeline_builder *b;
    size_t i;

    ra_timeline_begin(&b, opts);
    for (i = 0; i < nscans; i++)
        ra_timeline_add(b, i ? scans[i - 1] : NULL, scans[i]);
    ra_timeline_end(out, b, losses, extra, nextra);
}

void ra_timeline_free(struct ra_timeline *t)
{
    if (!t)
        return;
    ra_vec_release(&t->events);
    ra_pool_release(&t->pool);
    free(t);
}
