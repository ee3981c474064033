/* SPDX-License-Identifier: MIT */
/* Reading what analysis/pick asks for: the objects lost in the newest snapshot, probes
 * of the snapshots in between for only the paths they need, and the answers. */
#include "analysis/pick.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/bisect.h"
#include "model/graph.h"
#include "util/buf.h"

const char *ra_read_how_name(enum ra_read_how h)
{
    static const char *const names[] = {"whole", "part", "skipped"};
    return (unsigned)h < RA_ARRAY_SIZE(names) ? names[h] : "";
}

/* An object lost in the newest snapshot, keyed as analysis/losses keys a loss. */
struct obj {
    enum ra_object_kind kind;
    char *root;
    char *repo; /* "" for blob data */
    struct ra_digest digest;
    char *tag; /* RA_OBJ_TAG only */
    /* Not a loss but the revision link of a pruned tag's manifest, whose going dates
     * the tag_prune_then_gc fingerprint: "lost" once it is gone. */
    int gone;
};

/* What a probe walks into: a tag's folders (and, round by round, what its manifests
 * name), or the folders of some digests in one repository (none: blob data only). */
struct want {
    struct ra_bisect_target t;
    struct ra_vec hexes;          /* char *: the digests after t.digest */
    struct ra_bisect_paths paths; /* during a probe */
};

struct picker {
    struct ra_pick_result *res;
    struct ra_snapshot_spec *const *specs;
    const struct ra_pick_opts *opts;
    struct ra_vec objs;  /* struct obj *, sorted, distinct */
    struct ra_vec wants; /* struct want * */
    struct ra_pick pick;
};

static int cmp_obj(const void *a, const void *b)
{
    const struct obj *x = *(void *const *)a, *y = *(void *const *)b;
    int c;

    if ((c = strcmp(x->root, y->root)) || (c = strcmp(x->repo, y->repo)))
        return c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->gone != y->gone)
        return x->gone < y->gone ? -1 : 1;
    if ((c = ra_digest_cmp(&x->digest, &y->digest)))
        return c;
    return strcmp(x->tag ? x->tag : "", y->tag ? y->tag : "");
}

static struct obj *add_obj(struct picker *pk, enum ra_object_kind kind, const char *root,
                           const char *repo, const struct ra_digest *d, const char *tag)
{
    struct obj *o = ra_xcalloc(1, sizeof(*o));

    o->kind = kind;
    o->root = ra_xstrdup(root);
    o->repo = ra_xstrdup(kind == RA_OBJ_BLOB ? "" : repo);
    if (d)
        o->digest = *d;
    o->tag = tag ? ra_xstrdup(tag) : NULL;
    ra_vec_push(&pk->objs, o);
    return o;
}

static void free_obj(struct obj *o)
{
    free(o->root);
    free(o->repo);
    free(o->tag);
    free(o);
}

static int same(const char *a, const char *b)
{
    return !a == !b && (!a || !strcmp(a, b));
}

/* The want for repo:tag, or for digests in repo (tag NULL; repo NULL: blob data). */
static struct want *want(struct picker *pk, const char *repo, const char *tag)
{
    struct want *w;
    size_t i;

    for (i = 0; i < pk->wants.len; i++) {
        w = pk->wants.items[i];
        if (same(w->t.repo, repo) && same(w->t.tag, tag))
            return w;
    }
    w = ra_xcalloc(1, sizeof(*w));
    w->t.repo = repo ? ra_xstrdup(repo) : NULL;
    w->t.tag = tag ? ra_xstrdup(tag) : NULL;
    ra_vec_push(&pk->wants, w);
    return w;
}

static void want_digest(struct picker *pk, const char *repo, const struct ra_digest *d)
{
    struct want *w = want(pk, repo, NULL);
    char hex[RA_DIGEST_STRLEN];

    if (!w->t.by_digest) {
        w->t.by_digest = 1;
        w->t.digest = *d;
        return;
    }
    ra_vec_push(&w->hexes, ra_xstrdup(ra_digest_format(hex, d) + 7));
}

static void free_want(struct want *w)
{
    size_t i;

    for (i = 0; i < w->hexes.len; i++)
        free(w->hexes.items[i]);
    ra_vec_release(&w->hexes);
    ra_bisect_target_release(&w->t);
    free(w);
}

