/* SPDX-License-Identifier: MIT */
/* Regression checks: every subset-matching rule, the difference lines exactly, the
 * counts, loading expectation files and the size limit. */
#include "report/check.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

struct result {
    struct ra_buf diffs;
    size_t ndiffs, nchecked;
};

/* Match expected against actual, both JSON texts; returns the difference lines. */
static const char *check(struct result *r, const char *expected, const char *actual)
{
    struct ra_err err = RA_ERR_INIT;
    json_error_t jerr;
    json_t *e = json_loads(expected, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr), *a;

    if (!e)
        fail_msg("expected: %s", jerr.text);
    a = json_loads(actual, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!a)
        fail_msg("actual: %s", jerr.text);
    ra_buf_release(&r->diffs);
    r->ndiffs = 0;
    r->nchecked = 0;
    assert_int_equal(ra_check_subset(&r->diffs, &r->ndiffs, &r->nchecked, e, a, &err), 0);
    json_decref(e);
    json_decref(a);
    return ra_buf_cstr(&r->diffs);
}

static void assert_holds(const char *expected, const char *actual)
{
    struct result r = {RA_BUF_INIT, 0, 0};

    assert_string_equal(check(&r, expected, actual), "");
    assert_int_equal(r.ndiffs, 0);
    ra_buf_release(&r.diffs);
}

static void assert_diffs(const char *expected, const char *actual, const char *lines,
                         size_t n)
{
    struct result r = {RA_BUF_INIT, 0, 0};

    assert_string_equal(check(&r, expected, actual), lines);
    assert_int_equal(r.ndiffs, n);
    ra_buf_release(&r.diffs);
}

/* ---- objects ---- */

static void test_check__object_keys_absent_from_expected_are_not_checked(void **state)
{
    (void)state;
    assert_holds("{}", "{\"a\": 1}");
    assert_holds("{\"a\": 1}", "{\"a\": 1, \"b\": 2}");
    assert_holds("{\"x\": {\"y\": \"z\"}}",
                 "{\"x\": {\"y\": \"z\", \"w\": [1]}, \"v\": null}");
}

static void test_check__missing_key(void **state)
{
    (void)state;
    assert_diffs("{\"root_cause\": {\"top\": {\"job\": \"gc\"}}}",
                 "{\"root_cause\": {\"top\": {\"name\": \"gc\"}}}",
                 "- root_cause.top.job: missing\n", 1);
    assert_diffs("{\"a\": null}", "{}", "- a: missing\n", 1);
}

static void test_check__null_actual_is_an_object_without_keys(void **state)
{
    (void)state;
    assert_diffs("{\"root_cause\": {\"top\": {\"job\": \"gc\", \"rank\": 1}}}",
                 "{\"root_cause\": {\"top\": null}}",
                 "- root_cause.top.job: missing\n"
                 "- root_cause.top.rank: missing\n",
                 2);
}

static void test_check__keys_in_sorted_order(void **state)
{
    (void)state;
    assert_diffs("{\"b\": 1, \"a\": 1, \"c\": {\"z\": 1, \"y\": 1}}", "{\"c\": {}}",
                 "- a: missing\n- b: missing\n- c.y: missing\n- c.z: missing\n", 4);
}

static void test_check__odd_keys_are_quoted(void **state)
{
    (void)state;
    assert_diffs("{\"a\": {\"b.c\": 1, \"\": 2}}", "{\"a\": {}}",
                 "- a[\"\"]: missing\n- a[\"b.c\"]: missing\n", 2);
}

/* ---- scalars ---- */

static void test_check__scalars_equal(void **state)
{
    (void)state;
    assert_holds(
        "{\"s\": \"x\", \"i\": 3, \"r\": 2.5, \"t\": true, \"f\": false, \"n\": null}",
        "{\"s\": \"x\", \"i\": 3, \"r\": 2.5, \"t\": true, \"f\": false, \"n\": null}");
    assert_holds("{\"i\": 1}", "{\"i\": 1.0}");
    assert_holds("{\"i\": 1.0}", "{\"i\": 1}");
    assert_holds("{\"s\": \"a\\u0000b\"}", "{\"s\": \"a\\u0000b\"}");
}

