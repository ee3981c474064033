/* SPDX-License-Identifier: MIT */
/* Manifest, index, schema 1 and image config parser: the jansson adapter of model/.
 * Lenient where Go's encoding/json (Distribution 2.8, containerd) is lenient. */
#include "model/manifest.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>

#include <jansson.h>

#include "util/pool.h"

/* Untrusted text quoted in an error message is cut to this many bytes. */
#define SHOW_MAX 80

enum ref_kind {
    REF_LAYER,   /* descriptor: config, layers[], subject */
    REF_CHILD,   /* descriptor with a platform: manifests[] of an index */
    REF_BLOBSUM, /* schema 1 fsLayers[] entry: only a digest */
};

struct parser {
    struct ra_pool *pool;
    struct ra_err *err;
};

static const struct {
    const char *media_type;
    enum ra_manifest_kind kind;
} known_types[] = {
    {RA_MT_OCI_INDEX, RA_MANIFEST_INDEX},
    {RA_MT_DOCKER_LIST, RA_MANIFEST_INDEX},
    {RA_MT_OCI_MANIFEST, RA_MANIFEST_IMAGE},
    {RA_MT_DOCKER_V2, RA_MANIFEST_IMAGE},
    {RA_MT_DOCKER_V1, RA_MANIFEST_SCHEMA1},
    {RA_MT_DOCKER_V1_SIGNED, RA_MANIFEST_SCHEMA1},
};

/* Indexed by json_type. */
static const char *const type_names[] = {
    "an object", "an array", "a string", "an integer", "a real", "true", "false", "null",
};

int ra_manifest_looks_like_json(const void *data, size_t len)
{
    const unsigned char *p = data, *end;

    if (!data)
        return 0;
    end = p + len;
    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
        p += 3;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p < end && *p == '{';
}

/* A one-line, ASCII copy of untrusted text for an error message. */
static const char *printable(char dst[SHOW_MAX], const char *src, size_t len)
{
    size_t i, n = len < SHOW_MAX - 4 ? len : SHOW_MAX - 4;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
    }
    if (n < len) {
        memcpy(dst + n, "...", 3);
        n += 3;
    }
    dst[n] = '\0';
    return dst;
}

/* RA_EFORMAT with "manifest: <path>: <what>", or "manifest: <what>" at the top level. */
static int fail(struct parser *p, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, const char *path, const char *fmt, ...)
{
    char what[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return ra_err_set(p->err, RA_EFORMAT, "manifest: %s%s%s", path, *path ? ": " : "",
                      what);
}

/* Member key of obj when it has type t. *out is NULL when the member is absent or null
 * (Go cannot tell these apart), which is RA_EFORMAT if required. */
static int get_member(json_t **out, struct parser *p, json_t *obj, const char *key,
                      json_type t, int required, const char *path)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return required ? fail(p, path, "missing '%s'", key) : 0;
    if (json_typeof(v) != t)
        return fail(p, path, "'%s' is not %s", key, type_names[t]);
    *out = v;
    return 0;
}

/* Optional string member, borrowed; "" counts as absent too. */
static int get_string(const char **out, struct parser *p, json_t *obj, const char *key,
                      const char *path)
{
    json_t *v;
    int error;

    *out = NULL;
    if ((error = get_member(&v, p, obj, key, JSON_STRING, 0, path)) < 0)
        return error;
    if (v && json_string_length(v))
        *out = json_string_value(v);
    return 0;
}

static int pool_string(const char **out, struct parser *p, json_t *obj, const char *key,
                       const char *path)
{
    int error;

    if ((error = get_string(out, p, obj, key, path)) < 0)
        return error;
    if (*out)
        *out = ra_pool_strdup(p->pool, *out);
    return 0;
}

