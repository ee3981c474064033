/* SPDX-License-Identifier: MIT */
/* The scan JSON document. */
#include "report/scan_out.h"

#include <stdlib.h>

#include "report/json.h"

#include "analysis/scan.h"
#include "model/graph.h"
#include "util/text.h"

static json_t *jcode(enum ra_finding_code c)
{
    return c == RA_F_NONE ? json_null() : json_string(ra_finding_code_name(c));
}

static json_t *finding_json(const struct ra_finding *f)
{
    json_t *o = json_object();

    json_object_set_new(o, "code", json_string(ra_finding_code_name(f->code)));
    json_object_set_new(o, "severity", json_string(ra_severity_name(f->severity)));
    json_object_set_new(o, "repository",
                        f->repository[0] ? ra_json_str(f->repository) : json_null());
    json_object_set_new(o, "tag", f->tag[0] ? ra_json_str(f->tag) : json_null());
    json_object_set_new(o, "digest",
                        f->has_digest ? ra_json_digest(&f->digest) : json_null());
    json_object_set_new(o, "parent",
                        f->has_parent ? ra_json_digest(&f->parent) : json_null());
    json_object_set_new(o, "path", f->path[0] ? ra_json_str(f->path) : json_null());
    json_object_set_new(o, "message", ra_json_str(f->message));
    return o;
}

static json_t *findings_json(const struct ra_findings *fs)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < fs->items.len; i++)
        json_array_append_new(a, finding_json(fs->items.items[i]));
    return a;
}

static json_t *platform_json(const struct ra_platform_result *p)
{
    json_t *o = json_object();

    json_object_set_new(o, "platform", ra_json_str(p->platform));
    json_object_set_new(o, "digest", ra_json_digest(&p->digest));
    json_object_set_new(o, "pullable", json_boolean(p->pullable));
    json_object_set_new(o, "reason", jcode(p->reason));
    return o;
}

static json_t *tag_json(const struct ra_tag_result *t)
{
    json_t *o = json_object(), *plats = json_array();
    size_t i;

    json_object_set_new(o, "repository", ra_json_str(t->repository));
    json_object_set_new(o, "tag", ra_json_str(t->tag));
    json_object_set_new(o, "digest",
                        t->resolves ? ra_json_digest(&t->digest) : json_null());
    json_object_set_new(o, "media_type", ra_json_str(t->media_type));
    json_object_set_new(o, "pullable", json_boolean(t->pullable));
    json_object_set_new(o, "reason", jcode(t->reason));
    for (i = 0; i < t->nplatforms; i++)
        json_array_append_new(plats, platform_json(&t->platforms[i]));
    json_object_set_new(o, "platforms", plats);
    return o;
}

static json_t *registry_json(const struct ra_registry_result *r)
{
    json_t *o = json_object(), *counts = json_object(), *tags = json_array();
    const struct ra_graph_counts *c = &r->counts;
    size_t i;

    json_object_set_new(o, "root", ra_json_str(r->graph->root[0] ? r->graph->root : "."));
    json_object_set_new(counts, "blobs", json_integer((json_int_t)c->blobs));
    json_object_set_new(counts, "bytes", json_integer((json_int_t)c->bytes));
    json_object_set_new(counts, "repositories",
                        json_integer((json_int_t)c->repositories));
    json_object_set_new(counts, "tags", json_integer((json_int_t)c->tags));
    json_object_set_new(counts, "manifests", json_integer((json_int_t)c->manifests));
    json_object_set_new(counts, "layer_links", json_integer((json_int_t)c->layer_links));
    json_object_set_new(counts, "uploads", json_integer((json_int_t)c->uploads));
    json_object_set_new(counts, "unpullable_tags",
                        json_integer((json_int_t)r->unpullable));
    json_object_set_new(o, "counts", counts);
    for (i = 0; i < r->ntags; i++)
        json_array_append_new(tags, tag_json(&r->tags[i]));
    json_object_set_new(o, "tags", tags);
    json_object_set_new(o, "findings", findings_json(&r->findings));
    return o;
}

static json_t *snapshot_json(const struct ra_scan *s)
{
    const struct ra_snapshot *snap = s->snap;
    json_t *o = json_object(), *regs = json_array();
    size_t i;

    json_object_set_new(o, "name", ra_json_str(snap->name));
    json_object_set_new(o, "source", ra_json_str(snap->source));
    json_object_set_new(o, "taken_at", ra_json_time(snap->taken_at));
    json_object_set_new(o, "taken_at_source",
                        json_string(ra_taken_source_name(snap->taken_source)));
    json_object_set_new(o, "complete", json_boolean(snap->complete));
    json_object_set_new(o, "verified", json_boolean(s->verified));
    json_object_set_new(o, "entries", json_integer((json_int_t)snap->entries));
    json_object_set_new(o, "newest_mtime", ra_json_time(snap->newest_mtime));
    json_object_set_new(o, "oldest_mtime", ra_json_time(snap->oldest_mtime));
    for (i = 0; i < s->nregs; i++)
        json_array_append_new(regs, registry_json(s->regs[i]));
    json_object_set_new(o, "registries", regs);
    json_object_set_new(o, "findings", findings_json(&s->findings));
    return o;
}

int ra_scan_write_json(struct ra_buf *out, struct ra_scan *const *scans, size_t n,
                       struct ra_err *err)
{
    json_t *doc = json_object(), *snaps = json_array();
    size_t i;

    json_object_set_new(doc, "schema", json_string("regautopsy.scan/1"));
    for (i = 0; i < n; i++)
        json_array_append_new(snaps, snapshot_json(scans[i]));
    json_object_set_new(doc, "snapshots", snaps);
    return ra_json_write(out, doc, JSON_INDENT(2), "scan", err);
}
