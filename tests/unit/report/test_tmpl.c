/* SPDX-License-Identifier: MIT */
/* Template engine: the spec cases in the tmpl_spec JSON files, Markdown escaping, errors
 * with positions, partial loading and limits. */
#include "report/tmpl.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#ifndef RA_TMPL_SPEC
#define RA_TMPL_SPEC "tests/unit/report/tmpl_spec"
#endif

#define MIN_SPEC_CASES 80

/* Partials from a JSON object of name -> source (the payload); counts the loads. */
struct map {
    json_t *partials;
    int loads;
};

static int map_loader(struct ra_buf *out, const char *name, void *payload,
                      struct ra_err *err)
{
    struct map *m = payload;
    json_t *p = m->partials ? json_object_get(m->partials, name) : NULL;

    (void)err;
    if (!json_is_string(p))
        return RA_ENOTFOUND;
    m->loads++;
    ra_buf_put(out, json_string_value(p), json_string_length(p));
    return 0;
}

static int eio_loader(struct ra_buf *out, const char *name, void *payload,
                      struct ra_err *err)
{
    (void)out;
    (void)payload;
    return ra_err_set(err, RA_EIO, "partial '%s': disk on fire", name);
}

/* Render src with data given as JSON text and partials as a JSON object text. */
static int render(struct ra_buf *out, const char *src, const char *data_json,
                  const char *partials_json, struct ra_err *err)
{
    struct map m = {NULL, 0};
    json_t *data = data_json ? json_loads(data_json, 0, NULL) : NULL;
    int error;

    if (partials_json)
        m.partials = json_loads(partials_json, 0, NULL);
    assert_true(!data_json || data);
    assert_true(!partials_json || m.partials);
    error = ra_tmpl_render(out, "t.md", src, strlen(src), data, map_loader, &m, err);
    json_decref(data);
    json_decref(m.partials);
    return error;
}

static void assert_renders(const char *src, const char *data_json, const char *expected)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    assert_int_equal(render(&out, src, data_json, NULL, &err), 0);
    assert_string_equal(ra_buf_cstr(&out), expected);
    ra_buf_release(&out);
}

static void assert_fails(const char *src, const char *partials_json, int code,
                         const char *msg)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    assert_int_equal(render(&out, src, "{}", partials_json, &err), code);
    assert_int_equal(err.code, code);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
    assert_int_equal(out.len, 0);
    ra_buf_release(&out);
}

/* ---- spec cases ---- */

static int run_case(const char *file, json_t *c)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct map m = {json_object_get(c, "partials"), 0};
    const char *name = json_string_value(json_object_get(c, "name"));
    json_t *tmpl = json_object_get(c, "template");
    json_t *expected = json_object_get(c, "expected");
    int error, ok;

    if (!name || !json_is_string(tmpl) || !json_is_string(expected)) {
        print_error("%s: malformed case '%s'\n", file, name ? name : "?");
        return 0;
    }
    error = ra_tmpl_render(&out, name, json_string_value(tmpl), json_string_length(tmpl),
                           json_object_get(c, "data"), map_loader, &m, &err);
    ok = error == 0 && out.len == json_string_length(expected) &&
         memcmp(ra_buf_cstr(&out), json_string_value(expected), out.len) == 0;
    if (!ok)
        print_error("%s: '%s': error %d '%s'\n  expected: '%s'\n  got:      '%s'\n", file,
                    name, error, err.msg, json_string_value(expected), ra_buf_cstr(&out));
    ra_buf_release(&out);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the *.json files in the spec directory, sorted. */
static size_t spec_files(char **names, size_t cap)
{
    DIR *d = opendir(RA_TMPL_SPEC);
    struct dirent *e;
    size_t n = 0, len;

    assert_non_null(d);
    for (e = readdir(d); e && n < cap; e = readdir(d)) {
        len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            names[n++] = ra_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(*names), cmp_str);
    return n;
}

