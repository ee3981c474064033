/* SPDX-License-Identifier: MIT */
/* Mustache-subset template engine: parse each template once into a flat node list,
 * then render it against a jansson document with Markdown-table escaping. */
#include "report/tmpl.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "report/md.h"
#include "util/vec.h"

#define MAX_DELIM 16

enum node_type { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
    enum node_type type;
    const char *str; /* the text, or the trimmed tag name; points into the source */
    size_t len;
    size_t off;         /* offset of the tag in the source, for messages */
    size_t end;         /* sections: index of the first node after the section */
    const char *indent; /* standalone partials: the whitespace before the tag */
    size_t indent_len;
    int standalone; /* sections and partials: the tag stood alone on its line */
};

/* A parsed template. The nodes point into `src`, which is owned unless borrowed. */
struct tmpl {
    char *name;
    struct ra_buf src; /* partials: the loaded source */
    const char *ptr;
    size_t len;
    struct node *nodes;
    size_t n, cap;
};

/* clang-format off */
#define TMPL_INIT {NULL, RA_BUF_INIT, NULL, 0, NULL, 0, 0}
/* clang-format on */

struct parser {
    struct tmpl *t;
    size_t pos;       /* where scanning resumes */
    const char *otag; /* current delimiters */
    size_t olen;
    const char *ctag;
    size_t clen;
    size_t open[RA_TMPL_MAX_SECTION_DEPTH]; /* node indexes of unclosed sections */
    size_t depth;
};

struct tag {
    char sigil;   /* '#', '^', '/', '!', '>', '&', '{', '=' or 0 for a variable */
    size_t start; /* offset of the opening delimiter */
    size_t end;   /* offset just past the closing delimiter */
    const char *name;
    size_t nlen;
};

struct render {
    struct ra_buf *out;
    ra_tmpl_loader loader;
    void *payload;
    struct ra_vec partials; /* struct tmpl *, each loaded once */
    struct json_t *stack[RA_TMPL_MAX_CONTEXT];
    size_t depth;
    struct ra_buf indent; /* indentation of the current standalone partials */
    size_t indent_base;   /* the part of `indent` in force starts here */
    int bol;              /* a template line has started: indentation is pending */
    int partial_depth;
    struct ra_buf scratch;
    struct ra_err *err;
};

static void tmpl_free(struct tmpl *t)
{
    if (!t)
        return;
    free(t->name);
    ra_buf_release(&t->src);
    free(t->nodes);
    free(t);
}