/* A tag resolving in the oldest and not in the newest: the revision link of the
 * manifest it named in the oldest, when the newest lacks that link too
 * (correlate_storage.c, tag_prune_then_gc, names the first snapshot after the tag's
 * loss without it). */
static void pruned_target(struct picker *pk, const struct ra_graph *g,
                          const struct ra_tag_result *tr)
{
    const struct ra_repo *r = ra_map_gets(&g->repos, tr->repository);
    const struct ra_tag *t = r ? ra_map_gets(&r->tags, tr->tag) : NULL;

    if (t && t->has_current && t->current.valid)
        add_obj(pk, RA_OBJ_MANIFEST_LINK, g->root, tr->repository, &t->current.target,
                NULL)
            ->gone = 1;
}

/* The objects: what the newest's findings say a tag needs and the newest lacks, and
 * the tags that resolve in the oldest and not in the newest (ra_losses_add's two
 * sources, with the oldest as the snapshot before). */
static void find_objects(struct picker *pk, const struct ra_scan *oldest,
                         const struct ra_scan *newest)
{
    size_t i, j;

    for (i = 0; i < newest->nregs; i++) {
        const struct ra_registry_result *r = newest->regs[i];
        for (j = 0; j < r->findings.items.len; j++) {
            const struct ra_object_ref *m =
                ((const struct ra_finding *)r->findings.items.items[j])->missing;
            if (!m || !m->tag[0])
                continue;
            add_obj(pk, m->kind, r->graph->root, m->repository,
                    m->kind == RA_OBJ_TAG ? NULL : &m->digest,
                    m->kind == RA_OBJ_TAG ? m->tag : NULL);
            want(pk, m->repository, m->tag);
        }
    }
    for (i = 0; i < oldest->nregs; i++) {
        const struct ra_registry_result *pr = oldest->regs[i];
        const struct ra_graph *g = ra_scan_graph(newest, pr->graph->root);
        for (j = 0; j < pr->ntags; j++) {
            const struct ra_tag_result *t = &pr->tags[j];
            const struct ra_repo *r;
            const struct ra_tag *nt;
            if (!t->resolves || (g && (r = ra_map_gets(&g->repos, t->repository)) &&
                                 (nt = ra_map_gets(&r->tags, t->tag)) &&
                                 nt->has_current && nt->current.valid))
                continue;
            add_obj(pk, RA_OBJ_TAG, pr->graph->root, t->repository, NULL, t->tag);
            want(pk, t->repository, t->tag);
            pruned_target(pk, pr->graph, t);
        }
    }
    ra_vec_sort(&pk->objs, cmp_obj);
    for (i = j = 0; i < pk->objs.len; i++) { /* distinct */
        if (j && !cmp_obj(&pk->objs.items[j - 1], &pk->objs.items[i])) {
            free_obj(pk->objs.items[i]);
            continue;
        }
        pk->objs.items[j++] = pk->objs.items[i];
    }
    pk->objs.len = j;
    for (i = 0; i < pk->objs.len; i++) {
        const struct obj *o = pk->objs.items[i];
        if (o->kind != RA_OBJ_TAG)
            want_digest(pk, o->kind == RA_OBJ_BLOB ? NULL : o->repo, &o->digest);
    }
}

/* Does a finding of s name o missing, for some tag? */
static int named_missing(const struct ra_scan *s, const struct obj *o)
{
    const struct ra_registry_result *rr = ra_scan_registry(s, o->root);
    size_t i;

    for (i = 0; rr && i < rr->findings.items.len; i++) {
        const struct ra_object_ref *m =
            ((const struct ra_finding *)rr->findings.items.items[i])->missing;
        if (!m || !m->tag[0] || m->kind != o->kind)
            continue;
        if (o->kind == RA_OBJ_TAG
                ? !strcmp(m->repository, o->repo) && !strcmp(m->tag, o->tag)
                : !ra_digest_cmp(&m->digest, &o->digest) &&
                      (o->kind == RA_OBJ_BLOB || !strcmp(m->repository, o->repo)))
            return 1;
    }
    return 0;
}