static void test_check__scalar_difference_messages(void **state)
{
    (void)state;
    assert_diffs("{\"impact\": {\"broken_count\": 1}}",
                 "{\"impact\": {\"broken_count\": 2}}",
                 "- impact.broken_count: expected 1, got 2\n", 1);
    assert_diffs("{\"t\": \"linux/amd64\"}", "{\"t\": \"linux/amd64, linux/arm64/v8\"}",
                 "- t: expected \"linux/amd64\", got \"linux/amd64, linux/arm64/v8\"\n",
                 1);
    assert_diffs("{\"r\": 1}", "{\"r\": 1.5}", "- r: expected 1, got 1.5\n", 1);
    assert_diffs("{\"b\": true}", "{\"b\": false}", "- b: expected true, got false\n", 1);
    assert_diffs("{\"s\": \"a\\u0000b\"}", "{\"s\": \"a\\u0000c\"}",
                 "- s: expected \"a\\u0000b\", got \"a\\u0000c\"\n", 1);
    assert_diffs("{\"s\": \"two\\nlines\"}", "{\"s\": \"one\"}",
                 "- s: expected \"two\\nlines\", got \"one\"\n", 1);
}

static void test_check__type_mismatch(void **state)
{
    (void)state;
    assert_diffs("{\"a\": 3}", "{\"a\": \"3\"}", "- a: expected 3, got \"3\"\n", 1);
    assert_diffs("{\"a\": null}", "{\"a\": false}", "- a: expected null, got false\n", 1);
    assert_diffs("{\"a\": {\"b\": 1}}", "{\"a\": [1]}",
                 "- a: expected an object, got an array\n", 1);
    assert_diffs("{\"a\": [1]}", "{\"a\": {\"b\": 1}}",
                 "- a: expected an array, got an object\n", 1);
    assert_diffs("{\"a\": [1]}", "{\"a\": null}", "- a: expected an array, got null\n",
                 1);
    assert_diffs("{\"a\": \"x\"}", "{\"a\": {}}", "- a: expected \"x\", got an object\n",
                 1);
    assert_diffs("{\"a\": {}}", "{\"a\": 0}", "- a: expected an object, got 0\n", 1);
    assert_diffs("[1]", "{}", "- (root): expected an array, got an object\n", 1);
}

/* ---- arrays of scalars ---- */

static void test_check__scalar_arrays_match_as_sets(void **state)
{
    (void)state;
    assert_holds("{\"a\": [\"x\", \"y\"]}", "{\"a\": [\"y\", \"z\", \"x\"]}");
    assert_holds("{\"a\": [\"x\", \"x\"]}", "{\"a\": [\"x\"]}");
    assert_holds("{\"a\": []}", "{\"a\": [1, 2]}");
    assert_holds("{\"a\": [1, null, true]}", "{\"a\": [true, null, 1.0]}");
}

static void test_check__missing_scalar_element(void **state)
{
    (void)state;
    assert_diffs("{\"breaks\": [\"infra-ci:latest\", \"infra-ci:old\"]}",
                 "{\"breaks\": [\"infra-ci:latest\", \"base:12\"]}",
                 "- breaks: missing element \"infra-ci:old\"; got "
                 "[\"infra-ci:latest\",\"base:12\"]\n",
                 1);
    assert_diffs("{\"a\": [1, 2]}", "{\"a\": []}",
                 "- a: missing element 1; got []\n- a: missing element 2; got []\n", 2);
    assert_diffs("{\"a\": [1]}", "{\"a\": [{\"b\": 1}, 2]}",
                 "- a: missing element 1; got 2 elements\n", 1);
}

static void test_check__long_actual_list_is_counted_not_printed(void **state)
{
    struct ra_buf act = RA_BUF_INIT;
    int i;

    (void)state;
    ra_buf_puts(&act, "{\"a\": [");
    for (i = 0; i < 40; i++)
        ra_buf_printf(&act, "%s\"element-%02d\"", i ? ", " : "", i);
    ra_buf_puts(&act, "]}");
    assert_diffs("{\"a\": [\"nope\"]}", act.ptr,
                 "- a: missing element \"nope\"; got 40 elements\n", 1);
    ra_buf_release(&act);
}

/* ---- arrays of objects ---- */

