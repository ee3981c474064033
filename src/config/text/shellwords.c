/* SPDX-License-Identifier: MIT */
/* The one shell-word splitter of config/: a lexer giving words and operators, and two
 * ways of collecting them (a line at a time, a simple command at a time). */
#include "config/text/shellwords.h"

#include <ctype.h>
#include <string.h>

enum token { TOK_END = 0, TOK_WORD, TOK_OP };

/* The lexer appends the token's text to buf from start on. */
struct lex {
    struct ra_shellwords_lexer *lx;
    struct ra_buf *buf;
    size_t start;
    int in_word;
    unsigned line; /* where the token starts */
};

static void word_start(struct lex *l)
{
    if (!l->in_word)
        l->line = l->lx->line;
    l->in_word = 1;
}

static void word_putc(struct lex *l, char c)
{
    word_start(l);
    ra_buf_putc(l->buf, c);
}

/* Copy a $(...), `...` or ${...} into the word; returns where it ends. */
static const char *word_group(struct lex *l, const char *p)
{
    char open = p[0] == '`' ? 0 : p[1], close = p[0] == '`'   ? '`'
                                                : open == '(' ? ')'
                                                              : '}';
    int depth = 0;

    word_putc(l, *p++);
    if (open)
        word_putc(l, *p++);
    for (; *p; p++) {
        l->lx->line += *p == '\n';
        if (open && *p == open)
            depth++;
        else if (*p == close && depth-- == 0)
            break;
        word_putc(l, *p);
    }
    if (*p)
        word_putc(l, *p++);
    return p;
}

/* A quoted string into the word (the quotes dropped). */
static const char *word_quoted(struct lex *l, const char *p)
{
    char q = *p++;

    word_start(l);
    for (; *p && *p != q; p++) {
        if (q == '"' && *p == '\\' && p[1] && strchr("\"\\$`", p[1]))
            p++;
        l->lx->line += *p == '\n';
        ra_buf_putc(l->buf, *p);
    }
    return *p ? p + 1 : p;
}

/* Past a redirection and its target. */
static const char *past_redirect(const char *p)
{
    while (*p == '>' || *p == '<')
        p++;
    if (*p == '&') {
        for (p++; isdigit((unsigned char)*p) || *p == '-'; p++)
            ;
        return p;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    while (*p && !strchr(" \t\n;&|", *p))
        p++;
    return p;
}

/* Is the word so far all digits ("2>": the descriptor goes with the redirection)? */
static int digits_only(const struct lex *l)
{
    size_t i;

    for (i = l->start; i < l->buf->len; i++) {
        if (!isdigit((unsigned char)l->buf->ptr[i]))
            return 0;
    }
    return 1;
}

static int is_op(const char *p, unsigned flags)
{
    return strchr(";&|()", *p) || (!(flags & RA_SHELLWORDS_GROUPS) &&
                                   (*p == '`' || (p[0] == '$' && p[1] == '(')));
}

/* An operator at p: its text appended, the lexer moved past it. */
static enum token op_token(struct lex *l, const char *p)
{
    size_t n =
        (p[0] == '$' || (p[1] == p[0] && p[0] != '(' && p[0] != ')' && p[0] != '`')) ? 2
                                                                                     : 1;

    l->line = l->lx->line;
    ra_buf_put(l->buf, p, n);
    l->lx->p = p + n;
    return TOK_OP;
}

/* One step of a word at p that is none of blank, comment, operator. */
static const char *word_step(struct lex *l, const char *p, unsigned flags)
{
    if (p[0] == '\\' && p[1]) {
        word_putc(l, p[1]);
        return p + 2;
    }
    if (*p == '\'' || *p == '"')
        return word_quoted(l, p);
    if ((flags & RA_SHELLWORDS_GROUPS) &&
        (*p == '`' || (*p == '$' && (p[1] == '(' || p[1] == '{'))))
        return word_group(l, p);
    word_putc(l, *p);
    return p + 1;
}

static enum token next_token(struct lex *l)
{
    unsigned flags = l->lx->flags;
    int lines = flags & RA_SHELLWORDS_LINES;
    const char *p = l->lx->p;
    enum token t;

    for (;; l->lx->p = p) {
        if (!*p)
            return l->in_word ? TOK_WORD : TOK_END;
        if (lines && p[0] == '\\' && p[1] == '\n') { /* a continuation line */
            l->lx->line++;
            p += 2;
        } else if (lines && *p == '\n') {
            if (l->in_word)
                return TOK_WORD;
            t = op_token(l, p);
            l->lx->line++;
            return t;
        } else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            l->lx->line += *p == '\n';
            l->lx->p = p + 1;
            if (l->in_word)
                return TOK_WORD;
            p++;
        } else if (*p == '#' && !l->in_word) {
            p += lines ? strcspn(p, "\n") : strlen(p);
        } else if (!(flags & RA_SHELLWORDS_REDIRECTS) && *p == '&' && l->in_word &&
                   l->buf->len > l->start && l->buf->ptr[l->buf->len - 1] == '>') {
            ra_buf_putc(l->buf, *p++); /* 2>&1 is a redirection */
        } else if (is_op(p, flags)) {
            if (l->in_word)
                return TOK_WORD;
            return op_token(l, p);
        } else if ((flags & RA_SHELLWORDS_REDIRECTS) && (*p == '>' || *p == '<')) {
            p = past_redirect(p);
            if (l->in_word && !digits_only(l)) {
                l->lx->p = p;
                return TOK_WORD;
            }
            ra_buf_truncate(l->buf, l->start);
            l->in_word = 0;
        } else {
            p = word_step(l, p, flags);
        }
    }
}

