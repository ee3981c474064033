/* SPDX-License-Identifier: MIT */
/* config/text/yamldoc: every document of a stream, libyaml's problem as one message,
 * lookups through "<<" merges (and not, with RA_YAMLDOC_OWN), loose keys, lines. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <string.h>

#include "config/text/yamldoc.h"

/* What the callback saw: each document's root kind and its "name" value. */
struct seen {
    size_t docs;
    char names[4][16];
    unsigned name_lines[4];
};

static void on_doc(yaml_document_t *doc, yaml_node_t *root, void *payload)
{
    struct seen *s = payload;
    const yaml_node_t *n = ra_yamldoc_get(doc, root, "name", 0);

    if (s->docs < 4 && n) {
        snprintf(s->names[s->docs], sizeof(s->names[0]), "%s", ra_yamldoc_scalar(n));
        s->name_lines[s->docs] = ra_yamldoc_line(n);
    }
    s->docs++;
}

static void test_yamldoc__every_document(void **state)
{
    static const char text[] = "name: a\n"
                               "---\n"
                               "# second\n"
                               "name: b\n"
                               "---\n"
                               "name: c\n";
    struct ra_buf msg = RA_BUF_INIT;
    struct seen s;
    unsigned line = 99;

    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(ra_yamldoc_load_all(text, strlen(text), on_doc, &s, &line, &msg), 0);
    assert_int_equal(s.docs, 3);
    assert_string_equal(s.names[0], "a");
    assert_string_equal(s.names[1], "b");
    assert_string_equal(s.names[2], "c");
    assert_int_equal(s.name_lines[0], 1);
    assert_int_equal(s.name_lines[1], 4);
    assert_int_equal(s.name_lines[2], 6);
    ra_buf_release(&msg);
}

/* The documents before a syntax error are handed over; the error is one line. */
static void test_yamldoc__syntax_error(void **state)
{
    static const char text[] = "name: a\n"
                               "---\n"
                               "list: [1, 2\n"
                               "name: b\n";
    struct ra_buf msg = RA_BUF_INIT;
    struct seen s;
    unsigned line = 0;

    (void)state;
    memset(&s, 0, sizeof(s));
    assert_int_equal(ra_yamldoc_load_all(text, strlen(text), on_doc, &s, &line, &msg),
                     RA_EFORMAT);
    assert_int_equal(s.docs, 1);
    assert_int_equal(line, 4);
    assert_string_equal(ra_buf_cstr(&msg), "did not find expected ',' or ']' while "
                                           "parsing a flow sequence (from line 3)");
    ra_buf_release(&msg);
}

static void on_lookups(yaml_document_t *doc, yaml_node_t *root, void *payload)
{
    const yaml_node_t *job = ra_yamldoc_get(doc, root, "job", 0), *list, *block;

    (void)payload;
    /* the mapping's own key first, then the merge */
    assert_string_equal(ra_yamldoc_str(doc, job, "image", 0), "own:1");
    assert_string_equal(ra_yamldoc_str(doc, job, "user", 0), "base");
    assert_string_equal(ra_yamldoc_str(doc, job, "shell", 0), "first");
    assert_null(ra_yamldoc_get(doc, job, "user", RA_YAMLDOC_OWN));
    assert_string_equal(ra_yamldoc_str(doc, job, "image", RA_YAMLDOC_OWN), "own:1");
    /* loose keys: case, '-' and '_' */
    assert_null(ra_yamldoc_get(doc, job, "dry-run", 0));
    assert_string_equal(ra_yamldoc_str(doc, job, "dry-run", RA_YAMLDOC_LOOSE), "yes");
    assert_true(ra_yamldoc_truthy(ra_yamldoc_str(doc, job, "DRY_RUN", RA_YAMLDOC_LOOSE)));
    /* sequences */
    list = ra_yamldoc_get(doc, root, "list", 0);
    assert_string_equal(ra_yamldoc_scalar(ra_yamldoc_item(doc, list, 1)), "y");
    assert_null(ra_yamldoc_item(doc, list, 2));
    assert_null(ra_yamldoc_item(doc, job, 0)); /* not a sequence */
    assert_null(ra_yamldoc_scalar(list));
    assert_null(ra_yamldoc_get(doc, list, "x", 0)); /* not a mapping */
    /* a block scalar's content starts on the line after its indicator */
    block = ra_yamldoc_get(doc, root, "script", 0);
    assert_int_equal(ra_yamldoc_line(block), 13);
    assert_int_equal(ra_yamldoc_content_line(block), 14);
    assert_int_equal(ra_yamldoc_content_line(list), ra_yamldoc_line(list));
}

static void test_yamldoc__lookups(void **state)
{
    static const char text[] = "base: &base\n"                 /* 1 */
                               "  user: base\n"                /* 2 */
                               "  image: base:1\n"             /* 3 */
                               "  shell: first\n"              /* 4 */
                               "other: &other\n"               /* 5 */
                               "  shell: second\n"             /* 6 */
                               "job:\n"                        /* 7 */
                               "  <<: [*base, *other]\n"       /* 8 */
                               "  image: own:1\n"              /* 9 */
                               "  Dry_Run: yes\n"              /* 10 */
                               "list: [x, y]\n"                /* 11 */
                               "# a script\n"                  /* 12 */
                               "script: |\n"                   /* 13 */
                               "  registry garbage-collect\n"; /* 14 */
    struct ra_buf msg = RA_BUF_INIT;
    unsigned line = 0;

    (void)state;
    assert_int_equal(
        ra_yamldoc_load_all(text, strlen(text), on_lookups, NULL, &line, &msg), 0);
    ra_buf_release(&msg);
}

static void test_yamldoc__truthy(void **state)
{
    (void)state;
    assert_true(ra_yamldoc_truthy("yes"));
    assert_true(ra_yamldoc_truthy("True"));
    assert_true(ra_yamldoc_truthy("ON"));
    assert_true(ra_yamldoc_truthy("y"));
    assert_true(ra_yamldoc_truthy("1"));
    assert_false(ra_yamldoc_truthy("no"));
    assert_false(ra_yamldoc_truthy("false"));
    assert_false(ra_yamldoc_truthy("yess"));
    assert_false(ra_yamldoc_truthy(""));
    assert_false(ra_yamldoc_truthy(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yamldoc__every_document),
        cmocka_unit_test(test_yamldoc__syntax_error),
        cmocka_unit_test(test_yamldoc__lookups),
        cmocka_unit_test(test_yamldoc__truthy),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
