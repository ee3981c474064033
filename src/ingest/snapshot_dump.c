/* SPDX-License-Identifier: MIT */
/* A canonical text dump of a whole snapshot, for comparing two reads of it. */
#include "ingest/snapshot.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static void put_digest(struct ra_buf *out, const struct ra_digest *d)
{
    char s[RA_DIGEST_STRLEN];

    ra_buf_puts(out, ra_digest_format(s, d));
}

static const char *or_dash(const char *s)
{
    return s ? s : "-";
}

static void dump_desc(struct ra_buf *out, const char *what, const struct ra_descriptor *d)
{
    ra_buf_printf(out, "    %s %s ", what, or_dash(d->media_type));
    put_digest(out, &d->digest);
    ra_buf_printf(out, " %" PRId64 " %s %s %d\n", d->size, or_dash(d->platform),
                  or_dash(d->artifact_type), d->has_urls);
}

static void dump_manifest(struct ra_buf *out, const struct ra_manifest *m)
{
    size_t i;

    ra_buf_printf(out, "   manifest %d %s %d %s %s\n", (int)m->kind, or_dash(m->media_type),
                  m->media_type_inferred, or_dash(m->artifact_type), or_dash(m->platform));
    if (m->has_config)
        dump_desc(out, "config", &m->config);
    if (m->has_subject)
        dump_desc(out, "subject", &m->subject);
    for (i = 0; i < m->nrefs; i++)
        dump_desc(out, "ref", &m->refs[i]);
}

static void dump_blobs(struct ra_buf *out, const struct ra_graph *g)
{
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    ra_graph_sorted_blobs(&v, g);
    for (i = 0; i < v.len; i++) {
        const struct ra_blob *b = v.items[i];
        ra_buf_puts(out, "  blob ");
        put_digest(out, &b->digest);
        ra_buf_printf(out, " present=%d size=%" PRId64 " mtime=%" PRId64 " hash=%d ",
                      b->present, b->size, (int64_t)b->mtime, (int)b->hash);
        put_digest(out, &b->actual);
        ra_buf_printf(out, " json=%d odd=%d cut=%d member=%" PRIu64 " error=%s\n",
                      b->is_json, b->not_regular, b->truncated, b->member,
                      or_dash(b->parse_error));
        if (b->manifest)
            dump_manifest(out, b->manifest);
    }
    ra_vec_release(&v);
}

static void dump_link(struct ra_buf *out, const char *what, const struct ra_link *l)
{
    ra_buf_printf(out, "   %s ", what);
    put_digest(out, &l->key);
    ra_buf_printf(out, " valid=%d ", l->valid);
    put_digest(out, &l->target);
    ra_buf_printf(out, " mtime=%" PRId64 " member=%" PRIu64 "\n", (int64_t)l->mtime,
                  l->member);
}

static void dump_links(struct ra_buf *out, const char *what, const struct ra_map *map)
{
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    ra_graph_sorted_links(&v, map);
    for (i = 0; i < v.len; i++)
        dump_link(out, what, v.items[i]);
    ra_vec_release(&v);
}

