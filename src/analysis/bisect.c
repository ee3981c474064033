/* SPDX-License-Identifier: MIT */
/* Bisect over snapshots: the search, and what "good" means for a tag, a manifest or a
 * blob in one scanned snapshot. */
#include "analysis/bisect.h"

#include <stdlib.h>
#include <string.h>

#include "model/graph.h"

#define NONE ((ptrdiff_t)-1)

/* Read snapshot i; 0 when it could be read. */
static int probe_at(struct ra_bisect *b, size_t i, ra_bisect_probe_cb probe,
                    void *payload)
{
    int good = 0;

    b->order[b->nread++] = i;
    if (probe(&good, i, payload) < 0) {
        b->state[i] = RA_BISECT_UNREADABLE;
        return -1;
    }
    b->state[i] = good ? RA_BISECT_GOOD : RA_BISECT_BAD;
    return 0;
}

/* The middle one of the snapshots in (lo, hi) not yet tried, or NONE. */
static ptrdiff_t middle(const struct ra_bisect *b, ptrdiff_t lo, ptrdiff_t hi)
{
    ptrdiff_t i, k = 0, want;

    for (i = lo + 1; i < hi; i++)
        k += b->state[i] == RA_BISECT_UNREAD;
    if (!k)
        return NONE;
    want = (k - 1) / 2;
    for (i = lo + 1; i < hi; i++)
        if (b->state[i] == RA_BISECT_UNREAD && !want--)
            return i;
    return NONE;
}

/* Narrow (lo, hi) to adjacent readable snapshots: lo keeps lo's state (a virtual good
 * one when lo is NONE), hi keeps hi's. */
static void narrow(struct ra_bisect *b, ptrdiff_t *lo, ptrdiff_t *hi,
                   ra_bisect_probe_cb probe, void *payload)
{
    enum ra_bisect_state lo_state = *lo == NONE ? RA_BISECT_GOOD : b->state[*lo];
    ptrdiff_t mid;

    while ((mid = middle(b, *lo, *hi)) != NONE) {
        if (probe_at(b, (size_t)mid, probe, payload) < 0)
            continue;
        if (b->state[mid] == lo_state)
            *lo = mid;
        else
            *hi = mid;
    }
}

/* The first readable snapshot walking from `from` by step, stopping before `stop`. */
static ptrdiff_t first_readable(struct ra_bisect *b, ptrdiff_t from, ptrdiff_t step,
                                ptrdiff_t stop, ra_bisect_probe_cb probe, void *payload)
{
    ptrdiff_t i;

    for (i = from; i != stop; i += step)
        if (probe_at(b, (size_t)i, probe, payload) == 0)
            return i;
    return NONE;
}

static void search_from_good_newest(struct ra_bisect *b, ptrdiff_t newest,
                                    ra_bisect_probe_cb probe, void *payload)
{
    ptrdiff_t lo, hi = newest;

    b->outcome = RA_BISECT_STILL;
    b->good = (size_t)newest;
    lo = first_readable(b, 0, 1, newest, probe, payload);
    if (lo == NONE || b->state[lo] == RA_BISECT_GOOD)
        return;
    b->non_monotone = 1; /* not pullable before, pullable now */
    narrow(b, &lo, &hi, probe, payload);
    b->outcome = RA_BISECT_APPEARED;
    b->bad = (size_t)lo;
    b->good = (size_t)hi;
}

void ra_bisect_run(struct ra_bisect *out, size_t n, ra_bisect_probe_cb probe,
                   void *payload)
{
    ptrdiff_t lo = NONE, hi;

    memset(out, 0, sizeof(*out));
    out->n = n;
    out->state = ra_xcalloc(n ? n : 1, sizeof(*out->state));
    out->order = ra_xcalloc(n ? n : 1, sizeof(*out->order));
    out->outcome = RA_BISECT_NONE_READ;
    hi = first_readable(out, (ptrdiff_t)n - 1, -1, NONE, probe, payload);
    if (hi == NONE)
        return;
    if (out->state[hi] == RA_BISECT_GOOD) {
        search_from_good_newest(out, hi, probe, payload);
        return;
    }
    /* Bad now: before the first snapshot it is taken as good. */
    narrow(out, &lo, &hi, probe, payload);
    out->bad = (size_t)hi;
    if (lo == NONE) {
        out->outcome = RA_BISECT_NEVER;
        return;
    }
    out->outcome = RA_BISECT_FOUND;
    out->good = (size_t)lo;
}

void ra_bisect_release(struct ra_bisect *b)
{
    free(b->state);
    free(b->order);
    memset(b, 0, sizeof(*b));
}

const char *ra_bisect_outcome_name(enum ra_bisect_outcome o)
{
    static const char *const names[] = {"found", "never_pullable", "still_pullable",
                                        "appeared", "none_read"};
    return (size_t)o < sizeof(names) / sizeof(names[0]) ? names[o] : "?";
}

