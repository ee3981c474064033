/* SPDX-License-Identifier: MIT */
/* Markdown and Mermaid escaping: data renders as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report/md.h"

static void assert_text(const char *in, const char *want)
{
    struct ra_buf b = RA_BUF_INIT;

    ra_md_text(&b, in, strlen(in));
    assert_string_equal(ra_buf_cstr(&b), want);
    ra_buf_release(&b);
}

static void test_md__text_html_links_emphasis(void **state)
{
    (void)state;
    assert_text("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>");
    assert_text("[a](http://e.com)", "\\[a\\](http\\://e.com)");
    assert_text("![i](u)", "!\\[i\\](u)");
    assert_text("*b* **s** ~~d~~", "\\*b\\* \\*\\*s\\*\\* \\~\\~d\\~\\~");
    assert_text("_e_ a_b __c", "\\_e\\_ a_b \\_\\_c");
    assert_text("&lt; &#60;", "\\&lt; \\&\\#60;");
    assert_text("`x` | y", "\\`x\\` \\| y");
    assert_text("a\\*", "a\\\\\\*");
}

static void test_md__text_autolinks_mentions(void **state)
{
    (void)state;
    assert_text("see https://e.com and www.e.com, WWW.E.COM",
                "see https\\://e.com and www\\.e.com, WWW\\.E.COM");
    assert_text("a@b.com @team #12 mailto:x_@y.z",
                "a&#8288;\\@b.com \\@team \\#12 mailto:x\\_&#8288;\\@y.z");
    assert_text("awww.x", "awww.x");
    assert_text("sha256:ab 10:00", "sha256:ab 10:00");
}

static void test_md__text_line_starts(void **state)
{
    (void)state;
    assert_text("# h", "\\# h");
    assert_text("- x", "\\- x");
    assert_text("---", "\\---");
    assert_text("-7", "-7");
    assert_text("+ y", "\\+ y");
    assert_text("===", "\\===");
    assert_text("1. z", "1\\. z");
    assert_text("2) z", "2\\) z");
    assert_text("2.8", "2.8");
}

static void test_md__text_controls(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    assert_text("a\nb\r\033[31m\x7f", "a\\x0ab\\x0d\\x1b\\[31m\\x7f");
    assert_text("\xc2\x9b"
                "2J",
                "\\xc2\\x9b2J");
    ra_md_text(&b, "a\0b", 3);
    assert_string_equal(ra_buf_cstr(&b), "a\\x00b");
    ra_buf_release(&b);
}

static void test_md__code_cell(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_md_code_cell(&b, "rm -rf /x | y");
    assert_string_equal(ra_buf_cstr(&b), "`rm -rf /x \\| y`");
    ra_buf_truncate(&b, 0);
    ra_md_code_cell(&b, "a `b` ``c``");
    assert_string_equal(ra_buf_cstr(&b), "``` a `b` ``c`` ```");
    ra_buf_truncate(&b, 0);
    ra_md_code_cell(&b, "`x");
    assert_string_equal(ra_buf_cstr(&b), "`` `x ``");
    ra_buf_truncate(&b, 0);
    ra_md_code_cell(&b, "a\nb");
    assert_string_equal(ra_buf_cstr(&b), "`a\\x0ab`");
    ra_buf_truncate(&b, 0);
    ra_md_code_cell(&b, "");
    assert_string_equal(ra_buf_cstr(&b), "");
    ra_buf_release(&b);
}

static void test_md__fence(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    assert_string_equal(ra_md_fence(&b, "echo ``"), "```");
    ra_buf_truncate(&b, 0);
    assert_string_equal(ra_md_fence(&b, "x\n```\ny ````"), "`````");
    ra_buf_release(&b);
}

static void test_md__mermaid(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_md_mermaid(&b, "%%{init: {\"theme\":\"x\"}}%%\n```; #<b>&");
    assert_string_equal(ra_buf_cstr(&b),
                        "#37;#37;{init#58; {#34;theme#34;#58;#34;x#34;}}#37;#37; "
                        "#96;#96;#96;#59; #35;#60;b#62;#38;");
    ra_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md__text_html_links_emphasis),
        cmocka_unit_test(test_md__text_autolinks_mentions),
        cmocka_unit_test(test_md__text_line_starts),
        cmocka_unit_test(test_md__text_controls),
        cmocka_unit_test(test_md__code_cell),
        cmocka_unit_test(test_md__fence),
        cmocka_unit_test(test_md__mermaid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