/* Does s have o, as analysis/history counts it? */
static int has(const struct ra_scan *s, const struct obj *o)
{
    const struct ra_graph *g = ra_scan_graph(s, o->root);
    const struct ra_blob *b;
    const struct ra_repo *r;
    const struct ra_tag *t;

    if (!g)
        return 0;
    if (o->kind == RA_OBJ_BLOB)
        return (b = ra_graph_find_blob(g, &o->digest)) && b->present;
    if (!(r = ra_map_gets(&g->repos, o->repo)))
        return 0;
    if (o->kind == RA_OBJ_MANIFEST_LINK)
        return ra_graph_find_link(&r->revisions, &o->digest) != NULL;
    if (o->kind == RA_OBJ_LAYER_LINK)
        return ra_graph_find_link(&r->layers, &o->digest) != NULL;
    return (t = ra_map_gets(&r->tags, o->tag)) && t->has_current && t->current.valid;
}

static void answer(struct picker *pk, size_t i, const struct ra_scan *s)
{
    size_t j;

    ra_pick_mark_read(&pk->pick, i);
    for (j = 0; j < pk->objs.len; j++) {
        const struct obj *o = pk->objs.items[j];
        int present = has(s, o);
        ra_pick_answer(&pk->pick, i, j,
                       o->gone
                           ? !present
                           : named_missing(s, o) || (o->kind == RA_OBJ_TAG && !present),
                       present);
    }
}

/* A ra_dir_filter: walk into rel when any want needs it. */
static int any_want(const char *rel, size_t len, void *payload)
{
    const struct picker *pk = payload;
    size_t i;

    for (i = 0; i < pk->wants.len; i++)
        if (ra_bisect_dir_filter(rel, len, &((struct want *)pk->wants.items[i])->paths))
            return 1;
    return 0;
}

static void paths_begin(struct picker *pk)
{
    size_t i, k;

    for (i = 0; i < pk->wants.len; i++) {
        struct want *w = pk->wants.items[i];
        ra_bisect_paths_init(&w->paths, &w->t);
        for (k = 0; k < w->hexes.len; k++)
            ra_vec_push(&w->paths.hexes, ra_xstrdup(w->hexes.items[k]));
    }
}

/* Grow the tags' paths from what a round read; how many digests were new. */
static size_t paths_grow(struct picker *pk, const struct ra_scan *s)
{
    size_t i, n = 0;

    for (i = 0; i < pk->wants.len; i++) {
        struct want *w = pk->wants.items[i];
        if (w->t.tag)
            n += ra_bisect_paths_grow(&w->paths, s);
    }
    return n;
}

static void paths_end(struct picker *pk)
{
    size_t i;

    for (i = 0; i < pk->wants.len; i++)
        ra_bisect_paths_release(&((struct want *)pk->wants.items[i])->paths);
}

/* Scan snapshot i for the wants: an archive whole, a directory in rounds that walk only
 * the folders they are known to need, until a round finds no new one. */
static int probe_scan(struct ra_scan **out, struct picker *pk, size_t i,
                      struct ra_snapshot_opts *sopts, struct ra_err *err)
{
    const struct ra_snapshot_spec *spec = pk->specs[i];
    unsigned rounds = 0;
    int rc;

    if (!ra_source_is_dir(spec->path)) {
        rc = ra_scan_run(out, spec, sopts, err);
        pk->res->entries[i] = rc < 0 ? 0 : (*out)->snap->entries;
        return rc;
    }
    paths_begin(pk);
    sopts->dir_filter = any_want;
    sopts->filter_payload = pk;
    for (;;) {
        if ((rc = ra_scan_run(out, spec, sopts, err)) < 0)
            break;
        pk->res->entries[i] += (*out)->snap->entries;
        if (!paths_grow(pk, *out) || ++rounds >= 8)
            break;
        ra_scan_free(*out);
        *out = NULL;
    }
    paths_end(pk);
    return rc;
}