/* Format "template 'x': line L, column C: <message>" for offset `off` of t. */
static int tmpl_error(const struct tmpl *t, size_t off, int code, struct ra_err *err,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int tmpl_error(const struct tmpl *t, size_t off, int code, struct ra_err *err,
                      const char *fmt, ...)
{
    char msg[200];
    size_t line = 1, col = 1, i;
    va_list ap;

    for (i = 0; i < off && i < t->len; i++) {
        if (t->ptr[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return ra_err_set(err, code, "template '%s': line %zu, column %zu: %s", t->name, line,
                      col, msg);
}

/* ---- parsing ---- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_space(char c)
{
    return is_blank(c) || c == '\r' || c == '\n';
}

/* Offset of the first `needle` at or after `from`, or `len` if there is none. */
static size_t find(const char *s, size_t len, size_t from, const char *needle,
                   size_t nlen)
{
    size_t i;

    for (i = from; i + nlen <= len; i++) {
        if (s[i] == needle[0] && memcmp(s + i, needle, nlen) == 0)
            return i;
    }
    return len;
}

static struct node *add_node(struct tmpl *t, enum node_type type, const char *str,
                             size_t len, size_t off)
{
    struct node *n;

    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->nodes = ra_xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
    }
    n = &t->nodes[t->n++];
    memset(n, 0, sizeof(*n));
    n->type = type;
    n->str = str;
    n->len = len;
    n->off = off;
    return n;
}

static void add_text(struct tmpl *t, size_t from, size_t to)
{
    if (to > from)
        add_node(t, N_TEXT, t->ptr + from, to - from, from);
}

/* Read the tag whose opening delimiter is at `start`. */
static int scan_tag(struct tag *tag, struct parser *p, size_t start, struct ra_err *err)
{
    const char *s = p->t->ptr;
    size_t len = p->t->len, from = start + p->olen, close;
    char needle[MAX_DELIM + 1];
    size_t nlen = p->clen;

    tag->start = start;
    tag->sigil = 0;
    if (from < len && s[from] != '\0' && strchr("#^/!>&{=", s[from]))
        tag->sigil = s[from++];
    memcpy(needle, p->ctag, p->clen);
    if (tag->sigil == '{' || tag->sigil == '=') {
        needle[0] = tag->sigil == '{' ? '}' : '=';
        memcpy(needle + 1, p->ctag, p->clen);
        nlen++;
    }
    close = find(s, len, from, needle, nlen);
    if (close == len)
        return tmpl_error(p->t, start, RA_EFORMAT, err, "unclosed tag '%.*s'",
                          (int)p->olen, p->otag);
    tag->end = close + nlen;
    while (from < close && is_space(s[from]))
        from++;
    while (close > from && is_space(s[close - 1]))
        close--;
    tag->name = s + from;
    tag->nlen = close - from;
    if (tag->nlen == 0 && tag->sigil != '!')
        return tmpl_error(p->t, start, RA_EFORMAT, err, "empty tag name");
    return 0;
}

/* Whether the tag is alone on its line; if so, where that line starts and where the
 * next one does. */
static int is_standalone(const struct parser *p, const struct tag *tag, size_t *line,
                         size_t *next)
{
    const char *s = p->t->ptr;
    size_t len = p->t->len, i = tag->start, j = tag->end;

    if (!tag->sigil || strchr("&{", tag->sigil))
        return 0;
    while (i > 0 && is_blank(s[i - 1]))
        i--;
    if (i > 0 && s[i - 1] != '\n')
        return 0;
    while (j < len && is_blank(s[j]))
        j++;
    if (j < len && s[j] == '\n')
        j++;
    else if (j + 1 < len && s[j] == '\r' && s[j + 1] == '\n')
        j += 2;
    else if (j < len)
        return 0;
    *line = i;
    *next = j;
    return 1;
}

static int set_delimiters(struct parser *p, const struct tag *tag, struct ra_err *err)
{
    const char *s = tag->name;
    size_t n = tag->nlen, i = 0, olen, cstart;

    while (i < n && !is_space(s[i]) && s[i] != '=')
        i++;
    olen = i;
    while (i < n && is_space(s[i]))
        i++;
    cstart = i;
    while (i < n && !is_space(s[i]) && s[i] != '=')
        i++;
    if (olen == 0 || olen > MAX_DELIM || i == cstart || i - cstart > MAX_DELIM || i != n)
        return tmpl_error(p->t, tag->start, RA_EFORMAT, err, "bad delimiters '%.*s'",
                          (int)n, s);
    p->otag = s;
    p->olen = olen;
    p->ctag = s + cstart;
    p->clen = i - cstart;
    return 0;
}

static int open_section(struct parser *p, const struct tag *tag, int standalone,
                        struct ra_err *err)
{
    struct node *n;

    if (p->depth == RA_TMPL_MAX_SECTION_DEPTH)
        return tmpl_error(p->t, tag->start, RA_ELIMIT, err,
                          "sections nested deeper than %d", RA_TMPL_MAX_SECTION_DEPTH);
    n = add_node(p->t, tag->sigil == '#' ? N_SECTION : N_INVERTED, tag->name, tag->nlen,
                 tag->start);
    n->standalone = standalone;
    p->open[p->depth++] = p->t->n - 1;
    return 0;
}

static int close_section(struct parser *p, const struct tag *tag, struct ra_err *err)
{
    struct node *open;

    if (p->depth == 0)
        return tmpl_error(p->t, tag->start, RA_EFORMAT, err, "'{{/%.*s}}' closes nothing",
                          (int)tag->nlen, tag->name);
    open = &p->t->nodes[p->open[p->depth - 1]];
    if (open->len != tag->nlen || memcmp(open->str, tag->name, tag->nlen) != 0)
        return tmpl_error(p->t, tag->start, RA_EFORMAT, err,
                          "'{{/%.*s}}' closes '{{%c%.*s}}'", (int)tag->nlen, tag->name,
                          open->type == N_SECTION ? '#' : '^', (int)open->len, open->str);
    open->end = p->t->n;
    p->depth--;
    return 0;
}

/* Turn one tag into nodes. `line` is where its line starts when it is standalone. */
static int handle_tag(struct parser *p, const struct tag *tag, int standalone,
                      size_t line, struct ra_err *err)
{
    struct node *n;

    switch (tag->sigil) {
    case '#':
    case '^':
        return open_section(p, tag, standalone, err);
    case '/':
        return close_section(p, tag, err);
    case '!':
        return 0;
    case '=':
        return set_delimiters(p, tag, err);
    case '>':
        n = add_node(p->t, N_PARTIAL, tag->name, tag->nlen, tag->start);
        n->standalone = standalone;
        if (standalone) {
            n->indent = p->t->ptr + line;
            n->indent_len = tag->start - line;
        }
        return 0;
    case '&':
    case '{':
        add_node(p->t, N_RAW, tag->name, tag->nlen, tag->start);
        return 0;
    default:
        add_node(p->t, N_VAR, tag->name, tag->nlen, tag->start);
        return 0;
    }
}

/* Parse t->ptr into t->nodes. */
static int parse(struct tmpl *t, struct ra_err *err)
{
    struct parser p = {t, 0, "{{", 2, "}}", 2, {0}, 0};
    struct tag tag = {0};
    size_t start, line = 0, next = 0;
    int standalone, error;

    for (;;) {
        start = find(t->ptr, t->len, p.pos, p.otag, p.olen);
        if (start == t->len)
            break;
        if ((error = scan_tag(&tag, &p, start, err)) < 0)
            return error;
        standalone = is_standalone(&p, &tag, &line, &next);
        add_text(t, p.pos, standalone ? line : start);
        if ((error = handle_tag(&p, &tag, standalone, line, err)) < 0)
            return error;
        p.pos = standalone ? next : tag.end;
    }
    add_text(t, p.pos, t->len);
    if (p.depth > 0) {
        struct node *open = &t->nodes[p.open[p.depth - 1]];
        return tmpl_error(t, open->off, RA_EFORMAT, err, "unclosed section '{{%c%.*s}}'",
                          open->type == N_SECTION ? '#' : '^', (int)open->len, open->str);
    }
    return 0;
}

/* ---- values ---- */

/* Resolve a (dotted) name against the context stack; NULL when missing. */
static struct json_t *lookup(const struct render *r, const char *name, size_t len)
{
    struct json_t *v = NULL;
    size_t i = 0, k, d;

    if (len == 1 && name[0] == '.')
        return r->depth ? r->stack[r->depth - 1] : NULL;
    for (k = 0; k < len && name[k] != '.'; k++)
        ;
    if (k == 0) {
        v = r->depth ? r->stack[r->depth - 1] : NULL; /* leading dot: current scope */
    } else {
        for (d = r->depth; d > 0 && !v; d--) {
            if (json_is_object(r->stack[d - 1]))
                v = json_object_getn(r->stack[d - 1], name, k);
        }
    }
    for (i = k; i < len && v;) {
        i++; /* skip the '.' */
        for (k = i; k < len && name[k] != '.'; k++)
            ;
        v = json_is_object(v) ? json_object_getn(v, name + i, k - i) : NULL;
        i = k;
    }
    return v;
}

static int is_truthy(const struct json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return 0;
    return !json_is_array(v) || json_array_size(v) > 0;
}

/* The shortest "%.Ng" form (N = 15..17) that reads back as the same double. */
static void format_real(char *buf, size_t cap, double d)
{
    int prec;

    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

/* Arrays and objects print as compact JSON with sorted keys, into r->scratch. */
static void dump_json(const char **s, size_t *n, struct render *r, struct json_t *v)
{
    size_t flags = JSON_COMPACT | JSON_SORT_KEYS, need = json_dumpb(v, NULL, 0, flags);

    ra_buf_truncate(&r->scratch, 0);
    ra_buf_grow(&r->scratch, need);
    r->scratch.len = json_dumpb(v, r->scratch.ptr, need, flags);
    r->scratch.ptr[r->scratch.len] = '\0';
    *s = r->scratch.ptr;
    *n = r->scratch.len;
}

/* The text a value prints as: borrowed from the value, `num` or r->scratch. */
static void value_text(const char **s, size_t *n, struct render *r, struct json_t *v,
                       char *num, size_t cap)
{
    *s = num;
    num[0] = '\0';
    if (json_is_string(v)) {
        *s = json_string_value(v);
        *n = json_string_length(v);
        return;
    }
    if (json_is_array(v) || json_is_object(v)) {
        dump_json(s, n, r, v);
        return;
    }
    if (json_is_integer(v))
        snprintf(num, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        format_real(num, cap, json_real_value(v));
    else if (json_is_boolean(v))
        snprintf(num, cap, "%s", json_is_true(v) ? "true" : "false");
    *n = strlen(num);
}

/* ---- rendering ---- */

static void flush_indent(struct render *r)
{
    if (r->bol) {
        if (r->indent.len > r->indent_base) /* indent.ptr is NULL until first used */
            ra_buf_put(r->out, r->indent.ptr + r->indent_base,
                       r->indent.len - r->indent_base);
        r->bol = 0;
    }
}

/* Template text: each line it starts gets the pending indentation. */
static void emit_text(struct render *r, const char *s, size_t n)
{
    const char *nl;
    size_t seg;

    while (n > 0) {
        flush_indent(r);
        nl = memchr(s, '\n', n);
        seg = nl ? (size_t)(nl - s) + 1 : n;
        ra_buf_put(r->out, s, seg);
        if (nl)
            r->bol = 1;
        s += seg;
        n -= seg;
    }
}

static void render_var(struct render *r, const struct node *n)
{
    char num[64];
    const char *s;
    size_t len;

    flush_indent(r);
    value_text(&s, &len, r, lookup(r, n->str, n->len), num, sizeof(num));
    if (n->type == N_RAW)
        ra_buf_put(r->out, s, len);
    else
        ra_md_text(r->out, s, len);
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to);

static int render_with(struct render *r, const struct tmpl *t, size_t i,
                       struct json_t *ctx)
{
    int error;

    if (r->depth == RA_TMPL_MAX_CONTEXT)
        return tmpl_error(t, t->nodes[i].off, RA_ELIMIT, r->err,
                          "context stack deeper than %d", RA_TMPL_MAX_CONTEXT);
    r->stack[r->depth++] = ctx;
    error = render_range(r, t, i + 1, t->nodes[i].end);
    r->depth--;
    return error;
}

static int render_section(struct render *r, const struct tmpl *t, size_t i)
{
    const struct node *n = &t->nodes[i];
    struct json_t *v = lookup(r, n->str, n->len);
    size_t k;
    int error = 0;

    if (!n->standalone)
        flush_indent(r);
    if (n->type == N_INVERTED)
        return is_truthy(v) ? 0 : render_range(r, t, i + 1, n->end);
    if (!is_truthy(v))
        return 0;
    if (!json_is_array(v))
        return render_with(r, t, i, v);
    for (k = 0; k < json_array_size(v) && error == 0; k++)
        error = render_with(r, t, i, json_array_get(v, k));
    return error;
}

static struct tmpl *cached_partial(const struct render *r, const char *name)
{
    struct tmpl *p;
    size_t i;

    for (i = 0; i < r->partials.len; i++) {
        p = r->partials.items[i];
        if (strcmp(p->name, name) == 0)
            return p;
    }
    return NULL;
}

/* The parsed partial named by node n of t, loading it on first use. */
static int get_partial(struct tmpl **out, struct render *r, const struct tmpl *t,
                       const struct node *n)
{
    struct tmpl *p = NULL;
    char name[RA_TMPL_MAX_NAME + 1];
    int error = RA_ENOTFOUND;

    if (n->len <= RA_TMPL_MAX_NAME) {
        memcpy(name, n->str, n->len);
        name[n->len] = '\0';
        *out = cached_partial(r, name);
        if (*out)
            return 0;
        p = ra_xcalloc(1, sizeof(*p));
        p->name = ra_xstrdup(name);
        if (r->loader)
            error = r->loader(&p->src, name, r->payload, r->err);
    }
    if (error == RA_ENOTFOUND)
        error = tmpl_error(t, n->off, RA_ENOTFOUND, r->err, "unknown partial '%.*s'",
                           (int)n->len, n->str);
    if (error < 0)
        goto done;
    p->ptr = ra_buf_cstr(&p->src);
    p->len = p->src.len;
    if ((error = parse(p, r->err)) < 0)
        goto done;
    ra_vec_push(&r->partials, p);
    *out = p;
    p = NULL;
done:
    tmpl_free(p);
    return error;
}

static int render_partial(struct render *r, const struct tmpl *t, const struct node *n)
{
    struct tmpl *p = NULL;
    size_t base = r->indent_base, len = r->indent.len;
    int error;

    if (r->partial_depth == RA_TMPL_MAX_PARTIAL_DEPTH)
        return tmpl_error(t, n->off, RA_ELIMIT, r->err, "partials nested deeper than %d",
                          RA_TMPL_MAX_PARTIAL_DEPTH);
    if ((error = get_partial(&p, r, t, n)) < 0)
        return error;
    if (n->standalone) {
        ra_buf_put(&r->indent, n->indent, n->indent_len);
        r->bol = 1;
    } else {
        flush_indent(r); /* an inline partial's lines are not indented */
        r->indent_base = r->indent.len;
    }
    r->partial_depth++;
    error = render_range(r, p, 0, p->n);
    r->partial_depth--;
    ra_buf_truncate(&r->indent, len);
    r->indent_base = base;
    r->bol = n->standalone; /* after a standalone line, the next line starts */
    return error;
}

static int render_range(struct render *r, const struct tmpl *t, size_t from, size_t to)
{
    const struct node *n;
    size_t i = from;
    int error = 0;

    while (i < to && error == 0) {
        n = &t->nodes[i];
        switch (n->type) {
        case N_TEXT:
            emit_text(r, n->str, n->len);
            break;
        case N_VAR:
        case N_RAW:
            render_var(r, n);
            break;
        case N_SECTION:
        case N_INVERTED:
            error = render_section(r, t, i);
            i = n->end;
            continue;
        case N_PARTIAL:
            error = render_partial(r, t, n);
            break;
        }
        i++;
    }
    return error;
}

int ra_tmpl_render(struct ra_buf *out, const char *name, const char *src, size_t len,
                   struct json_t *data, ra_tmpl_loader loader, void *payload,
                   struct ra_err *err)
{
    struct tmpl top = TMPL_INIT;
    struct render r;
    size_t start, i;
    int error;

    assert(out && name && (src || len == 0));
    start = out->len;
    memset(&r, 0, sizeof(r));
    r.out = out;
    r.loader = loader;
    r.payload = payload;
    r.err = err;
    if (data)
        r.stack[r.depth++] = data;
    top.name = ra_xstrdup(name);
    top.ptr = src ? src : "";
    top.len = len;

    if ((error = parse(&top, err)) < 0)
        goto done;
    error = render_range(&r, &top, 0, top.n);

done:
    if (error < 0)
        ra_buf_truncate(out, start);
    for (i = 0; i < r.partials.len; i++)
        tmpl_free(r.partials.items[i]);
    ra_vec_release(&r.partials);
    ra_buf_release(&r.indent);
    ra_buf_release(&r.scratch);
    free(top.name);
    free(top.nodes);
    return error;
}

/* ---- loading partials from a directory ---- */

static int read_file(struct ra_buf *out, FILE *f, const char *name, const char *path,
                     struct ra_err *err)
{
    size_t got, total = 0;

    do {
        ra_buf_grow(out, 4096);
        got = fread(out->ptr + out->len, 1, 4096, f);
        out->len += got;
        out->ptr[out->len] = '\0';
        total += got;
        if (total > RA_TMPL_MAX_FILE)
            return ra_err_set(err, RA_ELIMIT,
                              "partial '%s': '%s' is larger than %d bytes", name, path,
                              RA_TMPL_MAX_FILE);
    } while (got > 0);
    if (ferror(f))
        return ra_err_set(err, RA_EIO, "partial '%s': cannot read '%s'", name, path);
    return 0;
}

int ra_tmpl_dir_loader(struct ra_buf *out, const char *name, void *payload,
                       struct ra_err *err)
{
    const char *dir = payload;
    struct ra_buf path = RA_BUF_INIT;
    size_t start;
    FILE *f = NULL;
    int error = 0;

    assert(out && name && dir);
    start = out->len;
    if (name[0] == '\0' || name[0] == '.' || strchr(name, '/')) {
        error = ra_err_set(err, RA_ENOTFOUND,
                           "partial '%s': name must not be empty, start with '.' or "
                           "contain '/'",
                           name);
        goto done;
    }
    ra_buf_printf(&path, "%s/%s.mustache", dir, name);
    f = fopen(path.ptr, "rb");
    if (!f) {
        error = errno == ENOENT ? RA_ENOTFOUND : RA_EIO;
        error = ra_err_set(err, error, "partial '%s': cannot open '%s'", name, path.ptr);
        goto done;
    }
    error = read_file(out, f, name, path.ptr, err);

done:
    if (error < 0)
        ra_buf_truncate(out, start);
    if (f)
        fclose(f);
    ra_buf_release(&path);
    return error;
}
