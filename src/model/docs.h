/* SPDX-License-Identifier: MIT */
/* Parsed JSON documents (manifests, indexes, configs) by the digest of their bytes,
 * shared by the graphs of one run. Bytes that hash to their digest parse the same in
 * every snapshot, so each such document is parsed and kept once however many
 * snapshots hold it; memory grows with the distinct documents, not with snapshots. */
#ifndef RA_MODEL_DOCS_H
#define RA_MODEL_DOCS_H

#include <stddef.h>

#include "model/digest.h"

struct ra_docs;
struct ra_manifest;

void ra_docs_new(struct ra_docs **out);
/* Frees every document: free the graphs (and anything else that points at them)
 * first. NULL-safe. */
void ra_docs_free(struct ra_docs *d);

/* The parse of data, len bytes whose SHA-256 the caller has checked to be id (never
 * call it with unchecked bytes): *manifest (NULL when it did not parse) and
 * *parse_error (why not, or NULL), as ra_manifest_parse gives them. Parsed on the
 * first call for id and taken from d after. Both are owned by d and live as long as
 * d. */
void ra_docs_parse(struct ra_manifest **manifest, const char **parse_error,
                   struct ra_docs *d, const struct ra_digest *id, const void *data,
                   size_t len);

/* Is (manifest, parse_error) what d holds for id, i.e. owned by d? A blob taken over
 * from an earlier graph can then point at it instead of copying it. */
int ra_docs_holds(const struct ra_docs *d, const struct ra_digest *id,
                  const struct ra_manifest *manifest, const char *parse_error);

/* How many documents d holds. */
size_t ra_docs_count(const struct ra_docs *d);

#endif
