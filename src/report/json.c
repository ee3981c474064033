/* SPDX-License-Identifier: MIT */
/* The report layer's JSON building blocks. */
#include "report/json.h"

#include <stdlib.h>

#include "util/text.h"

json_t *ra_json_str(const char *s)
{
    struct ra_buf b = RA_BUF_INIT;
    json_t *j;

    if (!s)
        return json_null();
    j = json_string(ra_text_safe(&b, s, RA_TEXT_UTF8));
    ra_buf_release(&b);
    return j ? j : json_string("");
}

json_t *ra_json_time(ra_time t)
{
    char s[RA_TIME_STRLEN];
    return t == RA_TIME_NONE ? json_null() : json_string(ra_time_format(s, t));
}

json_t *ra_json_digest(const struct ra_digest *d)
{
    char hex[RA_DIGEST_STRLEN];
    return json_string(ra_digest_format(hex, d));
}

json_t *ra_json_digest_or_null(const struct ra_digest *d)
{
    return ra_digest_is_zero(d) ? json_null() : ra_json_digest(d);
}

json_t *ra_json_digest_short(const struct ra_digest *d)
{
    char hex[RA_DIGEST_STRLEN];
    return json_string(ra_digest_short(hex, d));
}

json_t *ra_json_where(const char *path, unsigned line)
{
    struct ra_buf b = RA_BUF_INIT;
    json_t *j;

    ra_buf_printf(&b, "%s:%u", path, line);
    j = ra_json_str(b.ptr);
    ra_buf_release(&b);
    return j;
}

static int append(const char *text, size_t len, void *payload)
{
    ra_buf_put(payload, text, len);
    return 0;
}

int ra_json_write(struct ra_buf *out, json_t *doc, size_t flags, const char *what,
                  struct ra_err *err)
{
    size_t start = out->len;
    int rc = json_dump_callback(doc, append, out, flags | JSON_SORT_KEYS);

    json_decref(doc);
    if (rc) {
        ra_buf_truncate(out, start);
        return ra_err_set(err, RA_ERROR, "%s: cannot serialise the JSON document", what);
    }
    ra_buf_putc(out, '\n');
    return 0;
}
