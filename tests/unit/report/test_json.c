/* SPDX-License-Identifier: MIT */
/* report/json: the streaming writer gives, byte for byte, what ra_json_write gives for
 * the whole tree (nested objects and arrays, empty ones, escapes, scalars of every
 * kind), whether it keeps the text or flushes it to a file as it goes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/json.h"

/* The tree: {"a": [], "b": {"c": [1, {"d": "x\ny\"z", "e": null}, [], {}], "f": {}},
 * "g": [true, 1.5, "sha256:\u00e9"], "h": 7}. keys in sorted order. */
static json_t *element(int i)
{
    switch (i) {
    case 0:
        return json_integer(1);
    case 1:
        return json_pack("{s:s,s:n}", "d", "x\ny\"z", "e");
    case 2:
        return json_array();
    default:
        return json_object();
    }
}

static json_t *tree(void)
{
    json_t *c = json_array();
    int i;

    for (i = 0; i < 4; i++)
        json_array_append_new(c, element(i));
    return json_pack("{s:[],s:{s:o,s:{}},s:[b,f,s],s:i}", "a", "b", "c", c, "f", "g", 1,
                     1.5, "sha256:\xc3\xa9", "h", 7);
}

/* The same document through the writer, the big array element by element. */
static int stream(struct ra_buf *out, FILE *flush, struct ra_err *err)
{
    struct ra_jsonw w;
    int i;

    ra_jsonw_init(&w, out, flush);
    ra_jsonw_open(&w, NULL, '{');
    ra_jsonw_open(&w, "a", '[');
    ra_jsonw_close(&w);
    ra_jsonw_open(&w, "b", '{');
    ra_jsonw_open(&w, "c", '[');
    for (i = 0; i < 4; i++)
        ra_jsonw_value(&w, NULL, element(i));
    ra_jsonw_close(&w);
    ra_jsonw_value(&w, "f", json_object());
    ra_jsonw_close(&w);
    ra_jsonw_value(&w, "g", json_pack("[b,f,s]", 1, 1.5, "sha256:\xc3\xa9"));
    ra_jsonw_value(&w, "h", json_integer(7));
    ra_jsonw_close(&w);
    return ra_jsonw_finish(&w, "test", err);
}

static void test_json__writer_matches_tree(void **state)
{
    struct ra_buf want = RA_BUF_INIT, got = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_int_equal(ra_json_write(&want, tree(), JSON_INDENT(2), "test", &err), 0);
    assert_int_equal(stream(&got, NULL, &err), 0);
    assert_string_equal(ra_buf_cstr(&got), ra_buf_cstr(&want));
    /* and it is the layout we think it is */
    assert_non_null(strstr(ra_buf_cstr(&want),
                           "{\n  \"a\": [],\n  \"b\": {\n    \"c\": [\n"
                           "      1,\n      {\n        \"d\": "
                           "\"x\\ny\\\"z\",\n"));
    ra_buf_release(&want);
    ra_buf_release(&got);
}

static void test_json__writer_flushes_to_a_file(void **state)
{
    struct ra_buf want = RA_BUF_INIT, got = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    FILE *f = tmpfile();
    char text[4096];
    size_t n;

    (void)state;
    assert_non_null(f);
    assert_int_equal(ra_json_write(&want, tree(), JSON_INDENT(2), "test", &err), 0);
    assert_int_equal(stream(&got, f, &err), 0);
    assert_int_equal(got.len, 0); /* all of it went to the file */
    rewind(f);
    n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    assert_string_equal(text, ra_buf_cstr(&want));
    fclose(f);
    ra_buf_release(&want);
    ra_buf_release(&got);
}

/* Large: ten thousand elements pass through the file 64 KiB at a time. */
static void test_json__writer_large(void **state)
{
    struct ra_buf want = RA_BUF_INIT, got = RA_BUF_INIT, back = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_jsonw w;
    json_t *doc = json_object(), *a = json_array();
    FILE *f = tmpfile();
    char chunk[65536];
    size_t n;
    int i;

    (void)state;
    for (i = 0; i < 10000; i++)
        json_array_append_new(a,
                              json_pack("{s:i,s:s}", "n", i, "path", "blobs/sha256/ab"));
    json_object_set_new(doc, "list", a);
    assert_int_equal(ra_json_write(&want, doc, JSON_INDENT(2), "test", &err), 0);

    ra_jsonw_init(&w, &got, f);
    ra_jsonw_open(&w, NULL, '{');
    ra_jsonw_open(&w, "list", '[');
    for (i = 0; i < 10000; i++) {
        ra_jsonw_value(&w, NULL,
                       json_pack("{s:i,s:s}", "n", i, "path", "blobs/sha256/ab"));
        assert_true(got.len < 65536 + 4096);
    }
    ra_jsonw_close(&w);
    ra_jsonw_close(&w);
    assert_int_equal(ra_jsonw_finish(&w, "test", &err), 0);
    rewind(f);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ra_buf_put(&back, chunk, n);
    assert_int_equal(back.len, want.len);
    assert_memory_equal(back.ptr, want.ptr, want.len);
    fclose(f);
    ra_buf_release(&want);
    ra_buf_release(&got);
    ra_buf_release(&back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json__writer_matches_tree),
        cmocka_unit_test(test_json__writer_flushes_to_a_file),
        cmocka_unit_test(test_json__writer_large),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
