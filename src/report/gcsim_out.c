/* SPDX-License-Identifier: MIT */
/* gc-sim outputs. */
#include "report/gcsim_out.h"

#include <stdlib.h>

#include "report/json.h"

#include "analysis/gcsim.h"
#include "model/graph.h"
#include "util/text.h"

/* Tag i before the run, if it was pullable then and is not after. GC never removes a
 * tag, so both analyses list the same tags in the same order. */
static const struct ra_tag_result *broken_tag(const struct ra_gcsim_registry *r, size_t i)
{
    const struct ra_tag_result *t = &r->after->tags[i], *b = &r->before->tags[i];

    return !t->pullable && b->pullable ? t : NULL;
}

static json_t *broken_json(const struct ra_tag_result *t)
{
    json_t *o = json_object(), *plats = json_array();
    size_t i;

    json_object_set_new(o, "repository", ra_json_str(t->repository));
    json_object_set_new(o, "tag", ra_json_str(t->tag));
    json_object_set_new(o, "digest", t->resolves ? ra_json_digest(&t->digest) : json_null());
    json_object_set_new(o, "reason", json_string(ra_code_name(t->reason)));
    for (i = 0; i < t->nplatforms; i++) {
        const struct ra_platform_result *p = &t->platforms[i];
        json_t *po;
        if (p->pullable)
            continue;
        po = json_object();
        json_object_set_new(po, "platform", ra_json_str(p->platform));
        json_object_set_new(po, "digest", ra_json_digest(&p->digest));
        json_object_set_new(po, "reason", json_string(ra_code_name(p->reason)));
        json_array_append_new(plats, po);
    }
    json_object_set_new(o, "platforms", plats);
    return o;
}

static json_t *breaks_json(const struct ra_gcsim_registry *r)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < r->after->ntags; i++)
        if (broken_tag(r, i))
            json_array_append_new(a, broken_json(broken_tag(r, i)));
    return a;
}

static json_t *deletes_json(const struct ra_graph *g, const struct ra_gc_result *gc)
{
    json_t *o = json_object(), *blobs = json_array(), *mans = json_array(),
           *links = json_array();
    struct ra_buf path = RA_BUF_INIT;
    size_t i, j;

    for (i = 0; i < gc->blobs.len; i++) {
        const struct ra_blob *b = gc->blobs.items[i];
        json_t *bo = json_object();
        ra_graph_blob_path(&path, g, &b->digest);
        json_object_set_new(bo, "digest", ra_json_digest(&b->digest));
        json_object_set_new(bo, "size", json_integer(b->size));
        json_object_set_new(bo, "path", ra_json_str(path.ptr));
        json_array_append_new(blobs, bo);
    }
    for (i = 0; i < gc->manifests.len; i++) {
        const struct ra_gc_manifest_del *d = gc->manifests.items[i];
        json_t *mo = json_object(), *paths = json_array();
        ra_graph_link_path(&path, g, RA_LINK_REVISION, d->repository, NULL, &d->digest);
        json_array_append_new(paths, ra_json_str(path.ptr));
        for (j = 0; j < d->ntags; j++) {
            ra_graph_link_path(&path, g, RA_LINK_TAG_INDEX, d->repository, d->tags[j],
                               &d->digest);
            json_array_append_new(paths, ra_json_str(path.ptr));
        }
        json_object_set_new(mo, "repository", ra_json_str(d->repository));
        json_object_set_new(mo, "digest", ra_json_digest(&d->digest));
        json_object_set_new(mo, "paths", paths);
        json_array_append_new(mans, mo);
    }
    for (i = 0; i < gc->layer_links.len; i++) {
        const struct ra_gc_link_del *d = gc->layer_links.items[i];
        json_t *lo = json_object();
        ra_graph_link_path(&path, g, RA_LINK_LAYER, d->repository, NULL, &d->digest);
        json_object_set_new(lo, "repository", ra_json_str(d->repository));
        json_object_set_new(lo, "digest", ra_json_digest(&d->digest));
        json_object_set_new(lo, "path", ra_json_str(path.ptr));
        json_array_append_new(links, lo);
    }
    json_object_set_new(o, "blobs", blobs);
    json_object_set_new(o, "bytes", json_integer((json_int_t)gc->bytes));
    json_object_set_new(o, "manifests", mans);
    json_object_set_new(o, "layer_links", links);
    ra_buf_release(&path);
    return o;
}

static json_t *registry_json(const struct ra_gcsim_registry *r)
{
    json_t *o = json_object();
    const struct ra_graph *g = r->before->graph;

    json_object_set_new(o, "root", ra_json_str(g->root[0] ? g->root : "."));
    json_object_set_new(o, "aborted", ra_json_str(r->gc->aborted));
    json_object_set_new(o, "marked", json_integer((json_int_t)r->gc->marked));
    json_object_set_new(o, "deletes", deletes_json(g, r->gc));
    json_object_set_new(o, "breaks", breaks_json(r));
    json_object_set_new(o, "unpullable_before", json_integer((json_int_t)r->before->unpullable));
    json_object_set_new(o, "unpullable_after", json_integer((json_int_t)r->after->unpullable));
    return o;
}