static void test_tmpl__spec_cases(void **state)
{
    char *names[64], path[512];
    size_t nfiles, i, k, total = 0, passed = 0;
    json_error_t jerr;
    json_t *cases;

    (void)state;
    nfiles = spec_files(names, RA_ARRAY_SIZE(names));
    assert_true(nfiles >= 6);
    for (i = 0; i < nfiles; i++) {
        snprintf(path, sizeof(path), "%s/%s", RA_TMPL_SPEC, names[i]);
        cases = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
        if (!cases)
            fail_msg("%s: %s (line %d)", path, jerr.text, jerr.line);
        assert_true(json_is_array(cases));
        for (k = 0; k < json_array_size(cases); k++, total++)
            passed += (size_t)run_case(names[i], json_array_get(cases, k));
        json_decref(cases);
        free(names[i]);
    }
    print_message("tmpl spec: %zu/%zu cases passed in %zu files\n", passed, total,
                  nfiles);
    assert_true(total >= MIN_SPEC_CASES);
    assert_int_equal(passed, total);
}

/* ---- escaping and values ---- */

static void test_tmpl__escapes_pipe_in_table_cell(void **state)
{
    (void)state;
    assert_renders("| {{tag}} | {{digest}} |\n",
                   "{\"tag\": \"v1|v2\", \"digest\": \"a|b|c\"}",
                   "| v1\\|v2 | a\\|b\\|c |\n");
}

static void test_tmpl__escapes_backticks(void **state)
{
    (void)state;
    assert_renders("| {{cmd}} |", "{\"cmd\": \"`rm -rf` x`\"}", "| \\`rm -rf\\` x\\` |");
}

static void test_tmpl__line_breaks_become_escapes(void **state)
{
    (void)state;
    assert_renders("| {{msg}} |\n", "{\"msg\": \"a\\nb\\r\\nc\\rd\\u001b[31m\"}",
                   "| a\\x0ab\\x0d\\x0ac\\x0dd\\x1b\\[31m |\n");
}

static void test_tmpl__escapes_html_links_and_emphasis(void **state)
{
    (void)state;
    assert_renders("{{v}}", "{\"v\": \"<a href='x'>&amp;</a> ![i](u) *b* _e_ [l](h)\"}",
                   "\\<a href='x'\\>\\&amp;\\</a\\> !\\[i\\](u) \\*b\\* \\_e\\_ "
                   "\\[l\\](h)");
    assert_renders("# {{v}}", "{\"v\": \"# x https://e.com www.e.com @me ~s~\"}",
                   "# \\# x https\\://e.com www\\.e.com \\@me \\~s\\~");
}

static void test_tmpl__raw_is_unescaped(void **state)
{
    (void)state;
    assert_renders("{{{v}}}/{{& v}}", "{\"v\": \"|`\\n\"}", "|`\n/|`\n");
}

static void test_tmpl__numbers_print_as_json(void **state)
{
    (void)state;
    assert_renders(
        "{{i}} {{r}} {{z}} {{e}} {{t}} {{n}}",
        "{\"i\": 42, \"r\": 0.1, \"z\": 2.0, \"e\": 1e300, \"t\": true, \"n\": null}",
        "42 0.1 2 1e+300 true ");
}

static void test_tmpl__appends_and_allows_null_data(void **state)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    const char *src = "[{{x}}{{#x}}no{{/x}}{{^x}}yes{{/x}}{{.}}]";

    (void)state;
    ra_buf_puts(&out, "keep:");
    assert_int_equal(ra_tmpl_render(&out, "t", src, strlen(src), NULL, NULL, NULL, &err),
                     0);
    assert_string_equal(ra_buf_cstr(&out), "keep:[yes]");
    ra_buf_release(&out);
}

static void test_tmpl__renders_only_len_bytes(void **state)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_int_equal(ra_tmpl_render(&out, "t", "ab{{x}}", 2, NULL, NULL, NULL, &err), 0);
    assert_string_equal(ra_buf_cstr(&out), "ab");
    ra_buf_release(&out);
}

