/* SPDX-License-Identifier: MIT */
/* diff outputs. */
#include "report/diff_out.h"

#include <stdlib.h>

#include "report/json.h"

#include "analysis/diff.h"
#include "model/graph.h"
#include "util/text.h"

/* Empty strings are absent here. */
static json_t *jopt(const char *s)
{
    return s && *s ? ra_json_str(s) : json_null();
}

static json_t *jdigest(int has, const struct ra_digest *d)
{
    return has ? ra_json_digest(d) : json_null();
}

static json_t *change_json(const struct ra_change *c)
{
    json_t *o = json_object();

    json_object_set_new(o, "change", json_string(ra_change_kind_name(c->kind)));
    json_object_set_new(o, "repository", jopt(c->repository));
    json_object_set_new(o, "tag", jopt(c->tag));
    json_object_set_new(o, "old", jdigest(c->has_old, &c->old_digest));
    json_object_set_new(o, "new", jdigest(c->has_new, &c->new_digest));
    if (c->size >= 0)
        json_object_set_new(o, "size", json_integer(c->size));
    if (c->kind == RA_CHANGE_BECAME_UNPULLABLE)
        json_object_set_new(o, "reason", json_string(ra_finding_code_name(c->reason)));
    return o;
}

static json_t *snap_json(const struct ra_scan *s)
{
    json_t *o = json_object();

    json_object_set_new(o, "name", jopt(s->snap->name));
    json_object_set_new(o, "taken_at", ra_json_time(s->snap->taken_at));
    json_object_set_new(o, "taken_at_source",
                        json_string(ra_taken_source_name(s->snap->taken_source)));
    json_object_set_new(o, "complete", json_boolean(s->snap->complete));
    return o;
}

int ra_diff_write_json(struct ra_buf *out, const struct ra_diff *d, struct ra_err *err)
{
    json_t *doc = json_object(), *regs = json_array();
    size_t i, j;

    json_object_set_new(doc, "schema", json_string("regautopsy.diff/1"));
    json_object_set_new(doc, "old", snap_json(d->old_scan));
    json_object_set_new(doc, "new", snap_json(d->new_scan));
    for (i = 0; i < d->nregs; i++) {
        const struct ra_diff_registry *r = &d->regs[i];
        json_t *ro = json_object(), *changes = json_array(), *counts = json_object();
        json_object_set_new(ro, "root", jopt(r->root[0] ? r->root : "."));
        json_object_set_new(ro, "in_old", json_boolean(r->in_old));
        json_object_set_new(ro, "in_new", json_boolean(r->in_new));
        for (j = 0; j < RA_CHANGE__COUNT; j++)
            json_object_set_new(counts, ra_change_kind_name((enum ra_change_kind)j),
                                json_integer((json_int_t)r->counts[j]));
        json_object_set_new(ro, "counts", counts);
        for (j = 0; j < r->changes.len; j++)
            json_array_append_new(changes, change_json(r->changes.items[j]));
        json_object_set_new(ro, "changes", changes);
        json_array_append_new(regs, ro);
    }
    json_object_set_new(doc, "registries", regs);
    return ra_json_write(out, doc, JSON_INDENT(2), "diff", err);
}

static const char *const headings[RA_CHANGE__COUNT] = {
    "tags added",
    "tags removed",
    "tags moved",
    "revision links removed",
    "revision links added",
    "_layers links removed",
    "_layers links added",
    "tag history entries removed",
    "blobs deleted",
    "blobs added",
    "tags that became unpullable",
    "tags repaired",
};

/* Lines listed per kind before "… and N more". */
#define TEXT_CAP 20

static void text_change(struct ra_buf *out, const struct ra_change *c)
{
    struct ra_buf tmp = RA_BUF_INIT;
    char a[RA_DIGEST_STRLEN], b[RA_DIGEST_STRLEN];

    ra_buf_puts(out, "      ");
    if (c->repository[0]) {
        ra_text_safe(&tmp, c->repository, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
        if (c->tag[0]) {
            ra_buf_putc(&tmp, ':');
            ra_text_safe(&tmp, c->tag, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
        }
        ra_buf_printf(out, "%s ", tmp.ptr);
    }
    if (c->has_old && c->has_new && ra_digest_cmp(&c->old_digest, &c->new_digest))
        ra_buf_printf(out, "%s -> %s", ra_digest_short(a, &c->old_digest),
                      ra_digest_short(b, &c->new_digest));
    else if (c->has_old || c->has_new)
        ra_buf_puts(out,
                    ra_digest_format(a, c->has_new ? &c->new_digest : &c->old_digest));
    if (c->size >= 0)
        ra_buf_printf(out, " (%lld bytes)", (long long)c->size);
    if (c->kind == RA_CHANGE_BECAME_UNPULLABLE)
        ra_buf_printf(out, ": %s", ra_finding_code_name(c->reason));
    ra_buf_putc(out, '\n');
    ra_buf_release(&tmp);
}

void ra_diff_write_text(struct ra_buf *out, const struct ra_diff *d)
{
    struct ra_buf tmp = RA_BUF_INIT;
    char t1[RA_TIME_STRLEN], t2[RA_TIME_STRLEN];
    size_t i, j, k, shown;

    ra_buf_printf(
        out, "%s (%s) -> ",
        ra_text_safe(&tmp, d->old_scan->snap->name, RA_TEXT_UTF8 | RA_TEXT_CONTROLS),
        ra_time_format(t1, d->old_scan->snap->taken_at));
    ra_buf_truncate(&tmp, 0);
    ra_buf_printf(
        out, "%s (%s)\n",
        ra_text_safe(&tmp, d->new_scan->snap->name, RA_TEXT_UTF8 | RA_TEXT_CONTROLS),
        ra_time_format(t2, d->new_scan->snap->taken_at));
    for (i = 0; i < d->nregs; i++) {
        const struct ra_diff_registry *r = &d->regs[i];
        ra_buf_truncate(&tmp, 0);
        ra_buf_printf(out, "  registry %s%s\n",
                      ra_text_safe(&tmp, r->root[0] ? r->root : ".",
                                   RA_TEXT_UTF8 | RA_TEXT_CONTROLS),
                      !r->in_old   ? " (only in the new snapshot)"
                      : !r->in_new ? " (only in the old snapshot)"
                                   : "");
        if (!r->changes.len)
            ra_buf_puts(out, "    no changes\n");
        for (k = 0; k < RA_CHANGE__COUNT; k++) {
            if (!r->counts[k])
                continue;
            ra_buf_printf(out, "    %s: %zu\n", headings[k], r->counts[k]);
            for (j = 0, shown = 0; j < r->changes.len; j++) {
                const struct ra_change *c = r->changes.items[j];
                if (c->kind != k)
                    continue;
                if (shown++ == TEXT_CAP) {
                    ra_buf_printf(out, "      … and %zu more (see --json)\n",
                                  r->counts[k] - TEXT_CAP);
                    break;
                }
                text_change(out, c);
            }
        }
    }
    ra_buf_release(&tmp);
}
