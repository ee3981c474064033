/* SPDX-License-Identifier: MIT */
/* Regression checks: subset matching of an expected JSON document against the report
 * model, with one readable line per difference. */
#include "report/check.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include <jansson.h>

/* One pass over `expected`. With out NULL nothing is printed and the path is not kept
 * (a comparison made only to pick or pair elements). */
struct walk {
    struct ra_buf *out;  /* difference lines, or NULL */
    struct ra_buf *path; /* the current path, when out is set */
    int quick;           /* stop at the first difference */
    int *error;          /* shared: RA_ELIMIT once an array was too large */
    struct ra_err *err;
};

static size_t walk(struct walk *w, json_t *exp, json_t *act);

/* Keys that name an array element, most identifying first. */
static const char *const id_keys[][3] = {
    {"code", "digest", NULL}, {"repository", "tag", NULL},
    {"name", NULL},           {"job", NULL},
    {"platform", NULL},       {"digest", NULL},
    {"path", NULL},           {"snapshot", NULL},
    {"title", NULL},
};

#define NO_ID RA_ARRAY_SIZE(id_keys)

static int is_scalar(const json_t *v)
{
    return !json_is_object(v) && !json_is_array(v);
}

static int scalar_equal(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b))
        return json_integer_value(a) == json_integer_value(b);
    if (json_is_number(a) && json_is_number(b)) /* exact: long double holds both */
        return (json_is_integer(a) ? (long double)json_integer_value(a)
                                   : (long double)json_real_value(a)) ==
               (json_is_integer(b) ? (long double)json_integer_value(b)
                                   : (long double)json_real_value(b));
    if (json_is_string(a) && json_is_string(b))
        return json_string_length(a) == json_string_length(b) &&
               !memcmp(json_string_value(a), json_string_value(b), json_string_length(a));
    return json_typeof(a) == json_typeof(b) && is_scalar(a);
}

/* A value as the difference lines show it. */
static void describe(struct ra_buf *out, const json_t *v)
{
    char *s;

    if (json_is_object(v)) {
        ra_buf_puts(out, "an object");
    } else if (json_is_array(v)) {
        ra_buf_puts(out, "an array");
    } else if ((s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT))) {
        ra_buf_puts(out, s);
        free(s);
    }
}

static size_t differ(struct walk *w, const char *what, const json_t *exp,
                     const json_t *act)
{
    if (!w->out)
        return 1;
    ra_buf_printf(w->out, "- %s: ", w->path->len ? w->path->ptr : "(root)");
    if (what) {
        ra_buf_puts(w->out, what);
    } else {
        ra_buf_puts(w->out, "expected ");
        describe(w->out, exp);
        ra_buf_puts(w->out, ", got ");
        describe(w->out, act);
    }
    ra_buf_putc(w->out, '\n');
    return 1;
}

/* ---- paths ---- */

