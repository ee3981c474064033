/* SPDX-License-Identifier: MIT */
/* Regression checks: an expected JSON document (a report model written by report --json,
 * or a hand-trimmed part of one) matched as a subset of the actual report model. */
#ifndef RA_REPORT_CHECK_H
#define RA_REPORT_CHECK_H

#include "util/buf.h"

struct json_t; /* jansson's json_t, so includers need not include <jansson.h> */

/* Arrays whose element pairs (expected x actual) would need more match cells than
 * this are refused with RA_ELIMIT. */
#define RA_CHECK_MAX_CELLS ((size_t)1 << 24)

/*
 * Match `expected` against `actual` (both borrowed, neither modified):
 *
 *   - objects: every key of `expected` must be in `actual` with a matching value; keys
 *     `expected` lacks are not checked. An actual null counts as an object without keys;
 *   - arrays: every scalar element of `expected` must equal some element of `actual`
 *     (a set: order and repetition do not matter); every object or array element must
 *     match some object or array element of `actual`, each actual element matching at
 *     most one expected element (the best assignment is found, order does not matter);
 *   - scalars: same type and value; numbers exactly (1 and 1.0 are equal, 1 and 1.5 not).
 *
 * Appends one line per difference to `diffs`, each "- PATH: what\n", and adds their
 * count to *ndiffs. PATH is dotted (`impact.broken_count`); an element of an array is
 * named by its most identifying scalar keys, in this order of preference: code and
 * digest, repository and tag, name, job, platform, digest, path, snapshot, title; else
 * by its index in `expected` (`impact.broken_all[repository=infra-ci,tag=latest]`,
 * `notes[0]`). Values print as compact JSON, objects and arrays as "an object" and
 * "an array". The lines are:
 *
 *   - PATH: missing                         (no such key, or no element to match)
 *   - PATH: expected X, got Y               (a different scalar, or a different type)
 *   - PATH: missing element X; got [...]    (a scalar not in an array)
 *
 * An unmatched object element is compared with the actual element that shares its
 * identifying keys (the closest one if several do, or if it is named by index), so the
 * lines name the leaves that differ.
 *
 * *nchecked receives the number of expectations: the leaves of `expected` (scalars,
 * empty objects and empty arrays). Returns 0 (whether or not anything differs), or
 * RA_ELIMIT (message in err) when an array is too large to match; `diffs` may then
 * hold part of the differences.
 */
int ra_check_subset(struct ra_buf *diffs, size_t *ndiffs, size_t *nchecked,
                    struct json_t *expected, struct json_t *actual, struct ra_err *err);

/*
 * Read an expectation file: a JSON object (duplicate keys refused). The caller owns
 * *out (json_decref). Returns 0, RA_ENOTFOUND or RA_EIO (cannot open or read),
 * RA_EFORMAT (not JSON: "'PATH': line L, column C: jansson's text"; or not an object).
 */
int ra_check_load(struct json_t **out, const char *path, struct ra_err *err);

#endif