/* A string member or NULL, with no type error: for image configs, which we only sniff. */
static const char *member_string(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* "os/arch" or "os/arch/variant" in the pool; NULL when os and arch are both empty. */
static const char *format_platform(struct ra_pool *pool, const char *os, const char *arch,
                                   const char *variant)
{
    size_t n;
    char *s;

    os = os ? os : "";
    arch = arch ? arch : "";
    if (!*os && !*arch)
        return NULL;
    n = strlen(os) + strlen(arch) + (variant ? strlen(variant) : 0) + 3;
    s = ra_pool_alloc(pool, n);
    if (variant && *variant)
        snprintf(s, n, "%s/%s/%s", os, arch, variant);
    else
        snprintf(s, n, "%s/%s", os, arch);
    return s;
}

static int parse_platform(const char **out, struct parser *p, json_t *desc,
                          const char *path)
{
    const char *os, *arch, *variant;
    char ppath[64];
    json_t *plat;
    int error;

    *out = NULL;
    if ((error = get_member(&plat, p, desc, "platform", JSON_OBJECT, 0, path)) < 0)
        return error;
    if (!plat)
        return 0;
    snprintf(ppath, sizeof(ppath), "%s.platform", path);
    if ((error = get_string(&os, p, plat, "os", ppath)) < 0)
        return error;
    if ((error = get_string(&arch, p, plat, "architecture", ppath)) < 0)
        return error;
    if ((error = get_string(&variant, p, plat, "variant", ppath)) < 0)
        return error;
    *out = format_platform(p->pool, os, arch, variant);
    return 0;
}

static int parse_digest(struct ra_digest *out, struct parser *p, json_t *obj,
                        const char *key, const char *path)
{
    char show[SHOW_MAX];
    json_t *v;
    int error;

    if ((error = get_member(&v, p, obj, key, JSON_STRING, 1, path)) < 0)
        return error;
    if (ra_digest_parse(out, json_string_value(v), json_string_length(v)) < 0)
        return fail(p, path, "bad digest '%s'",
                    printable(show, json_string_value(v), json_string_length(v)));
    return 0;
}

static int parse_descriptor(struct ra_descriptor *d, struct parser *p, json_t *v,
                            const char *path, enum ref_kind kind)
{
    json_t *size, *urls;
    int error;

    if ((error = parse_digest(&d->digest, p, v, "digest", path)) < 0)
        return error;
    if ((error = get_member(&size, p, v, "size", JSON_INTEGER, 1, path)) < 0)
        return error;
    if ((d->size = json_integer_value(size)) < 0)
        return fail(p, path, "negative size %lld", (long long)d->size);
    if ((error = pool_string(&d->media_type, p, v, "mediaType", path)) < 0)
        return error;
    if ((error = pool_string(&d->artifact_type, p, v, "artifactType", path)) < 0)
        return error;
    if ((error = get_member(&urls, p, v, "urls", JSON_ARRAY, 0, path)) < 0)
        return error;
    d->has_urls = json_array_size(urls) > 0;
    if (kind == REF_CHILD)
        return parse_platform(&d->platform, p, v, path);
    return 0;
}

static int parse_ref(struct ra_descriptor *d, struct parser *p, json_t *v,
                     const char *path, enum ref_kind kind)
{
    if (!json_is_object(v))
        return fail(p, "", "%s is not an object", path);
    if (kind != REF_BLOBSUM)
        return parse_descriptor(d, p, v, path, kind);
    d->size = -1;
    return parse_digest(&d->digest, p, v, "blobSum", path);
}

/* layers[], manifests[] or fsLayers[] into m->refs. A null array is empty: Go marshals
 * a nil slice as null, and Go clients and the registry read it back as empty. */
static int parse_refs(struct ra_manifest *m, struct parser *p, json_t *root,
                      const char *key, enum ref_kind kind)
{
    char path[64];
    size_t i, n, bytes;
    json_t *arr;
    int error;

    if (!json_object_get(root, key))
        return fail(p, "", "missing '%s'", key);
    if ((error = get_member(&arr, p, root, key, JSON_ARRAY, 0, "")) < 0)
        return error;
    if (!(n = json_array_size(arr)))
        return 0;
    if (ra_mul_overflow(&bytes, n, sizeof(*m->refs)) < 0)
        return ra_err_set(p->err, RA_ELIMIT, "manifest: too many '%s'", key);
    m->refs = ra_pool_alloc(p->pool, bytes);
    m->nrefs = n;
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s[%zu]", key, i);
        if ((error = parse_ref(&m->refs[i], p, json_array_get(arr, i), path, kind)) < 0)
            return error;
    }
    return 0;
}

/* config or subject: an object member holding one descriptor. */
static int parse_member(struct ra_descriptor *d, int *has, struct parser *p, json_t *root,
                        const char *key, int required)
{
    json_t *v;
    int error;

    if ((error = get_member(&v, p, root, key, JSON_OBJECT, required, "")) < 0)
        return error;
    if (!v)
        return 0;
    *has = 1;
    return parse_descriptor(d, p, v, key, REF_LAYER);
}

/* OCI 1.1 referrer fields, on images and indexes alike. */
static int parse_referrer(struct ra_manifest *m, struct parser *p, json_t *root)
{
    int error;

    if ((error = parse_member(&m->subject, &m->has_subject, p, root, "subject", 0)) < 0)
        return error;
    return pool_string(&m->artifact_type, p, root, "artifactType", "");
}

static enum ra_manifest_kind infer_kind(json_t *root)
{
    if (json_is_array(json_object_get(root, "manifests")))
        return RA_MANIFEST_INDEX;
    if (json_is_object(json_object_get(root, "config")) &&
        json_is_array(json_object_get(root, "layers")))
        return RA_MANIFEST_IMAGE;
    if (json_is_array(json_object_get(root, "fsLayers")))
        return RA_MANIFEST_SCHEMA1;
    if (json_is_string(json_object_get(root, "os")) &&
        json_is_string(json_object_get(root, "architecture")))
        return RA_MANIFEST_CONFIG;
    return RA_MANIFEST_NONE;
}

static const char *inferred_type(enum ra_manifest_kind kind, json_t *root)
{
    json_t *version = json_object_get(root, "schemaVersion");

    switch (kind) {
    case RA_MANIFEST_INDEX:
        return RA_MT_OCI_INDEX;
    case RA_MANIFEST_IMAGE:
        return json_is_integer(version) && json_integer_value(version) == 2
                   ? RA_MT_OCI_MANIFEST
                   : NULL;
    case RA_MANIFEST_SCHEMA1:
        return json_object_get(root, "signatures") ? RA_MT_DOCKER_V1_SIGNED
                                                   : RA_MT_DOCKER_V1;
    default:
        return NULL;
    }
}