static int plain_key(const char *k)
{
    if (!*k)
        return 0;
    for (; *k; k++)
        if (!(*k == '_' || *k == '-' || (*k >= '0' && *k <= '9') ||
              (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z')))
            return 0;
    return 1;
}

static void push_key(struct walk *w, const char *key)
{
    json_t *s;
    char *q;

    if (plain_key(key)) {
        ra_buf_printf(w->path, "%s%s", w->path->len ? "." : "", key);
        return;
    }
    s = json_string(key);
    q = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    ra_buf_printf(w->path, "[%s]", q ? q : "?");
    free(q);
    json_decref(s);
}

/* Which id_keys row names e (all its keys are non-null scalars), or NO_ID. */
static size_t identity(const json_t *e)
{
    size_t r, k;

    if (!json_is_object(e))
        return NO_ID;
    for (r = 0; r < NO_ID; r++) {
        for (k = 0; id_keys[r][k]; k++) {
            const json_t *v = json_object_get(e, id_keys[r][k]);
            if (!v || json_is_null(v) || !is_scalar(v))
                break;
        }
        if (!id_keys[r][k])
            return r;
    }
    return NO_ID;
}

static void push_label(struct ra_buf *path, const json_t *e, size_t id, size_t index)
{
    size_t k;

    if (id == NO_ID) {
        ra_buf_printf(path, "[%zu]", index);
        return;
    }
    ra_buf_putc(path, '[');
    for (k = 0; id_keys[id][k]; k++) {
        const json_t *v = json_object_get(e, id_keys[id][k]);
        ra_buf_printf(path, "%s%s=", k ? "," : "", id_keys[id][k]);
        if (json_is_string(v))
            ra_buf_put(path, json_string_value(v), json_string_length(v));
        else
            describe(path, v);
    }
    ra_buf_putc(path, ']');
}

static int same_identity(const json_t *e, const json_t *a, size_t id)
{
    size_t k;

    if (!json_is_object(a))
        return 0;
    for (k = 0; id_keys[id][k]; k++) {
        const json_t *v = json_object_get(a, id_keys[id][k]);
        if (!v || !scalar_equal(json_object_get(e, id_keys[id][k]), v))
            return 0;
    }
    return 1;
}

/* ---- objects ---- */

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every key of exp, in sorted order; act is an object or NULL (no keys). */
static size_t walk_object(struct walk *w, json_t *exp, json_t *act)
{
    size_t n = 0, nkeys = 0, i, mark = w->out ? w->path->len : 0;
    const char **keys = ra_xmalloc((json_object_size(exp) + 1) * sizeof(*keys));
    void *it;

    for (it = json_object_iter(exp); it; it = json_object_iter_next(exp, it))
        keys[nkeys++] = json_object_iter_key(it);
    qsort(keys, nkeys, sizeof(*keys), cmp_keys);
    for (i = 0; i < nkeys && !(w->quick && n); i++) {
        json_t *a = act ? json_object_get(act, keys[i]) : NULL;
        if (w->out)
            push_key(w, keys[i]);
        n += a ? walk(w, json_object_get(exp, keys[i]), a)
               : differ(w, "missing", NULL, NULL);
        if (w->out)
            ra_buf_truncate(w->path, mark);
    }
    free(keys);
    return n;
}

/* ---- arrays ---- */

/* The object and array elements of one expected array, paired with those of the actual
 * one (bipartite matching by augmenting paths). */
struct matcher {
    struct walk *w;
    json_t *exp, *act;
    size_t *ei, ne; /* indices of container elements */
    size_t *ai, na;
    unsigned char *memo; /* ne x na: 0 unknown, 1 match, 2 no match */
    size_t *owner;       /* per actual element: the expected one paired with it */
    size_t *seen, stamp;
    unsigned char *paired; /* per expected element */
};

static int edge(struct matcher *m, size_t i, size_t j)
{
    unsigned char *c = &m->memo[i * m->na + j];
    struct walk q = {NULL, NULL, 1, m->w->error, m->w->err};
    json_t *e = json_array_get(m->exp, m->ei[i]), *a = json_array_get(m->act, m->ai[j]);

    if (!*c)
        *c = walk(&q, e, a) ? 2 : 1;
    return *c == 1;
}

static int augment(struct matcher *m, size_t i)
{
    size_t k, j;

    /* the same position first: arrays usually keep their order */
    for (k = 0; k < m->na && !*m->w->error; k++) {
        j = (i + k) % m->na;
        if (m->seen[j] == m->stamp || !edge(m, i, j))
            continue;
        m->seen[j] = m->stamp;
        if (m->owner[j] == SIZE_MAX || augment(m, m->owner[j])) {
            m->owner[j] = i;
            return 1;
        }
    }
    return 0;
}

static size_t containers(size_t *out, json_t *a)
{
    size_t i, n = 0;

    for (i = 0; i < json_array_size(a); i++)
        if (!is_scalar(json_array_get(a, i)))
            out[n++] = i;
    return n;
}

/* Report expected element i, which nothing matched: against the closest actual element
 * that shares its identity (preferring those no other expected element is paired with),
 * or as missing. */
static size_t unmatched(struct matcher *m, size_t i)
{
    struct walk *w = m->w, c = {NULL, NULL, 0, w->error, w->err};
    json_t *e = json_array_get(m->exp, m->ei[i]);
    size_t id = identity(e), j, n, best = SIZE_MAX, least = SIZE_MAX, mark;

    for (j = 0; j < m->na && !*w->error; j++) {
        json_t *a = json_array_get(m->act, m->ai[j]);
        if (id != NO_ID ? !same_identity(e, a, id) : json_typeof(a) != json_typeof(e))
            continue;
        n = walk(&c, e, a);
        if (best == SIZE_MAX ||
            (m->owner[j] == SIZE_MAX) > (m->owner[best] == SIZE_MAX) ||
            ((m->owner[j] == SIZE_MAX) == (m->owner[best] == SIZE_MAX) && n < least)) {
            least = n;
            best = j;
        }
    }
    if (!w->out)
        return best == SIZE_MAX || !least ? 1 : least;
    mark = w->path->len;
    push_label(w->path, e, id, m->ei[i]);
    if (best == SIZE_MAX)
        n = differ(w, "missing", NULL, NULL);
    else if (!least)
        n = differ(w, "missing (its only match is paired with another expected element)",
                   NULL, NULL);
    else
        n = walk(w, e, json_array_get(m->act, m->ai[best]));
    ra_buf_truncate(w->path, mark);
    return n;
}

static size_t match_containers(struct walk *w, json_t *exp, json_t *act)
{
    struct matcher m = {w, exp, act, NULL, 0, NULL, 0, NULL, NULL, NULL, 0, NULL};
    size_t i, cells, n = 0;

    m.ei = ra_xmalloc((json_array_size(exp) + 1) * sizeof(size_t));
    m.ai = ra_xmalloc((json_array_size(act) + 1) * sizeof(size_t));
    m.ne = containers(m.ei, exp);
    m.na = containers(m.ai, act);
    if (ra_mul_overflow(&cells, m.ne, m.na) < 0 || cells > RA_CHECK_MAX_CELLS) {
        *w->error = ra_err_set(
            w->err, RA_ELIMIT,
            "an array of %zu elements is too large to match against %zu", m.ne, m.na);
        goto done;
    }
    m.memo = ra_xcalloc(cells + 1, 1);
    m.owner = ra_xmalloc((m.na + 1) * sizeof(size_t));
    m.seen = ra_xcalloc(m.na + 1, sizeof(size_t));
    m.paired = ra_xcalloc(m.ne + 1, 1);
    for (i = 0; i < m.na; i++)
        m.owner[i] = SIZE_MAX;
    for (i = 0; i < m.ne && !*w->error; i++) {
        m.stamp = i + 1;
        if (!augment(&m, i) && w->quick) {
            n = 1;
            goto done;
        }
    }
    for (i = 0; i < m.na; i++)
        if (m.owner[i] != SIZE_MAX)
            m.paired[m.owner[i]] = 1;
    for (i = 0; i < m.ne && !*w->error; i++)
        if (!m.paired[i])
            n += unmatched(&m, i);
done:
    free(m.ei);
    free(m.ai);
    free(m.memo);
    free(m.owner);
    free(m.seen);
    free(m.paired);
    return n;
}

static int contains(json_t *act, const json_t *v)
{
    size_t i;

    for (i = 0; i < json_array_size(act); i++)
        if (scalar_equal(v, json_array_get(act, i)))
            return 1;
    return 0;
}

static size_t missing_element(struct walk *w, const json_t *v, json_t *act)
{
    struct ra_buf what = RA_BUF_INIT;
    size_t i, start;
    char *s = NULL;

    if (!w->out)
        return 1;
    ra_buf_puts(&what, "missing element ");
    describe(&what, v);
    start = what.len;
    for (i = 0; i < json_array_size(act) && is_scalar(json_array_get(act, i)); i++)
        ;
    if (i == json_array_size(act) && (s = json_dumps(act, JSON_COMPACT)) &&
        strlen(s) <= 200)
        ra_buf_printf(&what, "; got %s", s);
    if (what.len == start)
        ra_buf_printf(&what, "; got %zu element%s", json_array_size(act),
                      json_array_size(act) == 1 ? "" : "s");
    free(s);
    differ(w, what.ptr, NULL, NULL);
    ra_buf_release(&what);
    return 1;
}

static size_t walk_array(struct walk *w, json_t *exp, json_t *act)
{
    size_t i, n = 0, nc = 0;

    for (i = 0; i < json_array_size(exp) && !(w->quick && n); i++) {
        json_t *v = json_array_get(exp, i);
        if (!is_scalar(v))
            nc++;
        else if (!contains(act, v))
            n += missing_element(w, v, act);
    }
    if (nc && !(w->quick && n))
        n += match_containers(w, exp, act);
    return n;
}

static size_t walk(struct walk *w, json_t *exp, json_t *act)
{
    if (*w->error)
        return 0;
    if (json_is_object(exp) && (json_is_object(act) || json_is_null(act)))
        return walk_object(w, exp, json_is_object(act) ? act : NULL);
    if (json_is_array(exp) && json_is_array(act))
        return walk_array(w, exp, act);
    if (is_scalar(exp) && scalar_equal(exp, act))
        return 0;
    return differ(w, NULL, exp, act);
}

static size_t leaves(json_t *v)
{
    void *it;
    size_t i, n = 0;

    if (json_is_object(v)) {
        for (it = json_object_iter(v); it; it = json_object_iter_next(v, it))
            n += leaves(json_object_iter_value(it));
    } else if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++)
            n += leaves(json_array_get(v, i));
    }
    return n ? n : 1;
}

int ra_check_subset(struct ra_buf *diffs, size_t *ndiffs, size_t *nchecked,
                    struct json_t *expected, struct json_t *actual, struct ra_err *err)
{
    struct ra_buf path = RA_BUF_INIT;
    int error = 0;
    struct walk w = {diffs, &path, 0, &error, err};

    assert(diffs && ndiffs && nchecked && expected && actual);
    *nchecked = leaves(expected);
    *ndiffs += walk(&w, expected, actual);
    ra_buf_release(&path);
    return error;
}

int ra_check_load(struct json_t **out, const char *path, struct ra_err *err)
{
    json_error_t jerr;
    json_t *root;
    FILE *f;
    int error = 0;

    assert(out && path);
    *out = NULL;
    f = strcmp(path, "-") ? fopen(path, "rb") : stdin; /* "-": standard input */
    if (!f)
        return ra_err_set(err, errno == ENOENT ? RA_ENOTFOUND : RA_EIO,
                          "'%s': cannot open: %s", path, strerror(errno));
    root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        error = ra_err_set(err, ferror(f) ? RA_EIO : RA_EFORMAT,
                           "'%s': line %d, column %d: %s", path, jerr.line, jerr.column,
                           jerr.text);
    else if (!json_is_object(root))
        error =
            ra_err_set(err, RA_EFORMAT,
                       "'%s': not a JSON object (an expectation is a report model, or "
                       "part of one)",
                       path);
    if (f != stdin)
        fclose(f);
    if (error < 0)
        json_decref(root);
    else
        *out = root;
    return error;
}
