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
    json_object_set_new(o, "digest",
                        t->resolves ? ra_json_digest(&t->digest) : json_null());
    json_object_set_new(o, "reason", json_string(ra_finding_code_name(t->reason)));
    for (i = 0; i < t->nplatforms; i++) {
        const struct ra_platform_result *p = &t->platforms[i];
        json_t *po;
        if (p->pullable)
            continue;
        po = json_object();
        json_object_set_new(po, "platform", ra_json_str(p->platform));
        json_object_set_new(po, "digest", ra_json_digest(&p->digest));
        json_object_set_new(po, "reason", json_string(ra_finding_code_name(p->reason)));
        json_array_append_new(plats, po);
    }
    json_object_set_new(o, "platforms", plats);
    return o;
}

/* The document is written as it is built (report/json.h): the lists of what a run
 * deletes run to a hundred MB at a million entries. Keys in sorted order. */

static void write_breaks(struct ra_jsonw *w, const struct ra_gcsim_registry *r)
{
    size_t i;

    ra_jsonw_open(w, "breaks", '[');
    for (i = 0; i < r->after->ntags; i++)
        if (broken_tag(r, i))
            ra_jsonw_value(w, NULL, broken_json(broken_tag(r, i)));
    ra_jsonw_close(w);
}

static void write_deletes(struct ra_jsonw *w, const struct ra_graph *g,
                          const struct ra_gc_result *gc)
{
    struct ra_buf path = RA_BUF_INIT;
    size_t i, j;

    ra_jsonw_open(w, "deletes", '{');
    ra_jsonw_open(w, "blobs", '[');
    for (i = 0; i < gc->blobs.len; i++) {
        const struct ra_blob *b = gc->blobs.items[i];
        ra_graph_blob_path(&path, g, &b->digest);
        ra_jsonw_value(w, NULL,
                       json_pack("{s:o,s:o,s:I}", "digest", ra_json_digest(&b->digest),
                                 "path", ra_json_str(path.ptr), "size",
                                 (json_int_t)b->size));
    }
    ra_jsonw_close(w);
    ra_jsonw_value(w, "bytes", json_integer((json_int_t)gc->bytes));
    ra_jsonw_open(w, "layer_links", '[');
    for (i = 0; i < gc->layer_links.len; i++) {
        const struct ra_gc_link_del *d = gc->layer_links.items[i];
        ra_graph_link_path(&path, g, RA_LINK_LAYER, d->repository, NULL, &d->digest);
        ra_jsonw_value(w, NULL,
                       json_pack("{s:o,s:o,s:o}", "digest", ra_json_digest(&d->digest),
                                 "path", ra_json_str(path.ptr), "repository",
                                 ra_json_str(d->repository)));
    }
    ra_jsonw_close(w);
    ra_jsonw_open(w, "manifests", '[');
    for (i = 0; i < gc->manifests.len; i++) {
        const struct ra_gc_manifest_del *d = gc->manifests.items[i];
        json_t *paths = json_array();
        ra_graph_link_path(&path, g, RA_LINK_REVISION, d->repository, NULL, &d->digest);
        json_array_append_new(paths, ra_json_str(path.ptr));
        for (j = 0; j < d->ntags; j++) {
            ra_graph_link_path(&path, g, RA_LINK_TAG_INDEX, d->repository, d->tags[j],
                               &d->digest);
            json_array_append_new(paths, ra_json_str(path.ptr));
        }
        ra_jsonw_value(w, NULL,
                       json_pack("{s:o,s:o,s:o}", "digest", ra_json_digest(&d->digest),
                                 "paths", paths, "repository",
                                 ra_json_str(d->repository)));
    }
    ra_jsonw_close(w);
    ra_jsonw_close(w);
    ra_buf_release(&path);
}

static void write_registry(struct ra_jsonw *w, const struct ra_gcsim_registry *r)
{
    const struct ra_graph *g = r->before->graph;

    ra_jsonw_open(w, NULL, '{');
    ra_jsonw_value(w, "aborted", ra_json_str(r->gc->aborted));
    write_breaks(w, r);
    write_deletes(w, g, r->gc);
    ra_jsonw_value(w, "marked", json_integer((json_int_t)r->gc->marked));
    ra_jsonw_value(w, "root", ra_json_str(g->root[0] ? g->root : "."));
    ra_jsonw_value(w, "unpullable_after", json_integer((json_int_t)r->after->unpullable));
    ra_jsonw_value(w, "unpullable_before",
                   json_integer((json_int_t)r->before->unpullable));
    ra_jsonw_close(w);
}

