/* SPDX-License-Identifier: MIT */
/* report/bisect_out: the regautopsy.bisect/1 document (docs/json.md) and the text of a
 * hand-made bisect result, byte for byte: read, skipped, unreadable and not pullable
 * snapshots, the read order, a snapshot name with an escape sequence (kept out of the
 * text); and each outcome's summary (found, never, still, appeared, none read). */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/bisect.h"
#include "report/bisect_out.h"
#include "util/buf.h"

#include "fixture_analysis.h"

#define ODD "reg-2026-04-13T0100Z\x1b[31m"

struct fx {
    struct ra_snapshot_spec spec[4];
    struct ra_bisect_snap snap[4];
    enum ra_bisect_state state[4];
    size_t order[4];
    struct ra_bisect_result r;
    struct ra_buf out;
};

/* Four snapshots: the 10th read and pullable, the 11th skipped, the 12th unreadable,
 * the 13th (its name with an escape sequence) read and not pullable; read 4th, 1st,
 * 3rd. */
static void fx_init(struct fx *f)
{
    static const char *const names[] = {"reg-2026-04-10T0100Z", "reg-2026-04-11T0100Z",
                                        "reg-2026-04-12T0100Z", ODD};
    static const char *const paths[] = {"/b/reg-2026-04-10T0100Z",
                                        "/b/reg-2026-04-11T0100Z",
                                        "/b/reg-2026-04-12T0100Z", "/b/odd"};
    size_t i;

    memset(f, 0, sizeof(*f));
    for (i = 0; i < 4; i++) {
        f->spec[i].path = (char *)paths[i];
        f->spec[i].name = (char *)names[i];
        f->spec[i].taken_at = APR(10 + (int)i, 1, 0);
        f->spec[i].taken_source = RA_TAKEN_NAME;
        f->snap[i].spec = &f->spec[i];
        f->snap[i].arg = i;
        f->snap[i].taken_at = f->spec[i].taken_at;
        f->snap[i].taken_source = RA_TAKEN_NAME;
    }
    f->state[0] = RA_BISECT_GOOD;
    f->snap[0].entries = 35;
    f->snap[0].rounds = 3;
    f->state[1] = RA_BISECT_UNREAD;
    f->state[2] = RA_BISECT_UNREADABLE;
    f->snap[2].error = "'/b/reg-2026-04-12T0100Z': cannot open: Permission denied";
    f->state[3] = RA_BISECT_BAD;
    f->snap[3].entries = 32;
    f->snap[3].rounds = 3;
    f->snap[3].reason = "blob_missing";
    f->snap[3].root = "docker/registry/v2";
    f->order[0] = 3;
    f->order[1] = 0;
    f->order[2] = 2;
    f->r.target = REPO ":latest";
    f->r.snaps = f->snap;
    f->r.ordered_by_time = 1;
    f->r.search.n = 4;
    f->r.search.state = f->state;
    f->r.search.order = f->order;
    f->r.search.nread = 3;
    f->r.search.outcome = RA_BISECT_FOUND;
    f->r.search.good = 0;
    f->r.search.bad = 3;
}

static json_t *parse(const struct ra_buf *out)
{
    json_error_t jerr;
    json_t *doc = json_loadb(out->ptr, out->len, JSON_REJECT_DUPLICATES, &jerr);

    if (!doc)
        fail_msg("not valid JSON: %s (line %d)\n%s", jerr.text, jerr.line, out->ptr);
    return doc;
}

static void expect_json(json_t *v, const char *want)
{
    char *got = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);

    assert_non_null(got);
    if (strcmp(got, want))
        fail_msg("got  %s\nwant %s", got, want);
    free(got);
}

