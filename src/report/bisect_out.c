/* SPDX-License-Identifier: MIT */
/* bisect outputs. */
#include "report/bisect_out.h"

#include "report/json.h"

#include "analysis/bisect.h"
#include "util/text.h"

static json_t *snap_json(const struct ra_bisect_result *r, size_t i)
{
    const struct ra_bisect_snap *s = &r->snaps[i];
    enum ra_bisect_state st = r->search.state[i];
    json_t *o = json_object();

    json_object_set_new(o, "index", json_integer((json_int_t)i + 1));
    json_object_set_new(o, "name", ra_json_str(s->spec->name));
    json_object_set_new(o, "path", ra_json_str(s->spec->path));
    json_object_set_new(o, "taken_at", ra_json_time(s->taken_at));
    json_object_set_new(o, "taken_at_source",
                        json_string(ra_taken_source_name(s->taken_source)));
    json_object_set_new(o, "read", json_boolean(st != RA_BISECT_UNREAD));
    json_object_set_new(o, "state", json_string(ra_bisect_state_name(st)));
    json_object_set_new(o, "reason",
                        st == RA_BISECT_BAD ? json_string(s->reason) : json_null());
    json_object_set_new(o, "root", ra_json_str(s->root));
    json_object_set_new(o, "error", ra_json_str(s->error));
    if (st == RA_BISECT_GOOD || st == RA_BISECT_BAD) {
        json_object_set_new(o, "entries", json_integer((json_int_t)s->entries));
        json_object_set_new(o, "rounds", json_integer((json_int_t)s->rounds));
    }
    return o;
}

static int has_good(const struct ra_bisect *b)
{
    return b->outcome == RA_BISECT_FOUND || b->outcome == RA_BISECT_STILL ||
           b->outcome == RA_BISECT_APPEARED;
}

static int has_bad(const struct ra_bisect *b)
{
    return b->outcome == RA_BISECT_FOUND || b->outcome == RA_BISECT_NEVER ||
           b->outcome == RA_BISECT_APPEARED;
}

int ra_bisect_write_json(struct ra_buf *out, const struct ra_bisect_result *r,
                         struct ra_err *err)
{
    const struct ra_bisect *b = &r->search;
    json_t *doc = json_object(), *snaps = json_array(), *order = json_array();
    size_t i;

    json_object_set_new(doc, "schema", json_string("regautopsy.bisect/1"));
    json_object_set_new(doc, "target", ra_json_str(r->target));
    json_object_set_new(doc, "outcome", json_string(ra_bisect_outcome_name(b->outcome)));
    json_object_set_new(doc, "non_monotone", json_boolean(b->non_monotone));
    json_object_set_new(doc, "ordered_by",
                        json_string(r->ordered_by_time ? "time" : "arguments"));
    json_object_set_new(doc, "snapshots_total", json_integer((json_int_t)b->n));
    json_object_set_new(doc, "snapshots_read", json_integer((json_int_t)b->nread));
    json_object_set_new(doc, "last_pullable",
                        has_good(b) ? json_integer((json_int_t)b->good + 1)
                                    : json_null());
    json_object_set_new(doc, "first_not_pullable",
                        has_bad(b) ? json_integer((json_int_t)b->bad + 1) : json_null());
    json_object_set_new(doc, "reason",
                        has_bad(b) ? json_string(r->snaps[b->bad].reason) : json_null());
    for (i = 0; i < b->nread; i++)
        json_array_append_new(order, json_integer((json_int_t)b->order[i] + 1));
    json_object_set_new(doc, "read_order", order);
    for (i = 0; i < b->n; i++)
        json_array_append_new(snaps, snap_json(r, i));
    json_object_set_new(doc, "snapshots", snaps);
    return ra_json_write(out, doc, JSON_INDENT(2), "bisect", err);
}

/* Untrusted names: no control characters on a terminal. */
static void put_safe(struct ra_buf *out, const char *s)
{
    ra_text_safe(out, s ? s : "", RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
}

static void snap_line(struct ra_buf *out, const struct ra_bisect_result *r, size_t i)
{
    const struct ra_bisect_snap *s = &r->snaps[i];
    char t[RA_TIME_STRLEN];

    ra_buf_printf(out, "snapshot %zu of %zu: ", i + 1, r->search.n);
    put_safe(out, s->spec->name);
    ra_buf_printf(out, " (%s)",
                  s->taken_at == RA_TIME_NONE ? "time unknown"
                                              : ra_time_format(t, s->taken_at));
}

static void summary(struct ra_buf *out, const struct ra_bisect_result *r)
{
    const struct ra_bisect *b = &r->search;

    switch (b->outcome) {
    case RA_BISECT_FOUND:
    case RA_BISECT_APPEARED:
        ra_buf_puts(out, b->outcome == RA_BISECT_FOUND ? "last pullable:      "
                                                       : "last not pullable:  ");
        snap_line(out, r, b->outcome == RA_BISECT_FOUND ? b->good : b->bad);
        ra_buf_puts(out, b->outcome == RA_BISECT_FOUND ? "\nfirst not pullable: "
                                                       : "\nfirst pullable:     ");
        snap_line(out, r, b->outcome == RA_BISECT_FOUND ? b->bad : b->good);
        if (b->outcome == RA_BISECT_FOUND)
            ra_buf_printf(out, "\nreason:             %s", r->snaps[b->bad].reason);
        else
            ra_buf_puts(out, "\nnon-monotone: not pullable in the oldest snapshot read, "
                             "pullable in the newest (pushed later, or repaired)");
        break;
    case RA_BISECT_NEVER:
        ra_buf_puts(out, "not pullable in the oldest snapshot read: ");
        snap_line(out, r, b->bad);
        ra_buf_printf(out, "\nreason: %s", r->snaps[b->bad].reason);
        break;
    case RA_BISECT_STILL:
        ra_buf_puts(out, "still pullable in the newest snapshot: ");
        snap_line(out, r, b->good);
        break;
    case RA_BISECT_NONE_READ:
        ra_buf_puts(out, "no snapshot could be read");
        break;
    }
    ra_buf_puts(out, "\n");
}

void ra_bisect_write_text(struct ra_buf *out, const struct ra_bisect_result *r)
{
    const struct ra_bisect *b = &r->search;
    size_t i;

    ra_buf_puts(out, "bisect ");
    put_safe(out, r->target);
    ra_buf_printf(out, ": %zu snapshots (ordered by %s), %zu read, %zu skipped\n", b->n,
                  r->ordered_by_time ? "time" : "the order given", b->nread,
                  b->n - b->nread);
    for (i = 0; i < b->n; i++) {
        const struct ra_bisect_snap *s = &r->snaps[i];
        enum ra_bisect_state st = b->state[i];
        ra_buf_printf(out, "  %3zu  %-7s  ", i + 1,
                      st == RA_BISECT_UNREAD ? "skipped" : "read");
        put_safe(out, s->spec->name);
        if (st == RA_BISECT_GOOD)
            ra_buf_puts(out, "  pullable");
        else if (st == RA_BISECT_BAD)
            ra_buf_printf(out, "  not pullable: %s", s->reason);
        else if (st == RA_BISECT_UNREADABLE) {
            ra_buf_puts(out, "  unreadable: ");
            put_safe(out, s->error);
        }
        ra_buf_puts(out, "\n");
    }
    summary(out, r);
}
