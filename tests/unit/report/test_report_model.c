/* SPDX-License-Identifier: MIT */
/* report/report_model: the regautopsy.report/1 document ra_report_build makes of a
 * hand-built investigation (pm_fixture.h): its sections, in full; the generator, time
 * and title as the options give them (or the title derived from the broken tags); the
 * period, date and summary counts; the loss table capped at table_cap with the total
 * kept beside the rows; the investigation's notes. The sections' own contents have
 * their tests (test_pm_*.c). */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "report/report_model.h"

#include "json_fixture.h"
#include "pm_fixture.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The document's keys, sorted, space-separated. */
static void expect_keys(json_t *o, const char *want)
{
    struct ra_buf got = RA_BUF_INIT;
    struct ra_vec keys = RA_VEC_INIT;
    const char *k;
    json_t *v;
    size_t i;

    json_object_foreach(o, k, v)
    {
        (void)v;
        ra_vec_push(&keys, (void *)k);
    }
    ra_vec_sort(&keys, cmp_str);
    for (i = 0; i < keys.len; i++)
        ra_buf_printf(&got, "%s%s", i ? " " : "", (const char *)keys.items[i]);
    assert_string_equal(ra_buf_cstr(&got), want);
    ra_vec_release(&keys);
    ra_buf_release(&got);
}

#define KEYS                                                                             \
    "appendix authors config_changes date detection detection_gap generated_at "         \
    "generated_by has_notes impact inputs lessons loss_table losses notes period "       \
    "prediction prevention recovery resolution root_cause schema status summary "        \
    "timeline "                                                                          \
    "title"

/* Two losses on the 12th, the 2.x garbage-collect at 03:25 a high suspect; the options
 * as the command line leaves them but version 9.9 and a table cap of one row. */
static json_t *build(struct pmfix *f)
{
    struct ra_err err = RA_ERR_INIT;
    json_t *doc = NULL;

    assert_int_equal(ra_report_build(&doc, &f->inv, &f->opts, &err), 0);
    assert_non_null(doc);
    return doc;
}

static void test_report_model__defaults(void **state)
{
    struct pmfix f;
    json_t *doc, *table;

    (void)state;
    pmfix_init(&f, 2, 2);
    pmfix_gc(&f, RA_CONF_HIGH);
    f.opts.version = "9.9";
    f.opts.table_cap = 1;
    doc = build(&f);
    expect_keys(doc, KEYS);
    fix_json_expect(json_object_get(doc, "schema"), "\"regautopsy.report/1\"");
    fix_json_expect(json_object_get(doc, "status"), "\"draft\"");
    fix_json_expect(json_object_get(doc, "generated_by"), "\"regautopsy 9.9\"");
    /* no wall-clock time unless --now */
    fix_json_expect(json_object_get(doc, "generated_at"), "null");
    /* the title from the broken tags */
    fix_json_expect(json_object_get(doc, "title"),
                    "\"infra-ci:latest cannot be pulled\"");
    /* a week either side of the loss window */
    fix_json_expect(
        json_object_get(doc, "period"),
        "{\"from\":\"2026-04-05T01:00:00Z\",\"to\":\"2026-04-19T03:25:01Z\"}");
    fix_json_expect(json_object_get(doc, "date"), "\"2026-04-12\"");
    fix_json_expect(json_object_get(doc, "authors"), "\"" RA_PM_AUTHOR_PLACEHOLDER "\"");
    fix_json_expect(json_object_get(json_object_get(doc, "summary"), "broken_tags"), "1");
    fix_json_expect(json_object_get(json_object_get(doc, "summary"), "lost_objects"),
                    "2");
    {
        static const char start[] =
            "1 tag cannot be pulled: infra-ci:latest (all). 2 objects that it needs "
            "went missing between 2026-04-12T01:00:00Z and 2026-04-12T03:25:01Z. ";
        const char *text =
            json_string_value(json_object_get(json_object_get(doc, "summary"), "text"));
        assert_non_null(text);
        assert_int_equal(strncmp(text, start, strlen(start)), 0);
    }
    /* the table shows one row and says how many more; the losses are all there */
    table = json_object_get(doc, "loss_table");
    assert_int_equal(json_array_size(json_object_get(table, "rows")), 1);
    fix_json_expect(json_object_get(table, "rows_more"), "true");
    fix_json_expect(json_object_get(table, "rows_omitted"), "1");
    assert_int_equal(json_array_size(json_object_get(doc, "losses")), 2);
    fix_json_expect(
        json_object_get(json_array_get(json_object_get(table, "rows"), 0), "digest"),
        "\"sha256:0100000000000000000000000000000000000000000000000000000000000000\"");
    fix_json_expect(json_object_get(doc, "notes"), "[]");
    fix_json_expect(json_object_get(doc, "has_notes"), "false");
    json_decref(doc);
    pmfix_release(&f);
}

static void test_report_model__options_and_notes(void **state)
{
    struct pmfix f;
    json_t *doc, *table;

    (void)state;
    pmfix_init(&f, 2, 2);
    pmfix_gc(&f, RA_CONF_HIGH);
    f.opts.version = "9.9";
    f.opts.title = "Registry outage of 12 April";
    f.opts.now = APR(20, 8, 0);
    ra_vec_push(&f.inv.notes, "log 'x.log': not readable");
    doc = build(&f);
    expect_keys(doc, KEYS);
    fix_json_expect(json_object_get(doc, "title"), "\"Registry outage of 12 April\"");
    fix_json_expect(json_object_get(doc, "generated_at"), "\"2026-04-20T08:00:00Z\"");
    table = json_object_get(doc, "loss_table");
    assert_int_equal(json_array_size(json_object_get(table, "rows")), 2);
    fix_json_expect(json_object_get(table, "rows_more"), "false");
    fix_json_expect(json_object_get(table, "rows_omitted"), "0");
    fix_json_expect(json_object_get(doc, "notes"), "[\"log 'x.log': not readable\"]");
    fix_json_expect(json_object_get(doc, "has_notes"), "true");
    json_decref(doc);
    ra_vec_release(&f.inv.notes);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_model__defaults),
        cmocka_unit_test(test_report_model__options_and_notes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
