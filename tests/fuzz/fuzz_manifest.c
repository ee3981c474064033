/* SPDX-License-Identifier: MIT */
/* Fuzz target: the manifest, index, schema 1 and image config parser (model/manifest).
 * The input is one blob. Checks: the documented return codes, *out set exactly on
 * success, an error message on failure, every string of the result readable. */
#include "fuzz.h"

#include <string.h>

#include "model/manifest.h"
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ra_pool pool = RA_POOL_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_manifest *m = (struct ra_manifest *)&pool; /* must be overwritten */
    volatile size_t sum = 0;
    size_t i;
    int rc;

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
