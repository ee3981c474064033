/* SPDX-License-Identifier: MIT */
/* Shell quoting: plain words stay, everything else is single-quoted and reads back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/shell.h"

static void assert_quotes(const char *in, const char *want)
{
    struct ra_buf b = RA_BUF_INIT;

    ra_shell_quote(&b, in);
    assert_string_equal(ra_buf_cstr(&b), want);
    ra_buf_release(&b);
}

static void test_shell__plain_words_unquoted(void **state)
{
    (void)state;
    assert_quotes("infra-ci", "infra-ci");
    assert_quotes("var/lib/registry/docker/registry/v2",
                  "var/lib/registry/docker/registry/v2");
    assert_quotes("docker://REGISTRY/a:b", "docker://REGISTRY/a:b");
}

static void test_shell__everything_else_single_quoted(void **state)
{
    (void)state;
    assert_quotes("", "''");
    assert_quotes("-rf", "'-rf'");
    assert_quotes("=x", "'=x'");
    assert_quotes("~root", "'~root'");
    assert_quotes("a b", "'a b'");
    assert_quotes("$(touch m)", "'$(touch m)'");
    assert_quotes("`id`", "'`id`'");
    assert_quotes("a*", "'a*'");
    assert_quotes("#c", "'#c'");
    assert_quotes("it's", "'it'\\''s'");
    assert_quotes("''", "''\\'''\\'''");
    assert_quotes("a\nb", "'a\nb'");
    assert_quotes("\\", "'\\'");
}

static void test_shell__pasteable(void **state)
{
    (void)state;
    assert_true(ra_shell_pasteable("srv/été/$(x) 'q'"));
    assert_false(ra_shell_pasteable("a\nb"));
    assert_false(ra_shell_pasteable("a\033[31m"));
    assert_false(ra_shell_pasteable("\xff"));
    assert_false(ra_shell_pasteable("\xc2\x9b"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shell__plain_words_unquoted),
        cmocka_unit_test(test_shell__everything_else_single_quoted),
        cmocka_unit_test(test_shell__pasteable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