static void note(struct ra_pick_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(struct ra_pick_result *res, const char *fmt, ...)
{
    struct ra_buf b = RA_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    ra_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    ra_vec_push(&res->notes, ra_buf_detach(&b));
}

static void probe(struct picker *pk, size_t i)
{
    const struct ra_pick_opts *o = pk->opts;
    const struct ra_snapshot_spec *spec = pk->specs[i];
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s = NULL;
    int rc;

    sopts.verify = o->verify;
    sopts.progress_payload = o->progress_payload;
    sopts.progress_cb =
        o->progress_for ? o->progress_for(spec->name, o->progress_payload) : NULL;
    rc = probe_scan(&s, pk, i, &sopts, &err);
    if (o->progress_done)
        o->progress_done(o->progress_payload);
    pk->res->how[i] = RA_READ_PART;
    ra_pick_mark_read(&pk->pick, i);
    if (rc < 0 || !s->nregs || !s->snap->complete)
        note(pk->res,
             "snapshot '%s': not judged for bisect (%s): a neighbour was read instead",
             spec->name,
             rc < 0                ? err.msg
             : !s->nregs           ? "no registry root found"
             : s->snap->read_error ? s->snap->read_error
                                   : "read only in part");
    else
        answer(pk, i, s);
    ra_scan_free(s);
}

static void describe(struct ra_buf *b, const struct obj *o)
{
    char hex[RA_DIGEST_STRLEN];

    ra_buf_truncate(b, 0);
    if (o->kind == RA_OBJ_TAG)
        ra_buf_printf(b, "tag %s:%s", o->repo, o->tag);
    else
        ra_buf_printf(b, "%s %s%s%s", ra_object_kind_name(o->kind), o->repo,
                      o->repo[0] ? "@" : "", ra_digest_format(hex, &o->digest));
}

void ra_pick_run(struct ra_pick_result *out, struct ra_snapshot_spec *const *specs,
                 size_t n, const struct ra_scan *oldest, const struct ra_scan *newest,
                 const struct ra_pick_opts *opts)
{
    struct picker pk = {out, specs, opts, RA_VEC_INIT, RA_VEC_INIT, {0}};
    struct ra_buf what = RA_BUF_INIT;
    char *whole = ra_xcalloc(n ? n : 1, 1);
    size_t i, next;

    memset(out, 0, sizeof(*out));
    out->n = n;
    out->how = ra_xcalloc(n ? n : 1, sizeof(*out->how));
    out->entries = ra_xcalloc(n ? n : 1, sizeof(*out->entries));
    find_objects(&pk, oldest, newest);
    for (i = 0; i < pk.objs.len; i++)
        out->nobjects += !((struct obj *)pk.objs.items[i])->gone;
    ra_pick_init(&pk.pick, n, pk.objs.len);
    if (n) {
        answer(&pk, 0, oldest);
        answer(&pk, n - 1, newest);
    }
    while ((next = ra_pick_next(&pk.pick)) != SIZE_MAX)
        probe(&pk, next);
    ra_pick_whole(&pk.pick, whole);
    for (i = 0; i < n; i++)
        out->how[i] = whole[i]          ? RA_READ_WHOLE
                      : pk.pick.read[i] ? RA_READ_PART
                                        : RA_READ_SKIPPED;
    for (i = 0; i < pk.objs.len; i++) {
        if (((struct obj *)pk.objs.items[i])->gone || !ra_pick_flapped(&pk.pick, i))
            continue;
        describe(&what, pk.objs.items[i]);
        note(out,
             "%s went missing, came back and went missing again in the snapshots "
             "read: its window is that of its first disappearance among the snapshots "
             "read whole, which bisect may not have found (--all-snapshots reads every "
             "snapshot)",
             what.ptr);
    }
    for (i = 0; i < pk.objs.len; i++)
        free_obj(pk.objs.items[i]);
    ra_vec_release(&pk.objs);
    for (i = 0; i < pk.wants.len; i++)
        free_want(pk.wants.items[i]);
    ra_vec_release(&pk.wants);
    ra_pick_release(&pk.pick);
    ra_buf_release(&what);
    free(whole);
}

void ra_pick_result_release(struct ra_pick_result *r)
{
    size_t i;

    for (i = 0; i < r->notes.len; i++)
        free(r->notes.items[i]);
    ra_vec_release(&r->notes);
    free(r->how);
    free(r->entries);
    memset(r, 0, sizeof(*r));
}
