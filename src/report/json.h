/* SPDX-License-Identifier: MIT */
/* The report layer's JSON building blocks (jansson): strings from untrusted names made
 * valid UTF-8, UTC times, digests, and the one way documents are written out. */
#ifndef RA_REPORT_JSON_H
#define RA_REPORT_JSON_H

#include <stdio.h>

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

struct ra_log_event;
/* A request as a log recorded it: {log, line, time, method, uri, status, repository,
 * reference, remote_addr, user, user_agent}; what the log lacks is null. */
json_t *ra_json_log_request(const char *log, const struct ra_log_event *ev);

/* Append doc (sorted keys, flags' indent, a final newline) to out and release doc.
 * RA_ERROR "<what>: cannot serialise the JSON document" when jansson fails. */
int ra_json_write(struct ra_buf *out, json_t *doc, size_t flags, const char *what,
                  struct ra_err *err);

/* A document written as it is built, for one too large to hold as a tree (gc-sim's
 * delete lists run to a hundred MB at a million entries): the text is byte for byte
 * what ra_json_write(JSON_INDENT(2)) of the whole tree gives, provided every object's
 * keys come in sorted order. Values are small trees, written and released at once. The
 * text goes to out and, whenever out holds more than 64 KiB, on to flush when that is
 * not NULL. */
#define RA_JSONW_DEPTH 32
struct ra_jsonw {
    struct ra_buf *out;
    FILE *flush;
    int depth;                          /* containers open */
    unsigned char some[RA_JSONW_DEPTH]; /* a member written at that depth */
    char close[RA_JSONW_DEPTH];         /* '}' or ']' for the container at that depth */
    int failed;                         /* jansson or a write failed */
};

void ra_jsonw_init(struct ra_jsonw *w, struct ra_buf *out, FILE *flush);
/* Open an object ('{') or array ('['): the value of key in an object, an element in
 * an array (key NULL), or the document. */
void ra_jsonw_open(struct ra_jsonw *w, const char *key, char bracket);
void ra_jsonw_close(struct ra_jsonw *w);
/* Write v (released) as key's value or as an element. */
void ra_jsonw_value(struct ra_jsonw *w, const char *key, json_t *v);
/* End the document (a final newline) and flush. RA_ERROR "<what>: cannot serialise
 * or write the JSON document" when anything failed. */
int ra_jsonw_finish(struct ra_jsonw *w, const char *what, struct ra_err *err);

#endif