static void test_check__object_arrays_are_order_insensitive(void **state)
{
    (void)state;
    assert_holds(
        "{\"f\": [{\"code\": \"b\"}, {\"code\": \"a\"}]}",
        "{\"f\": [{\"code\": \"a\", \"x\": 1}, {\"code\": \"c\"}, {\"code\": \"b\"}]}");
    assert_holds("{\"f\": [{}]}", "{\"f\": [{\"a\": 1}]}");
}

static void test_check__each_actual_element_matches_once(void **state)
{
    (void)state;
    assert_diffs(
        "{\"f\": [{\"code\": \"a\"}, {\"code\": \"a\"}]}", "{\"f\": [{\"code\": \"a\"}]}",
        "- f[1]: missing (its only match is paired with another expected element)\n", 1);
    assert_holds("{\"f\": [{\"code\": \"a\"}, {\"code\": \"a\"}]}",
                 "{\"f\": [{\"code\": \"a\", \"n\": 1}, {\"code\": \"a\", \"n\": 2}]}");
}

/* A greedy pairing takes actual[0] for expected[0] and then has nothing for expected[1].
 */
static void test_check__best_pairing_is_found(void **state)
{
    (void)state;
    assert_holds("{\"f\": [{\"a\": 1}, {\"a\": 1, \"b\": 2}]}",
                 "{\"f\": [{\"a\": 1, \"b\": 2}, {\"a\": 1, \"b\": 3}]}");
    assert_holds(
        "{\"f\": [{\"a\": 1}, {\"b\": 2}, {\"a\": 1, \"b\": 2}]}",
        "{\"f\": [{\"a\": 1, \"b\": 2}, {\"a\": 1, \"b\": 3}, {\"a\": 0, \"b\": 2}]}");
}

static void test_check__element_named_by_repository_and_tag(void **state)
{
    (void)state;
    assert_diffs(
        "{\"impact\": {\"broken_all\": [{\"repository\": \"infra-ci\", \"tag\": "
        "\"latest\", "
        "\"platforms_text\": \"linux/amd64\"}]}}",
        "{\"impact\": {\"broken_all\": [{\"repository\": \"base\", \"tag\": \"12\", "
        "\"platforms_text\": \"linux/amd64\"}, {\"repository\": \"infra-ci\", \"tag\": "
        "\"latest\", \"platforms_text\": \"linux/amd64, linux/arm64/v8\"}]}}",
        "- impact.broken_all[repository=infra-ci,tag=latest].platforms_text: expected "
        "\"linux/amd64\", got \"linux/amd64, linux/arm64/v8\"\n",
        1);
}

static void test_check__element_named_by_code_and_digest_first(void **state)
{
    (void)state;
    assert_diffs(
        "{\"f\": [{\"code\": \"blob_missing\", \"digest\": \"sha256:1b\", "
        "\"repository\": "
        "\"infra-ci\", \"tag\": \"latest\", \"severity\": \"warning\"}]}",
        "{\"f\": [{\"code\": \"blob_missing\", \"digest\": \"sha256:1b\", "
        "\"repository\": "
        "\"infra-ci\", \"tag\": \"latest\", \"severity\": \"critical\"}]}",
        "- f[code=blob_missing,digest=sha256:1b].severity: expected \"warning\", got "
        "\"critical\"\n",
        1);
    /* a null digest does not name it */
    assert_diffs("{\"f\": [{\"code\": \"read_error\", \"digest\": null, \"name\": "
                 "\"s1\", \"x\": 1}]}",
                 "{\"f\": [{\"code\": \"read_error\", \"digest\": null, \"name\": "
                 "\"s1\", \"x\": 2}]}",
                 "- f[name=s1].x: expected 1, got 2\n", 1);
}

static void test_check__element_named_by_name_job_or_index(void **state)
{
    (void)state;
    assert_diffs("{\"fp\": [{\"name\": \"tag_prune\"}]}",
                 "{\"fp\": [{\"name\": \"gc_log\"}]}", "- fp[name=tag_prune]: missing\n",
                 1);
    assert_diffs("{\"s\": [{\"job\": \"gc\", \"rank\": 1}]}",
                 "{\"s\": [{\"job\": \"gc\", \"rank\": 2}]}",
                 "- s[job=gc].rank: expected 1, got 2\n", 1);
    assert_diffs("{\"s\": [{\"job\": 7}]}", "{\"s\": [{\"job\": 8}]}",
                 "- s[job=7]: missing\n", 1);
    assert_diffs("{\"r\": [{\"a\": 1}, {\"b\": 2}]}", "{\"r\": [{\"b\": 2}]}",
                 "- r[0].a: missing\n", 1);
    assert_diffs("{\"r\": [{\"a\": 1}]}", "{}", "- r: missing\n", 1);
    assert_diffs("{\"r\": [{\"a\": 1}]}", "{\"r\": []}", "- r[0]: missing\n", 1);
}