static void write_snapshot(struct ra_jsonw *w, const struct ra_gcsim *s)
{
    size_t i;

    ra_jsonw_open(w, NULL, '{');
    ra_jsonw_value(w, "complete", json_boolean(s->snap->complete));
    ra_jsonw_value(w, "name", ra_json_str(s->snap->name));
    ra_jsonw_open(w, "registries", '[');
    for (i = 0; i < s->nregs; i++)
        write_registry(w, &s->regs[i]);
    ra_jsonw_close(w);
    ra_jsonw_value(w, "source", ra_json_str(s->snap->source));
    ra_jsonw_value(w, "taken_at", ra_json_time(s->snap->taken_at));
    ra_jsonw_value(w, "taken_at_source",
                   json_string(ra_taken_source_name(s->snap->taken_source)));
    ra_jsonw_close(w);
}

int ra_gcsim_write_json(struct ra_buf *out, FILE *flush, struct ra_gcsim *const *sims,
                        size_t n, struct ra_err *err)
{
    struct ra_jsonw w;
    size_t i;

    ra_jsonw_init(&w, out, flush);
    ra_jsonw_open(&w, NULL, '{');
    ra_jsonw_value(&w, "delete_untagged",
                   json_boolean(n && sims[0]->opts.delete_untagged));
    ra_jsonw_value(&w, "distribution",
                   json_string(n && sims[0]->opts.version == RA_GC_V3 ? "3" : "2.8"));
    ra_jsonw_value(&w, "schema", json_string("regautopsy.gcsim/1"));
    ra_jsonw_open(&w, "snapshots", '[');
    for (i = 0; i < n; i++)
        write_snapshot(&w, sims[i]);
    ra_jsonw_close(&w);
    ra_jsonw_close(&w);
    return ra_jsonw_finish(&w, "gc-sim", err);
}

/* What the sweep deletes, one line each in garbage-collect's own wording (its
 * --dry-run prints the same "... eligible for deletion: <digest>" lines), with the
 * repository after a manifest or _layers link: manifests by repository and digest,
 * then blobs by digest, then _layers links (3.x). */
static void text_deletes(struct ra_buf *out, const struct ra_gc_result *gc)
{
    struct ra_buf tmp = RA_BUF_INIT;
    char d[RA_DIGEST_STRLEN];
    size_t i;

    for (i = 0; i < gc->manifests.len; i++) {
        const struct ra_gc_manifest_del *m = gc->manifests.items[i];
        ra_buf_truncate(&tmp, 0);
        ra_buf_printf(out, "    manifest eligible for deletion: %s in %s\n",
                      ra_digest_format(d, &m->digest),
                      ra_text_safe(&tmp, m->repository, RA_TEXT_UTF8 | RA_TEXT_CONTROLS));
    }
    for (i = 0; i < gc->blobs.len; i++) {
        const struct ra_blob *b = gc->blobs.items[i];
        ra_buf_printf(out, "    blob eligible for deletion: %s\n",
                      ra_digest_format(d, &b->digest));
    }
    for (i = 0; i < gc->layer_links.len; i++) {
        const struct ra_gc_link_del *l = gc->layer_links.items[i];
        ra_buf_truncate(&tmp, 0);
        ra_buf_printf(out, "    _layers link eligible for deletion: %s in %s\n",
                      ra_digest_format(d, &l->digest),
                      ra_text_safe(&tmp, l->repository, RA_TEXT_UTF8 | RA_TEXT_CONTROLS));
    }
    ra_buf_release(&tmp);
}

static void text_registry(struct ra_buf *out, const struct ra_gcsim_registry *r)
{
    const struct ra_graph *g = r->before->graph;
    struct ra_buf tmp = RA_BUF_INIT;
    char d[RA_DIGEST_STRLEN];
    size_t i, nbroken = 0;

    ra_buf_printf(
        out, "  registry %s\n",
        ra_text_safe(&tmp, g->root[0] ? g->root : ".", RA_TEXT_UTF8 | RA_TEXT_CONTROLS));
    if (r->gc->aborted) {
        ra_buf_truncate(&tmp, 0);
        ra_buf_printf(
            out, "    GC would stop in its mark phase and delete nothing: %s\n",
            ra_text_safe(&tmp, r->gc->aborted, RA_TEXT_UTF8 | RA_TEXT_CONTROLS));
    }
    ra_buf_printf(out,
                  "    would delete %zu blobs (%llu bytes), %zu manifest revisions, "
                  "%zu _layers links; %zu digests marked\n",
                  r->gc->blobs.len, (unsigned long long)r->gc->bytes,
                  r->gc->manifests.len, r->gc->layer_links.len, r->gc->marked);
    text_deletes(out, r->gc);
    for (i = 0; i < r->after->ntags; i++) {
        const struct ra_tag_result *t = broken_tag(r, i);
        if (!t)
            continue;
        nbroken++;
        ra_buf_truncate(&tmp, 0);
        ra_text_safe(&tmp, t->repository, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
        ra_buf_putc(&tmp, ':');
        ra_text_safe(&tmp, t->tag, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
        ra_buf_printf(out, "    BREAKS %s -> %s: %s\n", tmp.ptr,
                      ra_digest_short(d, &t->digest), ra_finding_code_name(t->reason));
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
