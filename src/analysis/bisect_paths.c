/* SPDX-License-Identifier: MIT */
/* What bisect reads of a directory snapshot: only the folders one target needs, found
 * in rounds (the tag's links, then its manifest, then what the manifest names), each
 * round a walk of the tree that skips every other folder. */
#include "analysis/bisect.h"

#include <stdlib.h>
#include <string.h>

#include "model/graph.h"
#include "util/vec.h"

#define HEXLEN 64

static int needed(const struct ra_bisect_paths *p, const char *hex, size_t n)
{
    size_t i;

    for (i = 0; i < p->hexes.len; i++)
        if (!strncmp(p->hexes.items[i], hex, n))
            return 1;
    return 0;
}

/* "<hh>", "<hh>/<hex>" or deeper, under blobs/sha256 */
static int blob_dir(const struct ra_bisect_paths *p, const char *s)
{
    if (strcspn(s, "/") != 2)
        return 0;
    if (!s[2])
        return needed(p, s, 2);
    s += 3;
    return strcspn(s, "/") == HEXLEN && needed(p, s, HEXLEN);
}

/* "<hex>" or deeper, under a repository's revisions/sha256 or _layers/sha256 */
static int link_dir(const struct ra_bisect_paths *p, const char *s)
{
    return strcspn(s, "/") == HEXLEN && needed(p, s, HEXLEN);
}

static int starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* A folder inside the target's repository. */
static int repo_dir(const struct ra_bisect_paths *p, const char *s)
{
    const char *tag = p->target->tag;

    if (!strcmp(s, "_manifests") || !strcmp(s, "_layers") ||
        !strcmp(s, "_manifests/revisions") || !strcmp(s, "_manifests/revisions/sha256") ||
        !strcmp(s, "_layers/sha256"))
        return 1;
    if (starts(s, "_manifests/revisions/sha256/"))
        return link_dir(p, s + strlen("_manifests/revisions/sha256/"));
    if (starts(s, "_layers/sha256/"))
        return link_dir(p, s + strlen("_layers/sha256/"));
    if (!tag)
        return 0;
    if (!strcmp(s, "_manifests/tags"))
        return 1;
    if (!starts(s, "_manifests/tags/"))
        return 0;
    s += strlen("_manifests/tags/");
    return strcspn(s, "/") == strlen(tag) && starts(s, tag);
}

int ra_bisect_dir_filter(const char *rel, size_t len, void *payload)
{
    const struct ra_bisect_paths *p = payload;
    const char *repo = p->target->repo;
    char path[4096];
    const char *rest;
    size_t n;

    if (len >= sizeof(path))
        return 1;
    memcpy(path, rel, len);
    path[len] = '\0';
    if (!strcmp(path, "blobs") || !strcmp(path, "blobs/sha256"))
        return 1;
    if (starts(path, "blobs/sha256/"))
        return blob_dir(p, path + strlen("blobs/sha256/"));
    if (!repo)
        return 0; /* a bare digest: its blob data only */
    if (!strcmp(path, "repositories"))
        return 1;
    if (!starts(path, "repositories/"))
        return 0;
    rest = path + strlen("repositories/");
    n = strlen(rest);
    if (!strncmp(repo, rest, n) && (repo[n] == '\0' || repo[n] == '/'))
        return 1; /* the repository or a folder above it */
    n = strlen(repo);
    if (strncmp(rest, repo, n) || rest[n] != '/')
        return 0;
    return repo_dir(p, rest + n + 1);
}

void ra_bisect_paths_init(struct ra_bisect_paths *p, const struct ra_bisect_target *t)
{
    char buf[RA_DIGEST_STRLEN];

    memset(p, 0, sizeof(*p));
    p->target = t;
    if (t->by_digest)
        ra_vec_push(&p->hexes, ra_xstrdup(ra_digest_format(buf, &t->digest) + 7));
}

static void need(struct ra_bisect_paths *p, const struct ra_digest *d)
{
    char buf[RA_DIGEST_STRLEN];
    const char *hex = ra_digest_format(buf, d) + 7;

    if (!needed(p, hex, HEXLEN))
        ra_vec_push(&p->hexes, ra_xstrdup(hex));
}

static void grow_graph(struct ra_bisect_paths *p, const struct ra_graph *g)
{
    const struct ra_bisect_target *t = p->target;
    const struct ra_repo *r = ra_map_gets(&g->repos, t->repo);
    const struct ra_tag *tag = r ? ra_map_gets(&r->tags, t->tag) : NULL;
    size_t i, k;

    if (tag && tag->has_current && tag->current.valid)
        need(p, &tag->current.target);
    for (i = 0; i < p->hexes.len; i++) { /* grows as it goes: children, then theirs */
        struct ra_digest d;
        const struct ra_blob *b;
        const struct ra_manifest *m;
        if (ra_digest_from_hex(&d, p->hexes.items[i], HEXLEN) < 0 ||
            !(b = ra_graph_find_blob(g, &d)) || !(m = b->manifest))
            continue;
        if (m->has_config)
            need(p, &m->config.digest);
        for (k = 0; k < m->nrefs; k++)
            need(p, &m->refs[k].digest);
    }
}

size_t ra_bisect_paths_grow(struct ra_bisect_paths *p, const struct ra_scan *s)
{
    size_t before = p->hexes.len, i;

    if (p->target->by_digest) /* its link and data are all it needs */
        return 0;
    for (i = 0; i < s->snap->graphs.len; i++)
        grow_graph(p, s->snap->graphs.items[i]);
    return p->hexes.len - before;
}

void ra_bisect_paths_release(struct ra_bisect_paths *p)
{
    size_t i;

    for (i = 0; i < p->hexes.len; i++)
        free(p->hexes.items[i]);
    ra_vec_release(&p->hexes);
}