/* Kind from the declared mediaType; from the fields when it is absent or unknown. */
static int detect_kind(struct ra_manifest *m, struct parser *p, json_t *root)
{
    const char *mt;
    size_t i;
    int error;

    if ((error = get_string(&mt, p, root, "mediaType", "")) < 0)
        return error;
    if (!mt) {
        m->kind = infer_kind(root);
        m->media_type = inferred_type(m->kind, root);
        m->media_type_inferred = 1;
        return 0;
    }
    m->media_type = ra_pool_strdup(p->pool, mt);
    for (i = 0; i < RA_ARRAY_SIZE(known_types); i++) {
        if (!strcmp(mt, known_types[i].media_type)) {
            m->kind = known_types[i].kind;
            return 0;
        }
    }
    m->kind = infer_kind(root);
    return 0;
}

static int parse_body(struct ra_manifest *m, struct parser *p, json_t *root)
{
    int error;

    switch (m->kind) {
    case RA_MANIFEST_INDEX:
        if ((error = parse_refs(m, p, root, "manifests", REF_CHILD)) < 0)
            return error;
        return parse_referrer(m, p, root);
    case RA_MANIFEST_IMAGE:
        if ((error = parse_member(&m->config, &m->has_config, p, root, "config", 1)) < 0)
            return error;
        if ((error = parse_refs(m, p, root, "layers", REF_LAYER)) < 0)
            return error;
        return parse_referrer(m, p, root);
    case RA_MANIFEST_SCHEMA1:
        return parse_refs(m, p, root, "fsLayers", REF_BLOBSUM);
    case RA_MANIFEST_CONFIG:
        /* infer_kind saw string "os" and "architecture"; "variant" is optional */
        m->platform = format_platform(p->pool, member_string(root, "os"),
                                      member_string(root, "architecture"),
                                      member_string(root, "variant"));
        return 0;
    case RA_MANIFEST_NONE:
        break;
    }
    return 0;
}

static int load_object(json_t **out, const void *data, size_t len, struct ra_err *err)
{
    json_error_t jerr;
    char show[SHOW_MAX];

    /* No JSON_REJECT_DUPLICATES: like Go, the last duplicate key wins. */
    *out = json_loadb(len ? data : "", len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!*out)
        return ra_err_set(err, RA_EFORMAT,
                          "manifest: invalid JSON at line %d column %d: %s", jerr.line,
                          jerr.column, printable(show, jerr.text, strlen(jerr.text)));
    if (!json_is_object(*out))
        return ra_err_set(err, RA_EFORMAT,
                          "manifest: top-level value is %s, not an object",
                          type_names[json_typeof(*out)]);
    return 0;
}

int ra_manifest_parse(struct ra_manifest **out, struct ra_pool *pool, const void *data,
                      size_t len, struct ra_err *err)
{
    struct parser p = {pool, err};
    struct ra_manifest *m;
    json_t *root = NULL;
    int error;

    assert(out && pool && (data || !len));
    *out = NULL;

    if (len > RA_MANIFEST_MAX) {
        error =
            ra_err_set(err, RA_ELIMIT, "manifest: %zu bytes is over the %d-byte limit",
                       len, RA_MANIFEST_MAX);
        goto done;
    }
    if ((error = load_object(&root, data, len, err)) < 0)
        goto done;

    m = ra_pool_alloc(pool, sizeof(*m));
    if ((error = detect_kind(m, &p, root)) < 0)
        goto done;
    if ((error = parse_body(m, &p, root)) < 0)
        goto done;
    *out = m;

done:
    json_decref(root);
    return error;
}

static const char *copy_str(struct ra_pool *pool, const char *s)
{
    return s ? ra_pool_strdup(pool, s) : NULL;
}

static void copy_descriptor(struct ra_pool *pool, struct ra_descriptor *d)
{
    d->media_type = copy_str(pool, d->media_type);
    d->platform = copy_str(pool, d->platform);
    d->artifact_type = copy_str(pool, d->artifact_type);
}

struct ra_manifest *ra_manifest_copy(struct ra_pool *pool, const struct ra_manifest *m)
{
    struct ra_manifest *c = ra_pool_alloc(pool, sizeof(*c));
    size_t i;

    *c = *m;
    c->media_type = copy_str(pool, m->media_type);
    c->artifact_type = copy_str(pool, m->artifact_type);
    c->platform = copy_str(pool, m->platform);
    copy_descriptor(pool, &c->config);
    copy_descriptor(pool, &c->subject);
    if (m->refs) { /* an empty array has a pointer too */
        c->refs = ra_pool_alloc(pool, (m->nrefs ? m->nrefs : 1) * sizeof(*c->refs));
        for (i = 0; i < m->nrefs; i++) {
            c->refs[i] = m->refs[i];
            copy_descriptor(pool, &c->refs[i]);
        }
    }
    return c;
}
