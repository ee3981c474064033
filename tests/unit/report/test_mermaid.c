/* SPDX-License-Identifier: MIT */
/* report/mermaid: labels of at most 40 characters with ':' and '#' kept as Mermaid
 * entity codes, events in time order, a window placed at its end as a range. The
 * diagrams are parsed by Mermaid itself in tests/render/mermaid.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "report/mermaid.h"

static size_t chars(const char *s)
{
    size_t c = 0;

    for (; *s; s++)
        c += ((unsigned char)*s & 0xC0) != 0x80;
    return c;
}

static void expect_short(const char *in, const char *want)
{
    struct ra_buf b = RA_BUF_INIT;

    ra_mermaid_shorten(&b, in, RA_MERMAID_LABEL_MAX);
    assert_string_equal(b.ptr, want);
    assert_true(chars(b.ptr) <= RA_MERMAID_LABEL_MAX);
    ra_buf_release(&b);
}

static void test_shorten(void **state)
{
    (void)state;
    /* short enough: as it is */
    expect_short("infra-ci:latest pushed", "infra-ci:latest pushed");
    expect_short("", "event");
    expect_short("  two\nlines\t ", "two lines");
    /* digests */
    expect_short("infra-ci:latest pushed as sha256:e475600e8421",
                 "infra-ci:latest pushed as e475600e");
    /* remarks, then a head */
    expect_short("registry garbage-collect ran (garbage-collect --delete-untagged)",
                 "registry garbage-collect ran");
    expect_short(
        "first 404 for sha256:73af0327d640: GET /v2/infra-ci/manifests/sha256:73af…",
        "first 404 for 73af0327");
    /* the middle of a long word */
    expect_short("snapshot registry-2026-04-12T0100Z.tar.gz taken (name)",
                 "snapshot registry-202…0100Z.tar.gz taken");
    /* words from the end */
    expect_short(
        "7 objects that infra-ci:latest needs went missing (5 blob, 2 manifest_link)",
        "7 objects that infra-ci:latest needs…");
    expect_short("garbage-collect: 13 blobs marked, 12 blobs and 5 manifests eligible",
                 "garbage-collect: 13 blobs marked, 12…");
    /* one word longer than a label: its middle; multi-byte characters are not split */
    expect_short("ééééééééééééééééééééééééééééééééééééééééééééééééé",
                 "éééééééééééééééééééé…ééééééééééééééééééé");
}

/* Mermaid's syntax in a label is kept as entity codes, not stripped (ra_md_mermaid). */
static void test_entities(void **state)
{
    const struct ra_mermaid_event ev[] = {
        {1775955600, RA_TIME_NONE, "#313: a;b %%{init} `x` <b> & \"q\""},
    };
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_mermaid_timeline(&b, "t", ev, 1);
    assert_string_equal(b.ptr,
                        "timeline\n    title t\n    2026-04-12 01.00 : #35;313#58; "
                        "a#59;b #37;#37;{init} #96;x#96; #60;b#62; #38; #34;q#34;\n");
    ra_buf_release(&b);
}

static void test_timeline(void **state)
{
    /* 2026-04-12T01:00:00Z .. 03:25:01Z, the GC at 03:25:00Z, the day's GC log, the
     * first 404 next day */
    const struct ra_mermaid_event ev[] = {
        {1775955600, 1775964301, "7 objects that infra-ci:latest needs went missing"},
        {1775955600, RA_TIME_NONE, "snapshot a.tar taken"},
        {1775964300, RA_TIME_NONE, "registry garbage-collect ran"},
        {1775952000, 1776038399, "garbage-collect: 12 blobs eligible"},
        {1776060131, RA_TIME_NONE, "pipeline #313 failure"},
        {1776060131, RA_TIME_NONE, "first 404 for sha256:73af0327d640"},
        {1775955600, 1776042000, "between two snapshots: 12 blobs gone"},
    };
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_mermaid_timeline(&b, "What happened #1; (UTC)", ev, sizeof(ev) / sizeof(ev[0]));
    assert_string_equal(b.ptr,
                        "timeline\n"
                        "    title What happened  1  (UTC)\n"
                        "    2026-04-12 01.00 : snapshot a.tar taken\n"
                        "    2026-04-12 03.25 : registry garbage-collect ran\n"
                        "    between 2026-04-12 01.00 and 03.25 : 7 objects that "
                        "infra-ci#58;latest needs…\n"
                        "    between 2026-04-12 00.00 and 23.59 : garbage-collect#58; 12 "
                        "blobs eligible\n"
                        "    between 2026-04-12 01.00 and 2026-04-13 01.00 : between two "
                        "snapshots#58; 12 blobs gone\n"
                        "    2026-04-13 06.02 : pipeline #35;313 failure\n"
                        "         : first 404 for sha256#58;73af0327d640\n");
    ra_buf_release(&b);
    ra_mermaid_timeline(&b, "empty", NULL, 0);
    assert_string_equal(b.ptr, "timeline\n    title empty\n");
    ra_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shorten),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_timeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
