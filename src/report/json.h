/* SPDX-License-Identifier: MIT */
/* The report layer's JSON building blocks (jansson): strings from untrusted names made
 * valid UTF-8, UTC times, digests, and the one way documents are written out. */
#ifndef RA_REPORT_JSON_H
#define RA_REPORT_JSON_H

#include <jansson.h>

#include "model/digest.h"
#include "util/buf.h"
#include "util/time.h"

/* A string, invalid UTF-8 bytes as "\xNN"; null for NULL. */
json_t *ra_json_str(const char *s);
/* "2026-04-12T01:00:00Z", or null for RA_TIME_NONE. */
json_t *ra_json_time(ra_time t);
/* "sha256:<hex>". */
json_t *ra_json_digest(const struct ra_digest *d);
/* The same, or null for the all-zero digest (no digest). */
json_t *ra_json_digest_or_null(const struct ra_digest *d);
/* "sha256:<12 hex>". */
json_t *ra_json_digest_short(const struct ra_digest *d);
/* "path:line". */
json_t *ra_json_where(const char *path, unsigned line);

/* Append doc (sorted keys, flags' indent, a final newline) to out and release doc.
 * RA_ERROR "<what>: cannot serialise the JSON document" when jansson fails. */
int ra_json_write(struct ra_buf *out, json_t *doc, size_t flags, const char *what,
                  struct ra_err *err);

#endif
