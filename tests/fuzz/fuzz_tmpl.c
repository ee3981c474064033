/* SPDX-License-Identifier: MIT */
/* Fuzz target: the template engine (report/tmpl). The input is split at NUL bytes:
 *   DATA \0 TEMPLATE [\0 NAME \n PARTIAL]...
 * DATA is JSON for the context (invalid JSON renders with no data), TEMPLATE the main
 * template, and each later part a partial whose first line is its name; without a NUL
 * the whole input is the template. Checks: the documented return codes, an error
 * message on failure, and that a failed render leaves the output as it was. */
#include "fuzz.h"

#include <string.h>

#include <jansson.h>

#include "report/tmpl.h"

#define MAX_PARTS 16

struct parts {
    const char *ptr[MAX_PARTS];
    size_t len[MAX_PARTS];
    size_t n;
};

static void split(struct parts *p, const char *s, size_t len)
{
    const char *end = s + len, *nul;

    p->n = 0;
    while (p->n < MAX_PARTS - 1 && (nul = memchr(s, '\0', (size_t)(end - s)))) {
        p->ptr[p->n] = s;
        p->len[p->n++] = (size_t)(nul - s);
        s = nul + 1;
    }
    p->ptr[p->n] = s;
    p->len[p->n++] = (size_t)(end - s);
}

/* Partials are parts 2.. of the input, found by their first line. */
static int loader(struct ra_buf *out, const char *name, void *payload, struct ra_err *err)
{
    const struct parts *p = payload;
    size_t i, n = strlen(name);
    const char *nl;

    (void)err;
    for (i = 2; i < p->n; i++) {
        nl = memchr(p->ptr[i], '\n', p->len[i]);
        if (nl && (size_t)(nl - p->ptr[i]) == n && !memcmp(p->ptr[i], name, n)) {
            ra_buf_put(out, nl + 1, p->len[i] - n - 1);
            return 0;
        }
    }
    return RA_ENOTFOUND;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct parts p;
    json_t *json = NULL;
    const char *src;
    size_t len;
    int rc;

    split(&p, (const char *)data, size);
    if (p.n == 1) {
        src = p.ptr[0];
        len = p.len[0];
    } else {
        json = json_loadb(p.ptr[0], p.len[0], JSON_DECODE_ANY, NULL);
        src = p.ptr[1];
        len = p.len[1];
    }
    ra_buf_puts(&out, "before|");
    rc = ra_tmpl_render(&out, "fuzz.md", src, len, json, loader, &p, &err);
    if (rc < 0) {
        FUZZ_CHECK(rc == RA_EFORMAT || rc == RA_ENOTFOUND || rc == RA_ELIMIT);
        FUZZ_CHECK(err.code == rc && err.msg[0] != '\0');
        FUZZ_CHECK(out.len == strlen("before|") && !memcmp(out.ptr, "before|", out.len));
    } else {
        FUZZ_CHECK(rc == 0 && out.len >= strlen("before|"));
    }
    json_decref(json);
    ra_buf_release(&out);
    return 0;
}