static enum token lex(struct ra_shellwords_lexer *lx, struct ra_buf *buf, unsigned *line)
{
    struct lex l = {lx, buf, buf->len, 0, lx->line};
    enum token t = next_token(&l);

    *line = l.line;
    return t;
}

static void keep(struct ra_shellwords *w, size_t start, int op)
{
    w->off[w->n] = start;
    w->op[w->n++] = (unsigned char)op;
    ra_buf_putc(&w->buf, '\0');
}

void ra_shellwords_split(struct ra_shellwords *w, const char *s, unsigned flags)
{
    struct ra_shellwords_lexer lx = {s, flags, 1};
    enum token t;
    unsigned line;
    size_t start;

    ra_buf_truncate(&w->buf, 0);
    ra_buf_grow(&w->buf, strlen(s) + 1);
    w->n = 0;
    w->line = 0;
    while (w->n < RA_SHELLWORDS_MAX) {
        start = w->buf.len;
        if ((t = lex(&lx, &w->buf, &line)) == TOK_END)
            break;
        if (!w->n)
            w->line = line;
        keep(w, start, t == TOK_OP);
    }
}

int ra_shellwords_command(struct ra_shellwords *w, struct ra_shellwords_lexer *lx)
{
    enum token t;
    unsigned line;
    size_t start;

    ra_buf_truncate(&w->buf, 0);
    w->n = 0;
    w->line = lx->line;
    for (;;) {
        start = w->buf.len;
        t = lex(lx, &w->buf, &line);
        if (t != TOK_WORD || w->n == RA_SHELLWORDS_MAX) {
            ra_buf_truncate(&w->buf, start);
            if (t != TOK_WORD)
                return t == TOK_OP || w->n;
            continue;
        }
        if (!w->n)
            w->line = line;
        keep(w, start, 0);
    }
}

const char *ra_shellwords_at(const struct ra_shellwords *w, size_t i)
{
    return w->buf.ptr + w->off[i];
}

void ra_shellwords_release(struct ra_shellwords *w)
{
    ra_buf_release(&w->buf);
}

int ra_shellwords_is_assign(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    while (isalnum((unsigned char)*s) || *s == '_')
        s++;
    return *s == '=';
}

const char *ra_shellwords_base(const char *s)
{
    const char *b = strrchr(s, '/');

    return b ? b + 1 : s;
}

int ra_shellwords_one_of(const char *s, const char *const *list)
{
    for (; list && *list; list++) {
        if (!strcmp(s, *list))
            return 1;
    }
    return 0;
}
