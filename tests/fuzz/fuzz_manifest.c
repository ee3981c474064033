/* SPDX-License-Identifier: MIT */
/* Fuzz target: the manifest, index, schema 1 and image config parser (model/manifest)
 * and its fast-path tokenizer (util/jsontok). The input is one blob. Checks: the
 * documented return codes, *out set exactly on success, an error message on failure,
 * every string of the result readable; and, differentially, that whatever the tokenizer
 * accepts jansson reads the same way (as model/manifest calls it): same types, array
 * sizes, integers, unescaped strings, and for each object key the last duplicate. */
#include "fuzz.h"

#include <string.h>

#include <jansson.h>

#include "model/manifest.h"
#include "util/jsontok.h"
#include "util/pool.h"

static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static size_t touch_descriptor(const struct ra_descriptor *d)
{
    return touch(d->media_type) + touch(d->platform) + touch(d->artifact_type) +
           (size_t)d->digest.b[0];
}

static void same_value(const struct ra_jdoc *doc, size_t t, json_t *v);

static void same_object(const struct ra_jdoc *doc, size_t t, json_t *v)
{
    const struct ra_jtok *tk = &doc->toks[t];
    size_t i, k = t + 1, val = 0;
    char key[256];

    FUZZ_CHECK(json_is_object(v));
    if (doc->escaped_key)
        return; /* "a" and "\u0061" are the same key to jansson, not to ra_jdoc_get */
    for (i = 0; i < tk->size; i++, k = doc->toks[val].next) {
        FUZZ_CHECK(k < doc->n && doc->toks[k].type == RA_JTOK_STRING);
        val = doc->toks[k].next;
        FUZZ_CHECK(val < doc->n);
        if (doc->toks[k].escaped || doc->toks[k].len >= sizeof(key) ||
            memchr(doc->text + doc->toks[k].start, '\0', doc->toks[k].len))
            continue;
        memcpy(key, doc->text + doc->toks[k].start, doc->toks[k].len);
        key[doc->toks[k].len] = '\0';
        if (ra_jdoc_get(doc, t, key) != val)
            continue; /* an earlier duplicate: the last one wins */
        same_value(doc, val, json_object_get(v, key));
    }
}

/* The token tree at t reads as jansson's value v. */
static void same_value(const struct ra_jdoc *doc, size_t t, json_t *v)
{
    const struct ra_jtok *tk = &doc->toks[t];
    size_t i, c;

    FUZZ_CHECK(v != NULL && tk->next > t && tk->next <= doc->n);
    switch (tk->type) {
    case RA_JTOK_OBJECT:
        same_object(doc, t, v);
        break;
    case RA_JTOK_ARRAY:
        FUZZ_CHECK(json_is_array(v) && json_array_size(v) == tk->size);
        for (i = 0, c = t + 1; i < tk->size; i++, c = doc->toks[c].next)
            same_value(doc, c, json_array_get(v, i));
        break;
    case RA_JTOK_STRING:
        FUZZ_CHECK(json_is_string(v));
        if (!tk->escaped)
            FUZZ_CHECK(json_string_length(v) == tk->len &&
                       !memcmp(json_string_value(v), doc->text + tk->start, tk->len));
        break;
    case RA_JTOK_INT:
        FUZZ_CHECK(json_is_integer(v) && json_integer_value(v) == ra_jdoc_int(doc, t));
        break;
    case RA_JTOK_REAL:
        FUZZ_CHECK(json_is_real(v));
        break;
    case RA_JTOK_TRUE:
        FUZZ_CHECK(json_is_true(v));
        break;
    case RA_JTOK_FALSE:
        FUZZ_CHECK(json_is_false(v));
        break;
    case RA_JTOK_NULL:
        FUZZ_CHECK(json_is_null(v));
        break;
    default:
        FUZZ_CHECK(!"unknown token type");
    }
}

static void check_tokenizer(const uint8_t *data, size_t size)
{
    struct ra_jdoc doc = RA_JDOC_INIT;
    json_t *root;

    if (ra_jdoc_parse(&doc, (const char *)data, size) == 0) {
        root = json_loadb(size ? (const char *)data : "", size,
                          JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        FUZZ_CHECK(root != NULL && doc.n > 0 && doc.toks[0].next == doc.n);
        same_value(&doc, 0, root);
        json_decref(root);
    }
    ra_jdoc_release(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ra_pool pool = RA_POOL_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_manifest *m = (struct ra_manifest *)&pool; /* must be overwritten */
    volatile size_t sum = 0;
    size_t i;
    int rc;

    check_tokenizer(data, size);
    (void)ra_manifest_looks_like_json(data, size);
    rc = ra_manifest_parse(&m, &pool, data, size, &err);
    if (rc < 0) {
        FUZZ_CHECK(rc == RA_EFORMAT || rc == RA_ELIMIT);
        FUZZ_CHECK(m == NULL);
        FUZZ_CHECK(err.code == rc && err.msg[0] != '\0');
        FUZZ_CHECK(memchr(err.msg, '\n', strlen(err.msg)) == NULL);
    } else {
        FUZZ_CHECK(rc == 0 && m != NULL);
        FUZZ_CHECK(m->kind >= RA_MANIFEST_NONE && m->kind <= RA_MANIFEST_CONFIG);
        FUZZ_CHECK(m->nrefs == 0 || m->refs != NULL);
        sum += touch(m->media_type) + touch(m->artifact_type) + touch(m->platform);
        if (m->has_config)
            sum += touch_descriptor(&m->config);
        if (m->has_subject)
            sum += touch_descriptor(&m->subject);
        for (i = 0; i < m->nrefs; i++)
            sum += touch_descriptor(&m->refs[i]);
    }
    (void)sum;
    ra_pool_release(&pool);
    return 0;
}
