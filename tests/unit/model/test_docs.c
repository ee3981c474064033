/* SPDX-License-Identifier: MIT */
/* ra_docs: a document is parsed once per digest and shared; parse errors too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/docs.h"
#include "model/manifest.h"

#define CONFIG "{\"architecture\":\"arm64\",\"os\":\"linux\",\"rootfs\":{}}"

static void test_docs__parsed_once_and_shared(void **state)
{
    struct ra_docs *d;
    struct ra_manifest *m1, *m2;
    const char *e1, *e2;
    struct ra_digest id = {{1, 2, 3}}, other = {{4, 5, 6}};

    (void)state;
    ra_docs_new(&d);
    ra_docs_parse(&m1, &e1, d, &id, CONFIG, strlen(CONFIG));
    assert_non_null(m1);
    assert_null(e1);
    assert_int_equal(m1->kind, RA_MANIFEST_CONFIG);
    assert_string_equal(m1->platform, "linux/arm64");
    /* the same digest: the same document, whatever bytes come with it */
    ra_docs_parse(&m2, &e2, d, &id, "{", 1);
    assert_ptr_equal(m1, m2);
    assert_null(e2);
    assert_true(ra_docs_holds(d, &id, m1, NULL));
    assert_int_equal(ra_docs_count(d), 1);
    /* a copy is not held; another digest is not either */
    assert_false(ra_docs_holds(d, &id, NULL, NULL));
    assert_false(ra_docs_holds(d, &other, m1, NULL));
    ra_docs_free(d);
}

static void test_docs__parse_error_kept_once(void **state)
{
    struct ra_docs *d;
    struct ra_manifest *m1, *m2;
    const char *e1, *e2;
    struct ra_digest id = {{9}};

    (void)state;
    ra_docs_new(&d);
    ra_docs_parse(&m1, &e1, d, &id, "{\"a\":", 5);
    assert_null(m1);
    assert_non_null(e1);
    ra_docs_parse(&m2, &e2, d, &id, "{\"a\":", 5);
    assert_null(m2);
    assert_ptr_equal(e1, e2);
    assert_true(ra_docs_holds(d, &id, NULL, e1));
    assert_false(ra_docs_holds(d, &id, NULL, "other"));
    ra_docs_free(d);
    ra_docs_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs__parsed_once_and_shared),
        cmocka_unit_test(test_docs__parse_error_kept_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