/* ---- errors ---- */

static void test_tmpl__unclosed_tag(void **state)
{
    (void)state;
    assert_fails("a\n  {{name", NULL, RA_EFORMAT,
                 "template 't.md': line 2, column 3: unclosed tag '{{'");
    assert_fails("{{{name}}", NULL, RA_EFORMAT, "line 1, column 1: unclosed tag");
    assert_fails("x {{! never closed\n", NULL, RA_EFORMAT,
                 "line 1, column 3: unclosed tag");
}

static void test_tmpl__unclosed_section(void **state)
{
    (void)state;
    assert_fails("ok\n {{#a}}\n{{^b}}{{/b}}\n", NULL, RA_EFORMAT,
                 "template 't.md': line 2, column 2: unclosed section '{{#a}}'");
    assert_fails("{{^inv}}", NULL, RA_EFORMAT,
                 "line 1, column 1: unclosed section '{{^inv}}'");
}

static void test_tmpl__mismatched_close(void **state)
{
    (void)state;
    assert_fails("{{#a}}\nx\n{{/b}}", NULL, RA_EFORMAT,
                 "template 't.md': line 3, column 1: '{{/b}}' closes '{{#a}}'");
    assert_fails("{{#a}}{{^b}}{{/a}}{{/b}}", NULL, RA_EFORMAT,
                 "line 1, column 13: '{{/a}}' closes '{{^b}}'");
    assert_fails("x{{/a}}", NULL, RA_EFORMAT,
                 "line 1, column 2: '{{/a}}' closes nothing");
}

static void test_tmpl__empty_tag_name(void **state)
{
    (void)state;
    assert_fails("ab{{}}", NULL, RA_EFORMAT, "line 1, column 3: empty tag name");
    assert_fails("{{#  }}{{/  }}", NULL, RA_EFORMAT, "line 1, column 1: empty tag name");
    assert_fails("\n{{{ }}}", NULL, RA_EFORMAT, "line 2, column 1: empty tag name");
    assert_fails("{{& }}", NULL, RA_EFORMAT, "empty tag name");
    assert_fails("{{>}}", NULL, RA_EFORMAT, "empty tag name");
}

static void test_tmpl__bad_delimiters(void **state)
{
    (void)state;
    assert_fails("{{=<%=}}", NULL, RA_EFORMAT, "line 1, column 1: bad delimiters '<%'");
    assert_fails("{{=<% %> x=}}", NULL, RA_EFORMAT, "bad delimiters");
    assert_fails("{{=<% %>=}}<%x", NULL, RA_EFORMAT,
                 "line 1, column 12: unclosed tag '<%'");
}

static void test_tmpl__unknown_partial(void **state)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct map m = {NULL, 0};
    const char *src = "# Postmortem\n\n\n\n\n\n\n\n\n\n\n    {{> timelin }}\n";
    int error;

    (void)state;
    m.partials = json_pack("{s:s}", "timeline", "t");
    error = ra_tmpl_render(&out, "postmortem.md", src, strlen(src), NULL, map_loader, &m,
                           &err);
    assert_int_equal(error, RA_ENOTFOUND);
    assert_int_equal(err.code, RA_ENOTFOUND);
    assert_string_equal(err.msg, "template 'postmortem.md': line 12, column 5: "
                                 "unknown partial 'timelin'");
    assert_int_equal(out.len, 0);
    json_decref(m.partials);
    ra_buf_release(&out);
}

static void test_tmpl__unknown_partial_without_loader(void **state)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_int_equal(ra_tmpl_render(&out, "t", "a{{>p}}", 7, NULL, NULL, NULL, &err),
                     RA_ENOTFOUND);
    assert_string_equal(err.msg, "template 't': line 1, column 2: unknown partial 'p'");
    ra_buf_release(&out);
}

