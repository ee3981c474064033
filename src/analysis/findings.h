/* SPDX-License-Identifier: MIT */
/* Findings: what is wrong with a snapshot, each with a stable code (docs/findings.md),
 * a severity, and the repository, tag, digests and storage path it concerns. */
#ifndef RA_ANALYSIS_FINDINGS_H
#define RA_ANALYSIS_FINDINGS_H

#include "model/digest.h"
#include "util/common.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/vec.h"

/* Stable codes: names are part of the JSON interface; never renumber the names. */
enum ra_finding_code {
    RA_F_NONE = 0,
    RA_F_TAG_TARGET_MISSING,
    RA_F_MANIFEST_LINK_MISSING,
    RA_F_MANIFEST_BLOB_MISSING,
    RA_F_INDEX_CHILD_MISSING,
    RA_F_BLOB_MISSING,
    RA_F_LAYER_LINK_MISSING,
    RA_F_LAYER_LINK_DANGLING,
    RA_F_LINK_INVALID,
    RA_F_DIGEST_MISMATCH,
    RA_F_SIZE_MISMATCH,
    RA_F_MANIFEST_UNPARSEABLE,
    RA_F_UPLOAD_STALE,
    RA_F_BLOB_UNREFERENCED,
    RA_F_MEMBER_NOT_REGULAR,
    RA_F_READ_ERROR,
    RA_F_NAS_METADATA,
    RA_F_MEMBER_DUPLICATE,
    RA_F_UNREADABLE,
    RA_F_NAME_INVALID,
    RA_F_LIVE_TREE,
    RA_F__COUNT
};

/* The kinds of stored object a current tag needs, each a file of the storage layout. */
enum ra_object_kind {
    RA_OBJ_BLOB = 0,      /* blob data (manifest, config or layer) */
    RA_OBJ_MANIFEST_LINK, /* a repository's revision link */
    RA_OBJ_LAYER_LINK,    /* a repository's _layers link */
    RA_OBJ_TAG,           /* a tag's current link */
};

const char *ra_object_kind_name(enum ra_object_kind k);

/* A typed reference to an object a tag walk needs: what a finding says is missing. */
struct ra_object_ref {
    enum ra_object_kind kind;
    const char *repository;  /* the repository walked */
    const char *tag;         /* the tag walked; for RA_OBJ_TAG the missing tag itself */
    const char *platform;    /* the platform walked ("linux/arm64/v8"), NULL: not known */
    struct ra_digest digest; /* the missing object's; zero for RA_OBJ_TAG */
};

/* Ordered from worst to mildest. */
enum ra_severity {
    RA_SEV_CRITICAL =
        0,          /* a current tag cannot be pulled because of it, or evidence lost */
    RA_SEV_ERROR,   /* stored data is damaged, but no current tag needs it */
    RA_SEV_WARNING, /* leftovers a GC or a broken process leaves behind */
    RA_SEV_INFO,
};

struct ra_finding {
    enum ra_finding_code code;
    enum ra_severity severity;
    const char *repository; /* "" when none */
    const char *tag;        /* "" when no tag leads to it */
    int has_digest, has_parent;
    struct ra_digest digest;
    struct ra_digest parent;
    const char *path; /* storage path involved, "" when none */
    const char *message;
    /* the object a tag needs and the snapshot lacks (the *_MISSING codes of a tag
     * walk), typed; NULL for every other finding */
    const struct ra_object_ref *missing;
};

/* A set of findings; identical findings are kept once. */
struct ra_findings {
    struct ra_pool pool;
    struct ra_vec items; /* struct ra_finding * */
    struct ra_map seen;
};

/* clang-format off */
#define RA_FINDINGS_INIT {RA_POOL_INIT, RA_VEC_INIT, RA_MAP_INIT}
/* clang-format on */

/* Add a finding; strings are copied. digest/parent may be NULL. Returns the finding
 * (borrowed), or the identical one already present. */
const struct ra_finding *
ra_findings_add(struct ra_findings *f, enum ra_finding_code code, enum ra_severity sev,
                const char *repo, const char *tag, const struct ra_digest *digest,
                const struct ra_digest *parent, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));

/* Add a critical finding: an object a current tag needs is missing. Repository, tag
 * and digest (none for RA_OBJ_TAG) come from ref, which the finding keeps as `missing`
 * (copied). */
const struct ra_finding *
ra_findings_add_missing(struct ra_findings *f, enum ra_finding_code code,
                        const struct ra_object_ref *ref, const struct ra_digest *parent,
                        const char *path, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Sort by severity, code, repository, tag, digest, parent, path. */
void ra_findings_sort(struct ra_findings *f);
void ra_findings_release(struct ra_findings *f);

const char *ra_finding_code_name(enum ra_finding_code code);
const char *ra_severity_name(enum ra_severity sev);

#endif
