/* SPDX-License-Identifier: MIT */
/* Rendering: the built-in templates are exactly the files in templates/, sorted by
 * name, and render as the directory does. */
#include "report/render.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "report/builtin.h"

#ifndef RA_TEMPLATES
#define RA_TEMPLATES "templates"
#endif

static void read_all(struct ra_buf *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    char chunk[4096];
    size_t n;

    assert_non_null(f);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ra_buf_put(out, chunk, n);
    fclose(f);
}

/* Every templates/NAME.mustache is built in as NAME with the same bytes, and nothing
 * else. */
static void test_render__builtin_matches_the_files(void **state)
{
    const struct ra_builtin_template *t;
    struct ra_buf path = RA_BUF_INIT, file = RA_BUF_INIT;
    struct dirent *e;
    DIR *d = opendir(RA_TEMPLATES);
    size_t files = 0, builtin = 0, len;

    (void)state;
    assert_non_null(d);
    while ((e = readdir(d))) {
        len = strlen(e->d_name);
        if (len <= 9 || strcmp(e->d_name + len - 9, ".mustache"))
            continue;
        files++;
        for (t = ra_builtin_templates; t->name; t++)
            if (strlen(t->name) == len - 9 && !strncmp(t->name, e->d_name, len - 9))
                break;
        assert_non_null(t->name);
        ra_buf_truncate(&path, 0);
        ra_buf_truncate(&file, 0);
        ra_buf_printf(&path, "%s/%s", RA_TEMPLATES, e->d_name);
        read_all(&file, path.ptr);
        assert_int_equal(t->len, file.len);
        assert_memory_equal(t->src, ra_buf_cstr(&file), file.len);
        assert_int_equal(t->src[t->len], '\0');
    }
    closedir(d);
    for (t = ra_builtin_templates; t->name; t++, builtin++)
        if (t != ra_builtin_templates)
            assert_true(strcmp(t[-1].name, t->name) < 0);
    assert_int_equal(builtin, files);
    assert_true(files >= 10);
    ra_buf_release(&path);
    ra_buf_release(&file);
}

/* The same model through the built-in set and through templates/ gives the same bytes. */
static void test_render__builtin_renders_as_the_directory(void **state)
{
    struct ra_buf a = RA_BUF_INIT, b = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    json_t *model = json_pack("{s:s, s:{s:i, s:b}}", "title", "a | title", "summary",
                              "broken_tags", 2, "has_broken", 1);

    (void)state;
    assert_non_null(model);
    assert_int_equal(ra_report_render(&a, model, RA_TEMPLATES, &err), 0);
    assert_int_equal(ra_report_render_builtin(&b, model, &err), 0);
    assert_true(a.len > 100);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(ra_buf_cstr(&a), ra_buf_cstr(&b), a.len);
    assert_non_null(strstr(ra_buf_cstr(&b), "a \\| title"));
    json_decref(model);
    ra_buf_release(&a);
    ra_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render__builtin_matches_the_files),
        cmocka_unit_test(test_render__builtin_renders_as_the_directory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
