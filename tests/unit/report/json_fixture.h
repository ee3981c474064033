/* SPDX-License-Identifier: MIT */
/* The report tests' JSON checks (jansson; header-only, as only report tests link it):
 * a document parsed back, and a value compared with its compact form, keys sorted. */
#ifndef RA_TESTS_JSON_FIXTURE_H
#define RA_TESTS_JSON_FIXTURE_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* text (len bytes) as JSON; fails the test with the parser's message if it is not. */
static inline json_t *fix_json_load(const char *text, size_t len)
{
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);

    if (!doc)
        fail_msg("not valid JSON: %s (line %d)\n%.*s", jerr.text, jerr.line, (int)len,
                 text);
    return doc;
}

/* v (NULL: absent) as compact JSON with sorted keys is want. */
static inline void fix_json_expect(json_t *v, const char *want)
{
    char *got = v ? json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

    if (!got || strcmp(got, want))
        fail_msg("got  %s\nwant %s", got ? got : "(absent)", want);
    free(got);
}

#endif
