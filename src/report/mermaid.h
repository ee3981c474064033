/* SPDX-License-Identifier: MIT */
/* The report's Mermaid timeline diagram: events in the order they happened, windows
 * placed at their end and drawn as ranges, short labels with Mermaid's syntax kept
 * through its entity codes. */
#ifndef RA_REPORT_MERMAID_H
#define RA_REPORT_MERMAID_H

#include <stddef.h>

#include "util/buf.h"
#include "util/time.h"

/* A label is at most this many characters (code points, an entity code counting as the
 * one character it stands for). */
#define RA_MERMAID_LABEL_MAX 40

struct ra_mermaid_event {
    ra_time time;     /* the instant, or the start of a window */
    ra_time until;    /* the end of a window; RA_TIME_NONE for an instant */
    const char *text; /* UTF-8, one line; shortened and encoded by the builder */
};

/*
 * Append s shortened to at most max characters, for a diagram label. While it is too
 * long: "sha256:" dropped and digests cut to 8 hex digits; trailing "(…)" remarks
 * dropped; what follows a long enough "head: " dropped; the middle of an over-long
 * word (a file name) cut to "…"; whole words cut from the end, with "…". The result
 * is plain text on one line (not yet encoded), never empty.
 */
void ra_mermaid_shorten(struct ra_buf *out, const char *s, size_t max);

/*
 * Append a Mermaid `timeline` diagram of the n events: sorted by when each is placed
 * (an instant at its time, a window at its end, so that a window never reads as
 * happening before what caused it), equal times kept in the given order; a window's
 * period reads "between 2026-04-12 01.00 and 03.25". Periods are UTC to the minute
 * with '.' for ':' (Mermaid reads ':' as the start of an event); events of the same
 * period share it. Labels go through ra_mermaid_shorten (RA_MERMAID_LABEL_MAX) and
 * ra_md_mermaid (report/md.h: ':' as "#58;", '#' as "#35;", ...). The title is written as
 * it is, with '#', ';' and control bytes as spaces (Mermaid ends a title there and has no
 * entity codes in it).
 */
void ra_mermaid_timeline(struct ra_buf *out, const char *title,
                         const struct ra_mermaid_event *ev, size_t n);

#endif
