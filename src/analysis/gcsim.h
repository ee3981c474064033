/* SPDX-License-Identifier: MIT */
/* Garbage-collection simulation: Distribution's mark and sweep, run on the in-memory
 * graph as the chosen version runs it on storage (docs/storage.md), to predict what
 * a GC run deletes and which tags it breaks, or to recognise a GC's work after the fact.
 *
 * 2.8: with delete-untagged, a manifest no tag's current link names goes on a delete
 * list without marking its references; every other manifest is marked with its direct
 * references. Sweep: listed manifests lose their revision link and tag index entries;
 * unmarked blob data is deleted; _layers links stay.
 * 3.x: references are marked recursively through manifests the repository serves;
 * listed manifests that got marked are kept; unmarked _layers links are deleted too. */
#ifndef RA_ANALYSIS_GCSIM_H
#define RA_ANALYSIS_GCSIM_H

#include "analysis/scan.h"
#include "model/graph.h"

enum ra_gc_version {
    RA_GC_V2 = 2, /* Distribution 2.x (observed on 2.8.2) */
    RA_GC_V3 = 3, /* Distribution 3.x */
};

struct ra_gc_opts {
    enum ra_gc_version version;
    int delete_untagged; /* -m / --delete-untagged */
    /* Not an option of the real GC: run as if the tags folder entries it aborts on
     * (ra_gc_lookup_error) were gone, to tell what a run after their removal deletes. */
    int without_tag_errors;
};

/* clang-format off */
#define RA_GC_OPTS_INIT {RA_GC_V2, 0, 0}
/* clang-format on */

struct ra_gc_manifest_del {
    const char *repository;
    struct ra_digest digest;
    const char **tags; /* tags whose index/ entry for the digest is removed */
    size_t ntags;
};

struct ra_gc_link_del {
    const char *repository;
    struct ra_digest digest;
};

struct ra_gc_result {
    const char *aborted;       /* why the real GC would stop before sweeping, or NULL */
    size_t marked;             /* digests marked */
    struct ra_vec blobs;       /* struct ra_blob * whose data is deleted, by digest */
    uint64_t bytes;            /* their total size */
    struct ra_vec manifests;   /* struct ra_gc_manifest_del *, by repository, digest */
    struct ra_vec layer_links; /* struct ra_gc_link_del * (3.x), by repository, digest */
    struct ra_pool pool;
};

struct ra_buf;

/* What TagService.Lookup (2.8) fails on in repository r, which stops a GC with
 * --delete-untagged in its mark phase: it reads every entry of the tags folder as
 * <entry>/current/link, and an entry name the storage driver rejects ("@eaDir": invalid
 * path), a file there (".DS_Store": not a directory) or a current link that is not a
 * digest fails it. A folder without current/link is skipped. Returns 1 and appends the
 * reason to out (for the entry first by name), 0 when Lookup succeeds. */
int ra_gc_lookup_error(struct ra_buf *out, const struct ra_graph *g,
                       const struct ra_repo *r);
/* The name of the tags folder entry ra_gc_lookup_error fails on ("@eaDir", a tag whose
 * current link is not a digest), borrowed from g; NULL when Lookup succeeds. */
const char *ra_gc_lookup_entry(const struct ra_graph *g, const struct ra_repo *r);

/* Run the mark phase and compute the sweep on g (not modified). */
void ra_gc_simulate(struct ra_gc_result **out, const struct ra_graph *g,
                    const struct ra_gc_opts *opts);
/* Apply a sweep to g, as the real GC would change storage. */
void ra_gc_apply(struct ra_graph *g, const struct ra_gc_result *r);
void ra_gc_result_free(struct ra_gc_result *r);

/* gc-sim on a snapshot: per registry root, the simulated run and the pullability of
 * every tag before and after it. */
struct ra_gcsim_registry {
    struct ra_gc_result *gc;
    struct ra_registry_result *before;
    struct ra_registry_result *after;
};

struct ra_gcsim {
    struct ra_gc_opts opts;
    struct ra_snapshot *snap;
    struct ra_gcsim_registry *regs; /* one per graph */
    size_t nregs;
};

int ra_gcsim_run(struct ra_gcsim **out, const struct ra_snapshot_spec *spec,
                 const struct ra_snapshot_opts *scan_opts,
                 const struct ra_gc_opts *gc_opts, struct ra_err *err);
void ra_gcsim_free(struct ra_gcsim *s);

#endif