static void test_tmpl__errors_inside_partials_name_the_partial(void **state)
{
    (void)state;
    assert_fails("{{>a}}", "{\"a\": \"x\\n {{>b}}\"}", RA_ENOTFOUND,
                 "template 'a': line 2, column 2: unknown partial 'b'");
    assert_fails("{{#s}}{{/s}}{{>a}}", "{\"a\": \"\\n\\n{{#x}}\"}", RA_EFORMAT,
                 "template 'a': line 3, column 1: unclosed section '{{#x}}'");
}

static void test_tmpl__unrendered_partial_is_not_loaded(void **state)
{
    (void)state;
    assert_renders("{{#no}}{{>missing}}{{/no}}ok", "{}", "ok");
}

static void test_tmpl__loader_errors_pass_through(void **state)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    ra_buf_puts(&out, "keep");
    assert_int_equal(
        ra_tmpl_render(&out, "t", "x{{>p}}", 7, NULL, eio_loader, NULL, &err), RA_EIO);
    assert_string_equal(err.msg, "partial 'p': disk on fire");
    assert_string_equal(ra_buf_cstr(&out), "keep");
    ra_buf_release(&out);
}

static void test_tmpl__partial_loaded_once(void **state)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct map m = {NULL, 0};
    const char *src = "{{#l}}{{>row}}{{/l}}{{>row}}";
    json_t *data = json_pack("{s:[i,i,i]}", "l", 1, 2, 3);

    (void)state;
    m.partials = json_pack("{s:s}", "row", "<{{.}}>");
    assert_int_equal(
        ra_tmpl_render(&out, "t", src, strlen(src), data, map_loader, &m, &err), 0);
    assert_string_equal(ra_buf_cstr(&out), "<1><2><3><{\"l\":\\[1,2,3\\]}>");
    assert_int_equal(m.loads, 1);
    json_decref(m.partials);
    json_decref(data);
    ra_buf_release(&out);
}

static void test_tmpl__partial_recursion_limit(void **state)
{
    (void)state;
    assert_fails("x\n {{>p}}", "{\"p\": \"{{>p}}\"}", RA_ELIMIT,
                 "template 'p': line 1, column 1: partials nested deeper than 32");
}

static void test_tmpl__section_depth_limit(void **state)
{
    struct ra_buf src = RA_BUF_INIT;
    int i;

    (void)state;
    for (i = 0; i <= RA_TMPL_MAX_SECTION_DEPTH; i++)
        ra_buf_puts(&src, "{{#a}}");
    assert_fails(ra_buf_cstr(&src), NULL, RA_ELIMIT,
                 "line 1, column 385: sections nested deeper than 64");
    ra_buf_release(&src);
}

/* ---- directory loader ---- */

struct tmpdir {
    char path[64];
};

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
}

static int setup_dir(void **state)
{
    struct tmpdir *t = ra_xcalloc(1, sizeof(*t));

    snprintf(t->path, sizeof(t->path), "/tmp/ra_tmpl_XXXXXX");
    if (!mkdtemp(t->path)) {
        free(t);
        return -1;
    }
    write_file(t->path, "row.mustache", "| {{name}} |\n");
    write_file(t->path, "page.mustache", "| name |\n|---|\n{{#l}}\n  {{>row}}\n{{/l}}\n");
    *state = t;
    return 0;
}

static int teardown_dir(void **state)
{
    struct tmpdir *t = *state;

    remove_file(t->path, "row.mustache");
    remove_file(t->path, "page.mustache");
    rmdir(t->path);
    free(t);
    return 0;
}

static void test_tmpl__dir_loader_loads(void **state)
{
    struct tmpdir *t = *state;
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    assert_int_equal(ra_tmpl_dir_loader(&out, "row", t->path, &err), 0);
    assert_string_equal(ra_buf_cstr(&out), "| {{name}} |\n");
    ra_buf_release(&out);
}