/* Named by index, an element is compared with the closest actual element. */
static void test_check__unnamed_element_compared_with_the_closest(void **state)
{
    (void)state;
    assert_diffs(
        "{\"r\": [{\"a\": 1, \"b\": 2, \"c\": 3}]}",
        "{\"r\": [{\"a\": 0, \"b\": 0, \"c\": 3}, {\"a\": 1, \"b\": 2, \"c\": 4}]}",
        "- r[0].c: expected 3, got 4\n", 1);
}

static void test_check__nested_arrays(void **state)
{
    (void)state;
    assert_holds("{\"m\": [[1, 2], [3]]}", "{\"m\": [[3, 4], [2, 1, 5]]}");
    assert_holds("{\"m\": [[{\"a\": 1}], [{\"b\": 2}]]}",
                 "{\"m\": [[{\"b\": 2}], [{\"a\": 1}]]}");
    assert_diffs("{\"m\": [[1, 2], [9]]}", "{\"m\": [[1, 2, 3]]}",
                 "- m[1]: missing element 9; got [1,2,3]\n", 1);
    assert_diffs(
        "{\"t\": [{\"repository\": \"r\", \"tag\": \"t\", \"platforms\": [{\"platform\": "
        "\"linux/arm64/v8\", \"pullable\": true}]}]}",
        "{\"t\": [{\"repository\": \"r\", \"tag\": \"t\", \"platforms\": [{\"platform\": "
        "\"linux/amd64\", \"pullable\": false}, {\"platform\": \"linux/arm64/v8\", "
        "\"pullable\": false}]}]}",
        "- t[repository=r,tag=t].platforms[platform=linux/arm64/v8].pullable: expected "
        "true, got false\n",
        1);
}

static void test_check__mixed_array(void **state)
{
    (void)state;
    assert_holds("{\"m\": [1, {\"a\": 1}]}", "{\"m\": [{\"a\": 1}, 2, 1]}");
    assert_diffs("{\"m\": [1, {\"a\": 1}]}", "{\"m\": [{\"a\": 2}, 2]}",
                 "- m: missing element 1; got 2 elements\n- m[1].a: expected 1, got 2\n",
                 2);
}

/* ---- counts ---- */

static void test_check__expectations_are_the_leaves(void **state)
{
    struct result r = {RA_BUF_INIT, 0, 0};

    (void)state;
    check(&r, "{\"a\": 1, \"b\": {\"c\": [1, 2, {\"d\": null}], \"e\": {}, \"f\": []}}",
          "{\"a\": 1, \"b\": {\"c\": [1, 2, {\"d\": null}], \"e\": {}, \"f\": []}}");
    assert_int_equal(r.nchecked, 6);
    assert_int_equal(r.ndiffs, 0);
    check(&r, "{}", "{}");
    assert_int_equal(r.nchecked, 1);
    check(&r, "{\"a\": 1, \"b\": 2}", "{\"a\": 2}");
    assert_int_equal(r.nchecked, 2);
    assert_int_equal(r.ndiffs, 2);
    ra_buf_release(&r.diffs);
}

static void test_check__ndiffs_accumulates(void **state)
{
    struct ra_buf diffs = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    size_t ndiffs = 5, nchecked = 0;
    json_t *e = json_pack("{s:i}", "a", 1), *a = json_object();

    (void)state;
    assert_int_equal(ra_check_subset(&diffs, &ndiffs, &nchecked, e, a, &err), 0);
    assert_int_equal(ndiffs, 6);
    assert_int_equal(nchecked, 1);
    json_decref(e);
    json_decref(a);
    ra_buf_release(&diffs);
}

/* ---- limits ---- */

