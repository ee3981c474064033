/* SPDX-License-Identifier: MIT */
/* config/text/shellwords: the one shell-word splitter, as jobs read a line (operators as
 * words) and as pipelines read a step (a simple command at a time, with lines). */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/text/shellwords.h"

/* The words joined with '|', operators in brackets: "a|[&&]|b". */
static void joined(char *out, size_t size, const struct ra_shellwords *w)
{
    size_t i, n = 0;

    out[0] = '\0';
    for (i = 0; i < w->n; i++)
        n += (size_t)snprintf(out + n, size - n, w->op[i] ? "%s[%s]" : "%s%s",
                              i ? "|" : "", ra_shellwords_at(w, i));
}

static void assert_split(const char *s, unsigned flags, const char *want)
{
    struct ra_shellwords *w = calloc(1, sizeof(*w));
    char got[512];

    assert_non_null(w);
    ra_shellwords_split(w, s, flags);
    joined(got, sizeof(got), w);
    if (strcmp(got, want))
        fail_msg("'%s': got '%s', want '%s'", s, got, want);
    ra_shellwords_release(w);
    free(w);
}

static void test_shellwords__line(void **state)
{
    (void)state;
    assert_split("registry garbage-collect /etc/docker/registry/config.yml", 0,
                 "registry|garbage-collect|/etc/docker/registry/config.yml");
    assert_split("cd /x && ./gc.sh || echo failed; date", 0,
                 "cd|/x|[&&]|./gc.sh|[||]|echo|failed|[;]|date");
    assert_split("sh -c 'docker exec reg registry garbage-collect \"$CFG\"'", 0,
                 "sh|-c|docker exec reg registry garbage-collect \"$CFG\"");
    assert_split("echo \"a \\\"b\\\" \\$c\" x\\ y ''", 0, "echo|a \"b\" $c|x y|");
    assert_split("ls | tail -n +11 # keep ten", 0, "ls|[|]|tail|-n|+11");
    assert_split("a#b", 0, "a#b");
    assert_split("gc 2>&1 >/dev/null", 0, "gc|2>&1|>/dev/null");
    assert_split("x=$(date +%F) `id -u` (a)", 0,
                 "x=|[$(]|date|+%F|[)]|[`]|id|-u|[`]|[(]|a|[)]");
    assert_split("a;;b & c", 0, "a|[;;]|b|[&]|c");
    assert_split("a\nb # c\nd", 0, "a|b"); /* without LINES a comment ends the text */
    assert_split("", 0, "");
}

/* More words than RA_SHELLWORDS_MAX: the rest is not read. */
static void test_shellwords__limit(void **state)
{
    struct ra_shellwords *w = calloc(1, sizeof(*w));
    char text[RA_SHELLWORDS_MAX * 4 + 16];
    size_t i, n = 0;

    (void)state;
    assert_non_null(w);
    for (i = 0; i < RA_SHELLWORDS_MAX + 10; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%zu ", i % 10);
    ra_shellwords_split(w, text, 0);
    assert_int_equal(w->n, RA_SHELLWORDS_MAX);
    assert_string_equal(ra_shellwords_at(w, RA_SHELLWORDS_MAX - 1), "5");
    ra_shellwords_release(w);
    free(w);
}

/* A step's commands: one per call, with the line of its first word. */
static void test_shellwords__commands(void **state)
{
    static const char text[] =
        "export TAG=1 # the tag\n"                          /* 10 */
        "docker build \\\n"                                 /* 11 */
        "  -t \"$REG/app:$TAG\" . && \\\n"                  /* 12 */
        "docker push $(echo \"$REG\")/app 2>&1 | tee log\n" /* 13 */
        "cat <<EOF > out\n"                                 /* 14 */
        "'multi\nline' `x\ny` ${A:-b}\n";                   /* 15-17 */
    static const struct {
        unsigned line;
        const char *words;
    } want[] = {
        {10, "export|TAG=1"},
        {11, "docker|build|-t|$REG/app:$TAG|."},
        {13, "docker|push|$(echo \"$REG\")/app"},
        {13, "tee|log"},
        {14, "cat"},
        {15, "multi\nline|`x\ny`|${A:-b}"},
    };
    struct ra_shellwords_lexer lx = {
        text, RA_SHELLWORDS_LINES | RA_SHELLWORDS_GROUPS | RA_SHELLWORDS_REDIRECTS, 10};
    struct ra_shellwords *w = calloc(1, sizeof(*w));
    char got[512];
    size_t k = 0;

    (void)state;
    assert_non_null(w);
    while (ra_shellwords_command(w, &lx)) {
        if (!w->n)
            continue;
        assert_true(k < sizeof(want) / sizeof(want[0]));
        joined(got, sizeof(got), w);
        assert_string_equal(got, want[k].words);
        assert_int_equal(w->line, want[k].line);
        k++;
    }
    assert_int_equal(k, sizeof(want) / sizeof(want[0]));
    assert_int_equal(lx.line, 18); /* past the last newline */
    ra_shellwords_release(w);
    free(w);
}

/* "2>" drops the descriptor with the redirection; "a>b" keeps a. */
static void test_shellwords__redirections(void **state)
{
    struct ra_shellwords_lexer lx = {"x 2>err a>b c <in 3>&- d", RA_SHELLWORDS_REDIRECTS,
                                     1};
    struct ra_shellwords *w = calloc(1, sizeof(*w));
    char got[256];

    (void)state;
    assert_non_null(w);
    assert_true(ra_shellwords_command(w, &lx));
    joined(got, sizeof(got), w);
    assert_string_equal(got, "x|a|c|d");
    assert_false(ra_shellwords_command(w, &lx));
    assert_int_equal(w->n, 0);
    ra_shellwords_release(w);
    free(w);
}

static void test_shellwords__helpers(void **state)
{
    static const char *const list[] = {"sudo", "env", NULL};

    (void)state;
    assert_true(ra_shellwords_is_assign("TAG=1"));
    assert_true(ra_shellwords_is_assign("_x2="));
    assert_false(ra_shellwords_is_assign("2x=1"));
    assert_false(ra_shellwords_is_assign("--tag=1"));
    assert_false(ra_shellwords_is_assign("TAG"));
    assert_string_equal(ra_shellwords_base("/usr/bin/docker"), "docker");
    assert_string_equal(ra_shellwords_base("docker"), "docker");
    assert_string_equal(ra_shellwords_base("dir/"), "");
    assert_true(ra_shellwords_one_of("env", list));
    assert_false(ra_shellwords_one_of("nice", list));
    assert_false(ra_shellwords_one_of("env", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shellwords__line),
        cmocka_unit_test(test_shellwords__limit),
        cmocka_unit_test(test_shellwords__commands),
        cmocka_unit_test(test_shellwords__redirections),
        cmocka_unit_test(test_shellwords__helpers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