static void test_tmpl__dir_loader_rejects_escapes(void **state)
{
    static const char *bad[] = {"../x", "..", ".hidden", "a/b", "/etc/passwd", ""};
    struct tmpdir *t = *state;
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(bad); i++) {
        ra_err_clear(&err);
        assert_int_equal(ra_tmpl_dir_loader(&out, bad[i], t->path, &err), RA_ENOTFOUND);
        assert_int_equal(err.code, RA_ENOTFOUND);
        assert_non_null(strstr(err.msg, "name must not"));
        assert_int_equal(out.len, 0);
    }
    ra_buf_release(&out);
}

static void test_tmpl__dir_loader_missing_file(void **state)
{
    struct tmpdir *t = *state;
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    assert_int_equal(ra_tmpl_dir_loader(&out, "nope", t->path, &err), RA_ENOTFOUND);
    assert_non_null(strstr(err.msg, "partial 'nope': cannot open"));
    ra_buf_release(&out);
}

static void test_tmpl__dir_loader_renders_indented_partials(void **state)
{
    struct tmpdir *t = *state;
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    json_t *data = json_pack("{s:[{s:s},{s:s}]}", "l", "name", "a|b", "name", "c\nd");
    const char *src = "{{>page}}";

    assert_int_equal(ra_tmpl_render(&out, "main.md", src, strlen(src), data,
                                    ra_tmpl_dir_loader, t->path, &err),
                     0);
    assert_string_equal(ra_buf_cstr(&out),
                        "| name |\n|---|\n  | a\\|b |\n  | c\\x0ad |\n");
    ra_buf_truncate(&out, 0);
    src = "{{>../row}}";
    assert_int_equal(ra_tmpl_render(&out, "main.md", src, strlen(src), data,
                                    ra_tmpl_dir_loader, t->path, &err),
                     RA_ENOTFOUND);
    assert_string_equal(err.msg,
                        "template 'main.md': line 1, column 1: unknown partial '../row'");
    json_decref(data);
    ra_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tmpl__spec_cases),
        cmocka_unit_test(test_tmpl__escapes_pipe_in_table_cell),
        cmocka_unit_test(test_tmpl__escapes_backticks),
        cmocka_unit_test(test_tmpl__line_breaks_become_escapes),
        cmocka_unit_test(test_tmpl__escapes_html_links_and_emphasis),
        cmocka_unit_test(test_tmpl__raw_is_unescaped),
        cmocka_unit_test(test_tmpl__numbers_print_as_json),
        cmocka_unit_test(test_tmpl__appends_and_allows_null_data),
        cmocka_unit_test(test_tmpl__renders_only_len_bytes),
        cmocka_unit_test(test_tmpl__unclosed_tag),
        cmocka_unit_test(test_tmpl__unclosed_section),
        cmocka_unit_test(test_tmpl__mismatched_close),
        cmocka_unit_test(test_tmpl__empty_tag_name),
        cmocka_unit_test(test_tmpl__bad_delimiters),
        cmocka_unit_test(test_tmpl__unknown_partial),
        cmocka_unit_test(test_tmpl__unknown_partial_without_loader),
        cmocka_unit_test(test_tmpl__errors_inside_partials_name_the_partial),
        cmocka_unit_test(test_tmpl__unrendered_partial_is_not_loaded),
        cmocka_unit_test(test_tmpl__loader_errors_pass_through),
        cmocka_unit_test(test_tmpl__partial_loaded_once),
        cmocka_unit_test(test_tmpl__partial_recursion_limit),
        cmocka_unit_test(test_tmpl__section_depth_limit),
        cmocka_unit_test_setup_teardown(test_tmpl__dir_loader_loads, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_tmpl__dir_loader_rejects_escapes, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_tmpl__dir_loader_missing_file, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_tmpl__dir_loader_renders_indented_partials,
                                        setup_dir, teardown_dir),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