static void test_bisect_out__found_json(void **state)
{
    struct fx f;
    struct ra_err err = RA_ERR_INIT;
    json_t *doc;

    (void)state;
    fx_init(&f);
    assert_int_equal(ra_bisect_write_json(&f.out, &f.r, &err), 0);
    assert_int_equal(f.out.ptr[f.out.len - 1], '\n');
    doc = parse(&f.out);
    expect_json(
        doc,
        "{\"first_not_pullable\":4,\"last_pullable\":1,\"non_monotone\":false,"
        "\"ordered_by\":\"time\",\"outcome\":\"found\",\"read_order\":[4,1,3],"
        "\"reason\":\"blob_missing\",\"schema\":\"regautopsy.bisect/1\","
        "\"snapshots\":["
        "{\"entries\":35,\"error\":null,\"index\":1,\"name\":\"reg-2026-04-10T0100Z\","
        "\"path\":\"/b/"
        "reg-2026-04-10T0100Z\",\"read\":true,\"reason\":null,\"root\":null,"
        "\"rounds\":3,\"state\":\"pullable\",\"taken_at\":\"2026-04-10T01:00:00Z\","
        "\"taken_at_source\":\"name\"},"
        "{\"error\":null,\"index\":2,\"name\":\"reg-2026-04-11T0100Z\","
        "\"path\":\"/b/"
        "reg-2026-04-11T0100Z\",\"read\":false,\"reason\":null,\"root\":null,"
        "\"state\":\"skipped\",\"taken_at\":\"2026-04-11T01:00:00Z\","
        "\"taken_at_source\":\"name\"},"
        "{\"error\":\"'/b/reg-2026-04-12T0100Z': cannot open: Permission denied\","
        "\"index\":3,\"name\":\"reg-2026-04-12T0100Z\",\"path\":\"/b/"
        "reg-2026-04-12T0100Z\","
        "\"read\":true,\"reason\":null,\"root\":null,\"state\":\"unreadable\","
        "\"taken_at\":\"2026-04-12T01:00:00Z\",\"taken_at_source\":\"name\"},"
        "{\"entries\":32,\"error\":null,\"index\":4,"
        "\"name\":\"reg-2026-04-13T0100Z\\u001B[31m\",\"path\":\"/b/odd\",\"read\":true,"
        "\"reason\":\"blob_missing\",\"root\":\"docker/registry/v2\",\"rounds\":3,"
        "\"state\":\"not_pullable\",\"taken_at\":\"2026-04-13T01:00:00Z\","
        "\"taken_at_source\":\"name\"}],"
        "\"snapshots_read\":3,\"snapshots_total\":4,\"target\":\"infra-ci:latest\"}");
    json_decref(doc);
    ra_buf_release(&f.out);
}

#define LIST                                                                             \
    "bisect infra-ci:latest: 4 snapshots (ordered by time), 3 read, 1 skipped\n"         \
    "    1  read     reg-2026-04-10T0100Z  pullable\n"                                   \
    "    2  skipped  reg-2026-04-11T0100Z\n"                                             \
    "    3  read     reg-2026-04-12T0100Z  unreadable: '/b/reg-2026-04-12T0100Z': "      \
    "cannot "                                                                            \
    "open: Permission denied\n"                                                          \
    "    4  read     reg-2026-04-13T0100Z\\x1b[31m  not pullable: blob_missing\n"
#define S1 "snapshot 1 of 4: reg-2026-04-10T0100Z (2026-04-10T01:00:00Z)"
#define S4 "snapshot 4 of 4: reg-2026-04-13T0100Z\\x1b[31m (2026-04-13T01:00:00Z)"

static void test_bisect_out__found_text(void **state)
{
    struct fx f;

    (void)state;
    fx_init(&f);
    ra_bisect_write_text(&f.out, &f.r);
    assert_string_equal(f.out.ptr, LIST "last pullable:      " S1 "\n"
                                        "first not pullable: " S4 "\n"
                                        "reason:             blob_missing\n");
    ra_buf_release(&f.out);
}

/* The summary of outcome with good and bad, in the order given. */
static void summary(struct fx *f, enum ra_bisect_outcome o, size_t good, size_t bad,
                    struct ra_buf *json_keys)
{
    struct ra_err err = RA_ERR_INIT;
    json_t *doc, *keys;