static json_t *snapshot_json(const struct ra_gcsim *s)
{
    json_t *o = json_object(), *regs = json_array();
    char when[RA_TIME_STRLEN];
    size_t i;

    json_object_set_new(o, "name", ra_json_str(s->snap->name));
    json_object_set_new(o, "source", ra_json_str(s->snap->source));
    json_object_set_new(o, "taken_at", s->snap->taken_at == RA_TIME_NONE
                                           ? json_null()
                                           : json_string(ra_time_format(when, s->snap->taken_at)));
    json_object_set_new(o, "taken_at_source",
                        json_string(ra_taken_source_name(s->snap->taken_source)));
    json_object_set_new(o, "complete", json_boolean(s->snap->complete));
    for (i = 0; i < s->nregs; i++)
        json_array_append_new(regs, registry_json(&s->regs[i]));
    json_object_set_new(o, "registries", regs);
    return o;
}

int ra_gcsim_write_json(struct ra_buf *out, struct ra_gcsim *const *sims, size_t n,
                        struct ra_err *err)
{
    json_t *doc = json_object(), *snaps = json_array();
    size_t i;

    json_object_set_new(doc, "schema", json_string("regautopsy.gcsim/1"));
    json_object_set_new(doc, "distribution",
                        json_string(n && sims[0]->opts.version == RA_GC_V3 ? "3" : "2.8"));
    json_object_set_new(doc, "delete_untagged", json_boolean(n && sims[0]->opts.delete_untagged));
    for (i = 0; i < n; i++)
        json_array_append_new(snaps, snapshot_json(sims[i]));
    json_object_set_new(doc, "snapshots", snaps);
    return ra_json_write(out, doc, JSON_INDENT(2), "gc-sim", err);
}

static void text_registry(struct ra_buf *out, const struct ra_gcsim_registry *r)
{
    const struct ra_graph *g = r->before->graph;
    struct ra_buf tmp = RA_BUF_INIT;
    char d[RA_DIGEST_STRLEN];
    size_t i, nbroken = 0;

    ra_buf_printf(out, "  registry %s\n",
                  ra_text_safe(&tmp, g->root[0] ? g->root : ".", RA_TEXT_UTF8 | RA_TEXT_CONTROLS));
    if (r->gc->aborted) {
        ra_buf_truncate(&tmp, 0);
        ra_buf_printf(out, "    GC would stop in its mark phase and delete nothing: %s\n",
                      ra_text_safe(&tmp, r->gc->aborted, RA_TEXT_UTF8 | RA_TEXT_CONTROLS));
    }
    ra_buf_printf(out,
                  "    would delete %zu blobs (%llu bytes), %zu manifest revisions, "
                  "%zu _layers links; %zu digests marked\n",
                  r->gc->blobs.len, (unsigned long long)r->gc->bytes, r->gc->manifests.len,
                  r->gc->layer_links.len, r->gc->marked);
    for (i = 0; i < r->after->ntags; i++) {
        const struct ra_tag_result *t = broken_tag(r, i);
        if (!t)
            continue;
        nbroken++;
        ra_buf_truncate(&tmp, 0);
        ra_text_safe(&tmp, t->repository, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
        ra_buf_putc(&tmp, ':');
        ra_text_safe(&tmp, t->tag, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
        ra_buf_printf(out, "    BREAKS %s -> %s: %s\n", tmp.ptr, ra_digest_short(d, &t->digest),
                      ra_code_name(t->reason));
    }
    if (!nbroken)
        ra_buf_puts(out, "    no pullable tag would break\n");
    ra_buf_release(&tmp);
}

void ra_gcsim_write_text(struct ra_buf *out, struct ra_gcsim *const *sims, size_t n)
{
    struct ra_buf tmp = RA_BUF_INIT;
    size_t i, j;

    for (i = 0; i < n; i++) {
        const struct ra_gcsim *s = sims[i];
        ra_buf_truncate(&tmp, 0);
        ra_buf_printf(out, "%s%s: garbage-collect as Distribution %s%s would run it\n",
                      i ? "\n" : "",
                      ra_text_safe(&tmp, s->snap->name, RA_TEXT_UTF8 | RA_TEXT_CONTROLS),
                      s->opts.version == RA_GC_V3 ? "3.x" : "2.8",
                      s->opts.delete_untagged ? " with --delete-untagged" : "");
        if (!s->snap->complete)
            ra_buf_puts(out, "  (the snapshot could not be read to its end: prediction "
                             "covers what was read)\n");
        for (j = 0; j < s->nregs; j++)
            text_registry(out, &s->regs[j]);
    }
    ra_buf_release(&tmp);
}

int ra_gcsim_breaks_tags(struct ra_gcsim *const *sims, size_t n)
{
    size_t i, j, k;

    for (i = 0; i < n; i++)
        for (j = 0; j < sims[i]->nregs; j++) {
            const struct ra_gcsim_registry *r = &sims[i]->regs[j];
            for (k = 0; k < r->after->ntags; k++)
                if (broken_tag(r, k))
                    return 1;
        }
    return 0;
}
