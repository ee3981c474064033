/* SPDX-License-Identifier: MIT */
/* The record of one directory walk: every entry's name and identity (type, mode, owner,
 * size, times, inode) in walk order, so that the walk of a later copy of the same tree
 * can prove entries unchanged (docs/snapshots.md) and take a folder's listing from it. */
#ifndef RA_INGEST_WALK_H
#define RA_INGEST_WALK_H

#include <sys/stat.h>

#include "util/common.h"

struct ra_walk;

#define RA_WALK_NONE UINT32_MAX

void ra_walk_new(struct ra_walk **out);
void ra_walk_free(struct ra_walk *w);

/* Entries recorded, the tree's root (node 0) included. */
size_t ra_walk_count(const struct ra_walk *w);
/* Bytes the record takes. */
size_t ra_walk_bytes(const struct ra_walk *w);

/* Building, in walk order (depth first, names sorted). Add an entry as a child of
 * folder parent (RA_WALK_NONE for the tree's root); name is its last segment (copied),
 * st what lstat saw, or NULL for an entry that could not be opened (it never proves
 * anything). Returns its node. A folder whose listing was walked is closed with
 * ra_walk_close_dir after its children: only closed folders lend their listing. */
uint32_t ra_walk_add(struct ra_walk *w, uint32_t parent, const char *name,
                     const struct stat *st);
void ra_walk_close_dir(struct ra_walk *w, uint32_t dir);

/* Lookups. The first child of a listed folder and the next sibling of a node, or
 * RA_WALK_NONE. */
uint32_t ra_walk_first_child(const struct ra_walk *w, uint32_t dir);
uint32_t ra_walk_next_sibling(const struct ra_walk *w, uint32_t dir, uint32_t node);
const char *ra_walk_name(const struct ra_walk *w, uint32_t node);
/* DT_REG, DT_DIR, DT_LNK or DT_UNKNOWN, as getdents would give. */
unsigned char ra_walk_dtype(const struct ra_walk *w, uint32_t node);
/* 1 when the folder's children were recorded. */
int ra_walk_listed(const struct ra_walk *w, uint32_t dir);
/* The child of listed folder dir named name, or RA_WALK_NONE; *hint is where the
 * search starts (children are looked up in sorted order: pass the same hint, starting
 * at RA_WALK_NONE, for every name of one listing). */
uint32_t ra_walk_child(const struct ra_walk *w, uint32_t dir, const char *name,
                       uint32_t *hint);

/* Is the entry st (lstat of the same path in a later copy of the tree) provably the
 * same as node? Same type, mode, owner and size (for a folder also link count), and
 * either the same inode with the same change time (to the nanosecond: a Btrfs snapshot,
 * a hard-linked file, the same tree read again), or the same modification time to the
 * nanosecond (a time with no nanoseconds, as a copy tool that keeps only seconds
 * leaves, proves nothing) and, for a folder, not the same inode with another change
 * time (its times set back by a restore). For a folder this proves its listing
 * unchanged; for a file its content, as the registry writes them (docs/snapshots.md). */
int ra_walk_same(const struct ra_walk *w, uint32_t node, const struct stat *st);

#endif
