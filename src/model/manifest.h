/* SPDX-License-Identifier: MIT */
/* Parsed manifests, indexes and image configs: only what pullability and GC need.
 * Everything a parsed manifest points to lives in the ra_pool given to the parser. */
#ifndef RA_MODEL_MANIFEST_H
#define RA_MODEL_MANIFEST_H

#include "model/digest.h"
#include "util/common.h"

struct ra_pool;

/* Manifests are at most 4 MiB (Distribution's limit). */
#define RA_MANIFEST_MAX (4 * 1024 * 1024)

enum ra_manifest_kind {
    RA_MANIFEST_NONE = 0, /* JSON, but neither a manifest nor an image config */
    RA_MANIFEST_INDEX,    /* OCI image index or Docker manifest list */
    RA_MANIFEST_IMAGE,    /* OCI image manifest or Docker schema 2 manifest */
    RA_MANIFEST_SCHEMA1,  /* legacy Docker schema 1 (signed or not) */
    RA_MANIFEST_CONFIG,   /* an image config blob (has os/architecture) */
};

struct ra_descriptor {
    const char *media_type; /* NULL when absent */
    struct ra_digest digest;
    int64_t size;              /* -1 when absent (schema 1) */
    const char *platform;      /* "os/arch[/variant]" for index children, else NULL */
    const char *artifact_type; /* OCI 1.1, NULL when absent */
    int has_urls;              /* foreign / non-distributable layer with urls[] */
};

struct ra_manifest {
    enum ra_manifest_kind kind;
    const char *media_type;    /* declared, or inferred from the fields */
    int media_type_inferred;   /* 1 when the document had no mediaType */
    const char *artifact_type; /* OCI 1.1 artifactType, NULL when absent */
    int has_config;
    struct ra_descriptor config; /* RA_MANIFEST_IMAGE */
    struct ra_descriptor *refs;  /* layers (image, schema1) or children (index) */
    size_t nrefs;
    int has_subject;
    struct ra_descriptor subject; /* OCI 1.1 referrer subject */
    const char *platform;         /* RA_MANIFEST_CONFIG: "os/arch[/variant]" */
};

/* Quick test on the first bytes of a blob: could it be JSON (a manifest or config)?
 * True when the first byte after an optional UTF-8 BOM and JSON whitespace is '{'. */
int ra_manifest_looks_like_json(const void *data, size_t len);

/* Parse a JSON document into *out, allocated in pool. Returns:
 *   0           a manifest, index, schema-1 manifest or image config (see kind);
 *               RA_MANIFEST_NONE for other valid JSON objects;
 *   RA_EFORMAT  not valid JSON, not an object, too deep, or a manifest whose required
 *               fields are missing or of the wrong type (err says which);
 *   RA_ELIMIT   larger than RA_MANIFEST_MAX.
 * On failure *out is NULL and err says what failed; what was already allocated stays in
 * pool until it is released. Lenient where Go's encoding/json is: the last duplicate key
 * wins, a null or "" member counts as absent, and a null array as an empty one. */
int ra_manifest_parse(struct ra_manifest **out, struct ra_pool *pool, const void *data,
                      size_t len, struct ra_err *err);

/* A deep copy of m (every string and descriptor) allocated from pool: the manifest of
 * a blob taken over from another graph. Infallible (allocation failures abort). */
struct ra_manifest *ra_manifest_copy(struct ra_pool *pool, const struct ra_manifest *m);

/* Media types. */
#define RA_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define RA_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define RA_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define RA_MT_DOCKER_V2 "application/vnd.docker.distribution.manifest.v2+json"
#define RA_MT_DOCKER_V1 "application/vnd.docker.distribution.manifest.v1+json"
#define RA_MT_DOCKER_V1_SIGNED "application/vnd.docker.distribution.manifest.v1+prettyjws"

#endif
