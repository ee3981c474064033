/* SPDX-License-Identifier: MIT */
/* The record of a directory walk, for proving a later copy's entries unchanged. */
#include "ingest/walk.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define NODE_UNPROVEN 1u /* could not be opened: proves nothing */
#define NODE_LISTED 2u   /* a folder whose children were recorded */

struct node {
    uint32_t name;  /* offset into names */
    uint32_t end;   /* one past its subtree, in walk order */
    uint32_t flags; /* NODE_* */
    uint32_t mode;
    uint32_t uid, gid;
    uint32_t nlink;
    int64_t size;
    int64_t mtime_s, ctime_s;
    uint64_t ino;
    int32_t mtime_ns, ctime_ns;
};

struct ra_walk {
    struct node *nodes;
    size_t len, cap;
    struct ra_buf names;
};

void ra_walk_new(struct ra_walk **out)
{
    *out = ra_xcalloc(1, sizeof(**out));
}

void ra_walk_free(struct ra_walk *w)
{
    if (!w)
        return;
    free(w->nodes);
    ra_buf_release(&w->names);
    free(w);
}

size_t ra_walk_count(const struct ra_walk *w)
{
    return w->len;
}

size_t ra_walk_bytes(const struct ra_walk *w)
{
    return sizeof(*w) + w->cap * sizeof(struct node) + w->names.cap;
}

uint32_t ra_walk_add(struct ra_walk *w, uint32_t parent, const char *name,
                     const struct stat *st)
{
    struct node *n;

    (void)parent; /* the order alone says where it belongs; kept for the reader */
    if (w->len == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 1024;
        w->nodes = ra_xrealloc(w->nodes, w->cap * sizeof(*w->nodes));
    }
    n = &w->nodes[w->len];
    memset(n, 0, sizeof(*n));
    n->name = (uint32_t)w->names.len;
    ra_buf_put(&w->names, name, strlen(name) + 1);
    n->end = (uint32_t)w->len + 1;
    if (!st) {
        n->flags = NODE_UNPROVEN;
    } else {
        n->mode = st->st_mode;
        n->uid = st->st_uid;
        n->gid = st->st_gid;
        n->nlink = (uint32_t)st->st_nlink;
        n->size = st->st_size;
        n->mtime_s = st->st_mtim.tv_sec;
        n->mtime_ns = (int32_t)st->st_mtim.tv_nsec;
        n->ctime_s = st->st_ctim.tv_sec;
        n->ctime_ns = (int32_t)st->st_ctim.tv_nsec;
        n->ino = st->st_ino;
    }
    return (uint32_t)w->len++;
}

void ra_walk_close_dir(struct ra_walk *w, uint32_t dir)
{
    w->nodes[dir].end = (uint32_t)w->len;
    w->nodes[dir].flags |= NODE_LISTED;
}

int ra_walk_listed(const struct ra_walk *w, uint32_t dir)
{
    return dir < w->len && (w->nodes[dir].flags & NODE_LISTED);
}

uint32_t ra_walk_first_child(const struct ra_walk *w, uint32_t dir)
{
    return ra_walk_listed(w, dir) && dir + 1 < w->nodes[dir].end ? dir + 1 : RA_WALK_NONE;
}

uint32_t ra_walk_next_sibling(const struct ra_walk *w, uint32_t dir, uint32_t node)
{
    uint32_t next = w->nodes[node].end;

    return next < w->nodes[dir].end ? next : RA_WALK_NONE;
}

const char *ra_walk_name(const struct ra_walk *w, uint32_t node)
{
    return w->names.ptr + w->nodes[node].name;
}

unsigned char ra_walk_dtype(const struct ra_walk *w, uint32_t node)
{
    const struct node *n = &w->nodes[node];

    if (n->flags & NODE_UNPROVEN)
        return DT_UNKNOWN;
    if (S_ISREG(n->mode))
        return DT_REG;
    if (S_ISDIR(n->mode))
        return DT_DIR;
    return S_ISLNK(n->mode) ? DT_LNK : DT_UNKNOWN;
}

uint32_t ra_walk_child(const struct ra_walk *w, uint32_t dir, const char *name,
                       uint32_t *hint)
{
    uint32_t c = *hint == RA_WALK_NONE ? ra_walk_first_child(w, dir) : *hint;
    int cmp = 1;

    while (c != RA_WALK_NONE && (cmp = strcmp(ra_walk_name(w, c), name)) < 0)
        c = ra_walk_next_sibling(w, dir, c);
    *hint = c;
    return c != RA_WALK_NONE && cmp == 0 ? c : RA_WALK_NONE;
}

/* The same inode, not changed since: any write, link, chmod or utimes moves the
 * change time, which nothing but the kernel sets. Needs change times to the
 * nanosecond (0 ns: kept to the second, which proves nothing). */
static int same_inode(const struct node *n, const struct stat *st)
{
    return n->ino == st->st_ino && n->ctime_s == st->st_ctim.tv_sec &&
           n->ctime_ns == st->st_ctim.tv_nsec && st->st_ctim.tv_nsec != 0;
}

int ra_walk_same(const struct ra_walk *w, uint32_t node, const struct stat *st)
{
    const struct node *n = &w->nodes[node];

    if (n->flags & NODE_UNPROVEN)
        return 0;
    if (n->mode != st->st_mode || n->uid != st->st_uid || n->gid != st->st_gid ||
        n->size != st->st_size)
        return 0;
    if (S_ISDIR(st->st_mode) && n->nlink != st->st_nlink)
        return 0;
    if (n->mtime_s != st->st_mtim.tv_sec || n->mtime_ns != st->st_mtim.tv_nsec)
        return 0;
    if (same_inode(n, st))
        return 1;
    if (st->st_mtim.tv_nsec == 0)
        return 0; /* a time kept to the second only: no proof */
    /* a hard link more changes a file's change time, not its content; the same folder
     * with another change time had its times set back (a restore) */
    return !S_ISDIR(st->st_mode) || n->ino != st->st_ino;
}