static void dump_repo(struct ra_buf *out, const struct ra_repo *r)
{
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    ra_buf_printf(out, "  repo %s tags_dir=%d\n", r->name, r->has_tags_dir);
    dump_links(out, "layer", &r->layers);
    dump_links(out, "revision", &r->revisions);
    ra_graph_sorted_tags(&v, r);
    for (i = 0; i < v.len; i++) {
        const struct ra_tag *t = v.items[i];
        ra_buf_printf(out, "   tag %s current=%d\n", t->name, t->has_current);
        if (t->has_current)
            dump_link(out, " current", &t->current);
        dump_links(out, " history", &t->history);
    }
    ra_vec_release(&v);
    ra_graph_sorted_uploads(&v, r);
    for (i = 0; i < v.len; i++) {
        const struct ra_upload *u = v.items[i];
        ra_buf_printf(out, "   upload %s started=%" PRId64 " size=%" PRId64 " mtime=%" PRId64
                           "\n",
                      u->uuid, (int64_t)u->started_at, u->size, (int64_t)u->mtime);
    }
    ra_vec_release(&v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of a string-keyed map, sorted. */
static void sorted_keys(struct ra_vec *out, const struct ra_map *m)
{
    size_t it = 0;
    const void *key;

    while (ra_map_next(m, &it, &key, NULL, NULL))
        ra_vec_push(out, (void *)key);
    ra_vec_sort(out, cmp_str);
}

static void dump_dirs_meta(struct ra_buf *out, const struct ra_graph *g)
{
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    sorted_keys(&v, &g->dirs);
    for (i = 0; i < v.len; i++)
        ra_buf_printf(out, "  dir %s %" PRId64 "\n", (const char *)v.items[i],
                      (int64_t)ra_graph_dir_mtime(g, v.items[i]));
    v.len = 0;
    sorted_keys(&v, &g->meta); /* keys are the items' paths */
    for (i = 0; i < v.len; i++) {
        const struct ra_meta_item *m = ra_map_gets(&g->meta, v.items[i]);
        ra_buf_printf(out, "  meta %s kind=%d dir=%d mtime=%" PRId64 " next=%s\n", m->path,
                      (int)m->kind, m->is_dir, (int64_t)m->mtime,
                      m->next_in_dir ? m->next_in_dir->path : "-");
    }
    ra_vec_release(&v);
}

static void dump_graph(struct ra_buf *out, const struct ra_graph *g)
{
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    ra_buf_printf(out, " graph '%s' blobs=%zu repos=%zu meta=%zu\n", g->root,
                  g->blobs.count, g->repos.count, g->meta.count);
    dump_blobs(out, g);
    ra_graph_sorted_repos(&v, g);
    for (i = 0; i < v.len; i++)
        dump_repo(out, v.items[i]);
    ra_vec_release(&v);
    for (i = 0; i < g->odd.len; i++) {
        const struct ra_odd_member *o = g->odd.items[i];
        ra_buf_printf(out, "  odd %s: %s\n", o->path, o->what);
    }
    for (i = 0; i < g->dups.len; i++) {
        const struct ra_dup_member *d = g->dups.items[i];
        ra_buf_printf(out, "  dup %s %" PRIu64 " %" PRIu64 "\n", d->path, d->earlier,
                      d->later);
    }
    dump_dirs_meta(out, g);
}

void ra_snapshot_dump(struct ra_buf *out, const struct ra_snapshot *s)
{
    size_t i;

    ra_buf_printf(out,
                  "snapshot %s source=%s taken=%" PRId64 "/%s mtimes=%" PRId64 "..%" PRId64
                  " entries=%" PRIu64 " complete=%d error=%s stop=%s@%" PRIu64
                  " vanished=%" PRIu64 " changed_dirs=%" PRIu64 "\n",
                  s->name, s->source, (int64_t)s->taken_at,
                  ra_taken_source_name(s->taken_source), (int64_t)s->oldest_mtime,
                  (int64_t)s->newest_mtime, s->entries, s->complete, or_dash(s->read_error),
                  or_dash(s->stop_member), s->stop_offset, s->vanished, s->changed_dirs);
    for (i = 0; i < RA_META__COUNT; i++)
        ra_buf_printf(out, " meta %s %" PRIu64 " %s\n", ra_meta_kind_name((enum ra_meta_kind)i),
                      s->meta.items[i], or_dash(s->meta.example[i]));
    ra_buf_printf(out, " meta total %" PRIu64 "\n", s->meta.total);
    for (i = 0; i < s->recycled.len; i++) {
        const struct ra_recycled_blob *r = s->recycled.items[i];
        ra_buf_printf(out, " recycled %s ", r->path);
        put_digest(out, &r->digest);
        ra_buf_printf(out, " %" PRId64 " %" PRId64 " %d\n", r->size, (int64_t)r->mtime,
                      r->verified);
    }
    for (i = 0; i < s->unread.len; i++) {
        const struct ra_unread *u = s->unread.items[i];
        ra_buf_printf(out, " unread %s: %s\n", u->path, u->why);
    }
    for (i = 0; i < s->graphs.len; i++)
        dump_graph(out, s->graphs.items[i]);
}
