/* SPDX-License-Identifier: MIT */
/* Parsed documents shared by the graphs of one run. */
#include "model/docs.h"

#include <stdlib.h>

#include "model/manifest.h"
#include "util/map.h"
#include "util/pool.h"

struct doc {
    struct ra_digest id;
    struct ra_manifest *manifest;
    const char *parse_error;
};

struct ra_docs {
    struct ra_pool pool; /* the documents, their keys and messages */
    struct ra_map byid;  /* 32 digest bytes -> struct doc */
};

void ra_docs_new(struct ra_docs **out)
{
    *out = ra_xcalloc(1, sizeof(**out));
}

void ra_docs_free(struct ra_docs *d)
{
    if (!d)
        return;
    ra_map_release(&d->byid);
    ra_pool_release(&d->pool);
    free(d);
}

void ra_docs_parse(struct ra_manifest **manifest, const char **parse_error,
                   struct ra_docs *d, const struct ra_digest *id, const void *data,
                   size_t len)
{
    struct ra_err perr = RA_ERR_INIT;
    struct doc *doc = ra_map_get(&d->byid, id->b, sizeof(id->b));

    if (!doc) {
        doc = ra_pool_alloc(&d->pool, sizeof(*doc));
        doc->id = *id; /* the map borrows the document's own copy */
        doc->manifest = NULL;
        doc->parse_error = NULL;
        if (ra_manifest_parse(&doc->manifest, &d->pool, data, len, &perr) < 0)
            doc->parse_error = ra_pool_strdup(&d->pool, perr.msg);
        ra_map_put(&d->byid, doc->id.b, sizeof(doc->id.b), doc);
    }
    *manifest = doc->manifest;
    *parse_error = doc->parse_error;
}

int ra_docs_holds(const struct ra_docs *d, const struct ra_digest *id,
                  const struct ra_manifest *manifest, const char *parse_error)
{
    const struct doc *doc = ra_map_get(&d->byid, id->b, sizeof(id->b));

    return doc && doc->manifest == manifest && doc->parse_error == parse_error;
}

size_t ra_docs_count(const struct ra_docs *d)
{
    return d->byid.count;
}