    f->r.search.outcome = o;
    f->r.search.good = good;
    f->r.search.bad = bad;
    ra_buf_truncate(&f->out, 0);
    assert_int_equal(ra_bisect_write_json(&f->out, &f->r, &err), 0);
    doc = parse(&f->out);
    keys = json_pack(
        "{sOsOsOsO}", "first_not_pullable", json_object_get(doc, "first_not_pullable"),
        "last_pullable", json_object_get(doc, "last_pullable"), "outcome",
        json_object_get(doc, "outcome"), "reason", json_object_get(doc, "reason"));
    ra_buf_truncate(json_keys, 0);
    {
        char *s = json_dumps(keys, JSON_SORT_KEYS | JSON_COMPACT);
        ra_buf_puts(json_keys, s);
        free(s);
    }
    json_decref(keys);
    json_decref(doc);
    ra_buf_truncate(&f->out, 0);
    ra_bisect_write_text(&f->out, &f->r);
}

static void test_bisect_out__outcomes(void **state)
{
    struct fx f;
    struct ra_buf keys = RA_BUF_INIT;

    (void)state;
    fx_init(&f);
    summary(&f, RA_BISECT_NEVER, 0, 3, &keys);
    assert_string_equal(keys.ptr,
                        "{\"first_not_pullable\":4,\"last_pullable\":null,"
                        "\"outcome\":\"never_pullable\",\"reason\":\"blob_missing\"}");
    assert_string_equal(f.out.ptr,
                        LIST "not pullable in the oldest snapshot read: " S4 "\n"
                             "reason: blob_missing\n");
    summary(&f, RA_BISECT_STILL, 0, 0, &keys);
    assert_string_equal(keys.ptr, "{\"first_not_pullable\":null,\"last_pullable\":1,"
                                  "\"outcome\":\"still_pullable\",\"reason\":null}");
    assert_string_equal(f.out.ptr,
                        LIST "still pullable in the newest snapshot: " S1 "\n");
    summary(&f, RA_BISECT_NONE_READ, 0, 0, &keys);
    assert_string_equal(keys.ptr, "{\"first_not_pullable\":null,\"last_pullable\":null,"
                                  "\"outcome\":\"none_read\",\"reason\":null}");
    assert_string_equal(f.out.ptr, LIST "no snapshot could be read\n");
    /* appeared: not pullable in the oldest (no such tag yet), pullable in the newest */
    f.state[0] = RA_BISECT_BAD;
    f.snap[0].reason = "tag_absent";
    f.state[3] = RA_BISECT_GOOD;
    f.snap[3].reason = NULL;
    f.r.search.non_monotone = 1;
    summary(&f, RA_BISECT_APPEARED, 3, 0, &keys);
    assert_string_equal(keys.ptr, "{\"first_not_pullable\":1,\"last_pullable\":4,"
                                  "\"outcome\":\"appeared\",\"reason\":\"tag_absent\"}");
    assert_string_equal(
        f.out.ptr,
        "bisect infra-ci:latest: 4 snapshots (ordered by time), 3 read, 1 skipped\n"
        "    1  read     reg-2026-04-10T0100Z  not pullable: tag_absent\n"
        "    2  skipped  reg-2026-04-11T0100Z\n"
        "    3  read     reg-2026-04-12T0100Z  unreadable: '/b/reg-2026-04-12T0100Z': "
        "cannot "
        "open: Permission denied\n"
        "    4  read     reg-2026-04-13T0100Z\\x1b[31m  pullable\n"
        "last not pullable:  " S1 "\n"
        "first pullable:     " S4 "\n"
        "non-monotone: not pullable in the oldest snapshot read, pullable in the newest "
        "(pushed later, or repaired)\n");
    ra_buf_release(&f.out);
    ra_buf_release(&keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bisect_out__found_json),
        cmocka_unit_test(test_bisect_out__found_text),
        cmocka_unit_test(test_bisect_out__outcomes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