static void test_check__too_large_array_is_refused(void **state)
{
    struct ra_buf diffs = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    size_t ndiffs = 0, nchecked = 0, i;
    json_t *e = json_array(), *a = json_array(), *de = json_object(), *da = json_object();

    (void)state;
    for (i = 0; i < 4097; i++) {
        json_array_append_new(e, json_object());
        json_array_append_new(a, json_object());
    }
    json_object_set_new(de, "rows", e);
    json_object_set_new(da, "rows", a);
    assert_int_equal(ra_check_subset(&diffs, &ndiffs, &nchecked, de, da, &err),
                     RA_ELIMIT);
    assert_int_equal(err.code, RA_ELIMIT);
    assert_non_null(strstr(err.msg, "too large to match"));
    json_decref(de);
    json_decref(da);
    ra_buf_release(&diffs);
}

/* ---- loading ---- */

static const char *write_tmp(char *path, const char *text)
{
    int fd;
    FILE *f;

    snprintf(path, 64, "%s", "/tmp/test_check.XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void assert_load_fails(const char *text, int code, const char *msg)
{
    struct ra_err err = RA_ERR_INIT;
    char path[64];
    json_t *out = (json_t *)1;

    write_tmp(path, text);
    assert_int_equal(ra_check_load(&out, path, &err), code);
    assert_int_equal(err.code, code);
    assert_null(out);
    assert_non_null(strstr(err.msg, path));
    if (!strstr(err.msg, msg))
        fail_msg("'%s' does not contain '%s'", err.msg, msg);
    unlink(path);
}

static void test_check__load(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    char path[64];
    json_t *out = NULL;

    (void)state;
    write_tmp(path, "{\"impact\": {\"broken_count\": 1}}\n");
    assert_int_equal(ra_check_load(&out, path, &err), 0);
    assert_int_equal(json_integer_value(
                         json_object_get(json_object_get(out, "impact"), "broken_count")),
                     1);
    json_decref(out);
    unlink(path);
}

static void test_check__load_errors(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    json_t *out = NULL;

    (void)state;
    assert_int_equal(ra_check_load(&out, "/nonexistent/expected.json", &err),
                     RA_ENOTFOUND);
    assert_string_equal(
        err.msg, "'/nonexistent/expected.json': cannot open: No such file or directory");
    assert_load_fails("{\"a\": 1,\n \"b\": }\n", RA_EFORMAT, ": line 2, column 7: ");
    assert_load_fails("", RA_EFORMAT, ": line 1, column 0: ");
    assert_load_fails("{\"a\": 1, \"a\": 2}", RA_EFORMAT, "duplicate object key");
    assert_load_fails("[1, 2]", RA_EFORMAT, "not a JSON object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check__object_keys_absent_from_expected_are_not_checked),
        cmocka_unit_test(test_check__missing_key),
        cmocka_unit_test(test_check__null_actual_is_an_object_without_keys),
        cmocka_unit_test(test_check__keys_in_sorted_order),
        cmocka_unit_test(test_check__odd_keys_are_quoted),
        cmocka_unit_test(test_check__scalars_equal),
        cmocka_unit_test(test_check__scalar_difference_messages),
        cmocka_unit_test(test_check__type_mismatch),
        cmocka_unit_test(test_check__scalar_arrays_match_as_sets),
        cmocka_unit_test(test_check__missing_scalar_element),
        cmocka_unit_test(test_check__long_actual_list_is_counted_not_printed),
        cmocka_unit_test(test_check__object_arrays_are_order_insensitive),
        cmocka_unit_test(test_check__each_actual_element_matches_once),
        cmocka_unit_test(test_check__best_pairing_is_found),
        cmocka_unit_test(test_check__element_named_by_repository_and_tag),
        cmocka_unit_test(test_check__element_named_by_code_and_digest_first),
        cmocka_unit_test(test_check__element_named_by_name_job_or_index),
        cmocka_unit_test(test_check__unnamed_element_compared_with_the_closest),
        cmocka_unit_test(test_check__nested_arrays),
        cmocka_unit_test(test_check__mixed_array),
        cmocka_unit_test(test_check__expectations_are_the_leaves),
        cmocka_unit_test(test_check__ndiffs_accumulates),
        cmocka_unit_test(test_check__too_large_array_is_refused),
        cmocka_unit_test(test_check__load),
        cmocka_unit_test(test_check__load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