const char *ra_bisect_state_name(enum ra_bisect_state s)
{
    static const char *const names[] = {"skipped", "pullable", "not_pullable",
                                        "unreadable"};
    return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

int ra_bisect_target_parse(struct ra_bisect_target *out, const char *arg,
                           struct ra_err *err)
{
    const char *at = strchr(arg, '@'), *colon;
    size_t repo_len;

    memset(out, 0, sizeof(*out));
    if (!strncmp(arg, "sha256:", 7)) {
        if (ra_digest_parse(&out->digest, arg, strlen(arg)) < 0)
            return ra_err_set(err, RA_EUSAGE, "'%s': not a sha256 digest", arg);
        out->by_digest = 1;
        return 0;
    }
    if (at && !strncmp(at + 1, "sha256:", 7)) {
        if (at == arg || ra_digest_parse(&out->digest, at + 1, strlen(at + 1)) < 0)
            return ra_err_set(err, RA_EUSAGE, "'%s': expected REPO@sha256:<64 hex>", arg);
        out->by_digest = 1;
        out->repo = ra_xstrndup(arg, (size_t)(at - arg));
        return 0;
    }
    repo_len = at ? (size_t)(at - arg) : strlen(arg);
    for (colon = arg + repo_len; colon > arg && colon[-1] != ':'; colon--)
        ;
    colon = colon > arg ? colon - 1 : NULL;
    if (!colon || colon == arg || colon + 1 == arg + repo_len || (at && !at[1]))
        return ra_err_set(err, RA_EUSAGE,
                          "'%s': expected REPO:TAG[@PLATFORM], REPO@DIGEST or DIGEST",
                          arg);
    out->repo = ra_xstrndup(arg, (size_t)(colon - arg));
    out->tag = ra_xstrndup(colon + 1, (size_t)(arg + repo_len - colon - 1));
    if (at)
        out->platform = ra_xstrdup(at + 1);
    return 0;
}

void ra_bisect_target_release(struct ra_bisect_target *t)
{
    free(t->repo);
    free(t->tag);
    free(t->platform);
    memset(t, 0, sizeof(*t));
}

static const struct ra_tag_result *find_tag(const struct ra_registry_result *r,
                                            const struct ra_bisect_target *t)
{
    size_t i;

    for (i = 0; i < r->ntags; i++)
        if (!strcmp(r->tags[i].repository, t->repo) && !strcmp(r->tags[i].tag, t->tag))
            return &r->tags[i];
    return NULL;
}

static const char *code_or(enum ra_finding_code c, const char *dflt)
{
    return c == RA_F_NONE ? dflt : ra_finding_code_name(c);
}

/* One root: 1 good, 0 not (with *reason), -1 the tag is not there. */
static int judge_tag(const char **reason, const struct ra_registry_result *r,
                     const struct ra_bisect_target *t)
{
    const struct ra_tag_result *tr = find_tag(r, t);
    size_t i;

    if (!tr)
        return -1;
    if (!tr->resolves) {
        *reason = code_or(tr->reason, "tag_unresolved");
        return 0;
    }
    if (!t->platform) {
        *reason = code_or(tr->reason, "not_pullable");
        return tr->pullable;
    }
    for (i = 0; i < tr->nplatforms; i++) {
        if (strcmp(tr->platforms[i].platform, t->platform))
            continue;
        *reason = code_or(tr->platforms[i].reason, "not_pullable");
        return tr->platforms[i].pullable;
    }
    *reason = tr->pullable ? "platform_absent" : code_or(tr->reason, "platform_absent");
    return 0;
}

/* One graph: 1 present, 0 not (with *reason). */
static int judge_digest(const char **reason, const struct ra_graph *g,
                        const struct ra_bisect_target *t)
{
    const struct ra_blob *b = ra_graph_find_blob(g, &t->digest);

    if (t->repo) {
        const struct ra_repo *r = ra_map_gets(&g->repos, t->repo);
        const struct ra_link *l =
            r ? ra_graph_find_link(&r->revisions, &t->digest) : NULL;
        if (!l || !l->valid) {
            *reason = "revision_link_absent";
            return 0;
        }
    }
    if (!b || !b->present || b->not_regular) {
        *reason = "blob_absent";
        return 0;
    }
    return 1;
}

void ra_bisect_judge(int *good, const char **reason, const char **root,
                     const struct ra_scan *s, const struct ra_bisect_target *t)
{
    size_t i;
    int r;

    *good = 0;
    *reason =
        t->by_digest ? (t->repo ? "revision_link_absent" : "blob_absent") : "tag_absent";
    *root = NULL;
    for (i = 0; i < s->nregs; i++) {
        const char *why = NULL;
        const struct ra_graph *g = s->snap->graphs.items[i];
        r = t->by_digest ? judge_digest(&why, g, t) : judge_tag(&why, s->regs[i], t);
        if (r < 0)
            continue;
        if (r > 0 || !*root) {
            *root = g->root;
            *reason = r > 0 ? NULL : why;
        }
        if (r > 0) {
            *good = 1;
            return;
        }
    }
}
