/* SPDX-License-Identifier: MIT */
#include "report/mermaid.h"

#include <stdlib.h>
#include <string.h>

#include "report/md.h"
#include "util/common.h"

/* Characters (UTF-8 code points) in the n bytes at s. */
static size_t chars(const char *s, size_t n)
{
    size_t i, c = 0;

    for (i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Byte offset of the character after the first k characters of s. */
static size_t char_offset(const char *s, size_t k)
{
    size_t i = 0;

    for (; s[i] && k; k--)
        for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
            ;
    return i;
}

static void replace(struct ra_buf *b, size_t at, size_t len, const char *with)
{
    struct ra_buf t = RA_BUF_INIT;

    ra_buf_put(&t, b->ptr, at);
    ra_buf_puts(&t, with);
    ra_buf_puts(&t, b->ptr + at + len);
    ra_buf_truncate(b, 0);
    ra_buf_puts(b, t.ptr);
    ra_buf_release(&t);
}

static size_t len_of(const struct ra_buf *b)
{
    return chars(b->ptr, b->len);
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* "sha256:" dropped, and digests of 12 or more hex digits cut to their first 8. */
static void shorten_digests(struct ra_buf *b)
{
    char *p;
    size_t i = 0, run;

    while ((p = strstr(b->ptr, "sha256:")) != NULL)
        replace(b, (size_t)(p - b->ptr), 7, "");
    while (i < b->len) {
        for (run = 0; is_hex(b->ptr[i + run]); run++)
            ;
        if (run >= 12 && (i == 0 || !is_hex(b->ptr[i - 1])))
            replace(b, i + 8, run - 8, "");
        i += run ? run : 1;
    }
}

/* "text (remark)" -> "text", one remark at a time, while too long. */
static void drop_remarks(struct ra_buf *b, size_t max)
{
    char *open;

    while (len_of(b) > max && b->len && b->ptr[b->len - 1] == ')' &&
           (open = strstr(b->ptr, " (")) != NULL) {
        char *last = open;
        while ((open = strstr(last + 1, " (")) != NULL)
            last = open;
        ra_buf_truncate(b, (size_t)(last - b->ptr));
    }
}

/* "a long enough head: details" -> "a long enough head". */
static void keep_head(struct ra_buf *b, size_t max)
{
    char *colon = strstr(b->ptr, ": ");

    if (len_of(b) > max && colon && chars(b->ptr, (size_t)(colon - b->ptr)) >= max / 2)
        ra_buf_truncate(b, (size_t)(colon - b->ptr));
}

/* The longest space-separated word: its offset and byte length. */
static size_t longest_word(const char *s, size_t *len_out)
{
    size_t i = 0, best = 0, best_len = 0;

    while (s[i]) {
        size_t n = strcspn(s + i, " ");
        if (chars(s + i, n) > chars(s + best, best_len)) {
            best = i;
            best_len = n;
        }
        i += n;
        i += s[i] == ' ';
    }
    *len_out = best_len;
    return best;
}

/* Cut the middle of an over-long word (a file name, a path) so that the label fits. */
static void shorten_word(struct ra_buf *b, size_t max)
{
    size_t n, at = longest_word(b->ptr, &n), wc = chars(b->ptr + at, n), over, keep, head,
              tail;
    struct ra_buf w = RA_BUF_INIT;

    if (len_of(b) <= max || wc <= max / 2)
        return;
    over = len_of(b) - max;
    keep = wc > over + 1 ? wc - over - 1 : 0; /* characters kept, around a "…" */
    if (keep < 16)
        return;
    head = (keep + 1) / 2;
    ra_buf_put(&w, b->ptr + at, char_offset(b->ptr + at, head));
    ra_buf_puts(&w, "…");
    tail = char_offset(b->ptr + at, wc - (keep - head));
    ra_buf_put(&w, b->ptr + at + tail, n - tail);
    replace(b, at, n, w.ptr);
    ra_buf_release(&w);
}

/* Whole words off the end, then "…"; a word longer than the label is cut. */
static void cut_words(struct ra_buf *b, size_t max)
{
    size_t end;

    if (len_of(b) <= max)
        return;
    end = char_offset(b->ptr, max - 1);
    while (end > 0 && b->ptr[end] != ' ')
        end--;
    if (chars(b->ptr, end) < max / 2)
        end = char_offset(b->ptr, max - 1);
    while (end > 0 &&
           (b->ptr[end - 1] == ' ' || b->ptr[end - 1] == ',' || b->ptr[end - 1] == ':'))
        end--;
    ra_buf_truncate(b, end);
    ra_buf_puts(b, "…");
}

void ra_mermaid_shorten(struct ra_buf *out, const char *s, size_t max)
{
    struct ra_buf b = RA_BUF_INIT;
    size_t i, start = 0;

    if (max < 2)
        max = 2;
    for (; *s; s++) /* one line, single spaces */
        if ((unsigned char)*s >= 0x20 && *s != 0x7f)
            ra_buf_putc(&b, *s);
        else if (b.len && b.ptr[b.len - 1] != ' ')
            ra_buf_putc(&b, ' ');
    ra_buf_puts(&b, "");
    while (b.len && b.ptr[b.len - 1] == ' ')
        ra_buf_truncate(&b, b.len - 1);
    for (i = 0; i < b.len && b.ptr[i] == ' '; i++)
        start++;
    if (start)
        replace(&b, 0, start, "");
    if (len_of(&b) > max) {
        shorten_digests(&b);
        drop_remarks(&b, max);
        keep_head(&b, max);
        shorten_word(&b, max);
        cut_words(&b, max);
    }
    ra_buf_puts(out, b.len ? b.ptr : "event");
    ra_buf_release(&b);
}

struct placed {
    ra_time at;
    size_t index;
};

static int by_place(const void *a, const void *b)
{
    const struct placed *x = a, *y = b;

    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* "2026-04-12 01.00" (day and minute); only "01.00" when t falls on the day `day`
 * begins with. */
static void minute(struct ra_buf *out, ra_time t, const char *day)
{
    char s[RA_TIME_STRLEN];

    ra_time_format(s, t);
    s[10] = ' ';
    s[13] = '.';
    s[16] = '\0';
    ra_buf_puts(out, day && !strncmp(day, s, 10) ? s + 11 : s);
}

static void period(struct ra_buf *out, const struct ra_mermaid_event *e)
{
    struct ra_buf from = RA_BUF_INIT;

    if (e->until == RA_TIME_NONE) {
        minute(out, e->time, NULL);
        return;
    }
    minute(&from, e->time, NULL);
    ra_buf_printf(out, "between %s and ", from.ptr);
    minute(out, e->until, from.ptr);
    ra_buf_release(&from);
}

void ra_mermaid_timeline(struct ra_buf *out, const char *title,
                         const struct ra_mermaid_event *ev, size_t n)
{
    struct placed *order = n ? ra_xcalloc(n, sizeof(*order)) : NULL;
    struct ra_buf prev = RA_BUF_INIT, cur = RA_BUF_INIT, label = RA_BUF_INIT;
    size_t i;

    ra_buf_puts(out, "timeline\n    title ");
    for (; *title; title++)
        ra_buf_putc(out, *title == '#' || *title == ';' || (unsigned char)*title < 0x20
                             ? ' '
                             : *title);
    ra_buf_putc(out, '\n');
    for (i = 0; i < n; i++) {
        order[i].at = ev[i].until != RA_TIME_NONE ? ev[i].until : ev[i].time;
        order[i].index = i;
    }
    if (n)
        qsort(order, n, sizeof(*order), by_place);
    ra_buf_puts(&prev, "");
    for (i = 0; i < n; i++) {
        const struct ra_mermaid_event *e = &ev[order[i].index];
        ra_buf_truncate(&cur, 0);
        period(&cur, e);
        if (strcmp(cur.ptr, prev.ptr)) {
            ra_buf_printf(out, "    %s", cur.ptr);
            ra_buf_truncate(&prev, 0);
            ra_buf_puts(&prev, cur.ptr);
        } else {
            ra_buf_puts(out, "        ");
        }
        ra_buf_puts(out, " : ");
        ra_buf_truncate(&label, 0);
        ra_mermaid_shorten(&label, e->text, RA_MERMAID_LABEL_MAX);
        ra_md_mermaid(out, label.ptr);
        ra_buf_putc(out, '\n');
    }
    free(order);
    ra_buf_release(&prev);
    ra_buf_release(&cur);
    ra_buf_release(&label);
}
