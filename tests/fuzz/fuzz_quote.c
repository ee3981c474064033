/* SPDX-License-Identifier: MIT */
/* Fuzz target: the quoting of names for the report (util/shell, report/md). The input
 * is one name, any bytes. Checks: ra_shell_quote gives one shell word that a small
 * POSIX word parser reads back as the name (up to its first NUL), using only plain
 * characters, single quotes and backslash; a pasteable name quotes to clean text;
 * ra_md_text decodes back to the input (less the word joiners before '@') and leaves
 * no Markdown character unescaped and no control byte; a code cell is never closed or
 * split by its content; a fence is longer than any backtick run; Mermaid text holds no
 * syntax character outside its entity codes and decodes back to the name; a repository or
 * tag name inside Distribution's grammar needs no quoting at all. */
#include "fuzz.h"

#include "ingest/layout.h"
#include "report/md.h"
#include "util/shell.h"
#include "util/text.h"

static int plain_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("_./:@%+,=-", c));
}

/* Read one shell word from q (the whole of it) into out; 0 if q is not exactly one
 * word made of plain characters, '...' and backslash escapes. */
static int sh_word(struct ra_buf *out, const char *q)
{
    const char *p = q;

    if (!*p)
        return 0;
    while (*p) {
        if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (!end)
                return 0;
            ra_buf_put(out, p + 1, (size_t)(end - p - 1));
            p = end + 1;
        } else if (*p == '\\' && p[1]) {
            ra_buf_putc(out, p[1]);
            p += 2;
        } else if (plain_char(*p) && !(p == q && (*p == '=' || *p == '-'))) {
            ra_buf_putc(out, *p++);
        } else {
            return 0; /* a character the shell would act on */
        }
    }
    return 1;
}

static void check_shell(const char *s)
{
    struct ra_buf q = RA_BUF_INIT, back = RA_BUF_INIT;

    ra_shell_quote(&q, s);
    FUZZ_CHECK(sh_word(&back, ra_buf_cstr(&q)));
    FUZZ_CHECK(back.len == strlen(s) && !memcmp(ra_buf_cstr(&back), s, back.len));
    if (ra_shell_pasteable(s))
        FUZZ_CHECK(ra_text_is_clean(ra_buf_cstr(&q)));
    if (ra_layout_repository_valid(s) || ra_layout_tag_valid(s))
        FUZZ_CHECK(!strcmp(ra_buf_cstr(&q), s) && ra_shell_pasteable(s));
    ra_buf_release(&q);
    ra_buf_release(&back);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void check_md_text(const uint8_t *data, size_t size)
{
    struct ra_buf md = RA_BUF_INIT, back = RA_BUF_INIT;
    const char *p;
    size_t i;

    ra_md_text(&md, (const char *)data, size);
    p = ra_buf_cstr(&md);
    for (i = 0; i < md.len; i++) {
        unsigned char c = (unsigned char)p[i];
        FUZZ_CHECK(c >= 0x20 && c != 0x7f);
        if (c == '\\') {
            FUZZ_CHECK(i + 1 < md.len);
            if (p[i + 1] == 'x' && i + 3 < md.len && hexval(p[i + 2]) >= 0 &&
                hexval(p[i + 3]) >= 0) {
                ra_buf_putc(&back, (char)(hexval(p[i + 2]) << 4 | hexval(p[i + 3])));
                i += 3;
            } else {
                FUZZ_CHECK(strchr("\\`*_[]<>|&#~@:.-+=)", p[i + 1]) && p[i + 1]);
                ra_buf_putc(&back, p[++i]);
            }
            continue;
        }
        if (c == '&' && !strncmp(p + i, "&#8288;\\@", 9)) {
            i += 6; /* the word joiner that keeps an e-mail address text */
            continue;
        }
        FUZZ_CHECK(!strchr("`*[]<>|&#~@", c) || !c);
        ra_buf_putc(&back, (char)c);
    }
    FUZZ_CHECK(back.len == size && !memcmp(back.ptr ? back.ptr : "", data, size));
    ra_buf_release(&md);
    ra_buf_release(&back);
}

static size_t longest_run(const char *s, size_t n)
{
    size_t run = 0, best = 0, i;

    for (i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best;
}

static void check_code(const char *s)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *p;
    size_t fence = 0, i;

    ra_md_code_cell(&b, s);
    p = ra_buf_cstr(&b);
    if (!*s) {
        FUZZ_CHECK(b.len == 0);
    } else {
        while (p[fence] == '`')
            fence++;
        FUZZ_CHECK(fence > 0 && b.len > 2 * fence);
        FUZZ_CHECK(!memcmp(p + b.len - fence, p, fence) && p[b.len - fence - 1] != '`');
        FUZZ_CHECK(longest_run(p + fence, b.len - 2 * fence) < fence);
        for (i = 0; i < b.len; i++) {
            FUZZ_CHECK((unsigned char)p[i] >= 0x20 && p[i] != 0x7f);
            FUZZ_CHECK(p[i] != '|' || (i > 0 && p[i - 1] == '\\'));
        }
    }
    ra_buf_truncate(&b, 0);
    ra_md_fence(&b, s);
    FUZZ_CHECK(b.len >= 3 && b.len > longest_run(s, strlen(s)));
    ra_buf_release(&b);
}

static void check_mermaid(const char *s)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *p;
    size_t i, j = 0;

    ra_md_mermaid(&b, s);
    p = ra_buf_cstr(&b);
    for (i = 0; i < b.len; i++, j++) {
        unsigned char c = (unsigned char)p[i];
        FUZZ_CHECK(c >= 0x20 && c != 0x7f && !strchr("%:;`<>&\"", c));
        if (c == '#') { /* "#NN;" stands for one character of s */
            unsigned v = 0;
            for (i++; p[i] >= '0' && p[i] <= '9'; i++)
                v = v * 10 + (unsigned)(p[i] - '0');
            FUZZ_CHECK(p[i] == ';' && v == (unsigned char)s[j]);
        } else if (c == ' ' && s[j] != ' ') { /* a control byte; C1 takes two */
            FUZZ_CHECK((unsigned char)s[j] < 0x20 || s[j] == 0x7f ||
                       (unsigned char)s[j] == 0xc2);
            if ((unsigned char)s[j] == 0xc2)
                j++;
        } else {
            FUZZ_CHECK(c == (unsigned char)s[j]);
        }
    }
    FUZZ_CHECK(j == strlen(s));
    ra_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    memcpy(s, data, size);
    s[size] = '\0'; /* names are C strings: up to the first NUL */
    check_shell(s);
    check_md_text(data, size);
    check_code(s);
    check_mermaid(s);
    free(s);
    return 0;
}
