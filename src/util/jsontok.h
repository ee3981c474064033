/* SPDX-License-Identifier: MIT */
/* A flat JSON tokenizer for the plain documents registries hold: no tree, one array of
 * tokens. It accepts only what jansson surely accepts and gives up on the rest
 * (non-ASCII bytes, \u escapes of NUL or surrogates, numbers that might not convert
 * exactly, deep nesting), so a caller can fall back to jansson and get its answer. */
#ifndef RA_UTIL_JSONTOK_H
#define RA_UTIL_JSONTOK_H

#include "util/common.h"

enum ra_jtok_type {
    RA_JTOK_OBJECT = 1,
    RA_JTOK_ARRAY,
    RA_JTOK_STRING,
    RA_JTOK_INT, /* fits a long long */
    RA_JTOK_REAL,
    RA_JTOK_TRUE,
    RA_JTOK_FALSE,
    RA_JTOK_NULL,
};

struct ra_jtok {
    uint8_t type;    /* enum ra_jtok_type */
    uint8_t escaped; /* strings: holds a backslash escape */
    uint32_t start;  /* strings: first byte inside the quotes; others: first byte */
    uint32_t len;    /* strings: raw bytes inside the quotes */
    uint32_t next;   /* index of the token after this one's subtree */
    uint32_t size;   /* objects: members; arrays: elements */
};

/* Objects hold key and value tokens in turn; token 0 is the top-level value. */
struct ra_jdoc {
    const char *text;
    struct ra_jtok *toks;
    size_t n, cap;
    int escaped_key; /* some object key holds an escape */
};

#define RA_JDOC_INIT {NULL, NULL, 0, 0, 0}

/* Tokenize text (at most 4 GiB) into doc, replacing what it held; doc borrows text.
 * 0 when the whole text is one JSON value jansson would accept too; RA_EFORMAT when
 * the tokenizer gives up, which says nothing about whether the text is valid. */
int ra_jdoc_parse(struct ra_jdoc *doc, const char *text, size_t len);

/* The value token of the last member named key (duplicates: the last wins, as in Go
 * and jansson) of object token obj; 0 when absent or when obj is not an object. Keys
 * are compared raw: check doc->escaped_key first. */
size_t ra_jdoc_get(const struct ra_jdoc *doc, size_t obj, const char *key);

/* Children of a container token t: the first is t + 1, each next one is the .next of
 * the one before (in an object, a key's .next is its value), size (2 * size) of them. */

/* An RA_JTOK_INT's value. */
long long ra_jdoc_int(const struct ra_jdoc *doc, size_t tok);

void ra_jdoc_release(struct ra_jdoc *doc);

#endif
