/* SPDX-License-Identifier: MIT */
/* report/scan_out: the regautopsy.scan/1 JSON document (docs/json.md) of hand-built
 * scans, parsed back with jansson: every key, null for absent values, sorted keys and
 * lists, "\xNN" escapes for names that are not UTF-8, the same bytes for the same
 * inputs; and the text summary, which must not pass control characters through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "analysis/scan.h"
#include "model/graph.h"
#include "report/scan_out.h"
#include "util/buf.h"

#include "fixture_analysis.h"

#define ODD_REPO "caf\xe9"       /* Latin-1, not UTF-8 */
#define ODD_TAG "lat\x1b[31mest" /* an ANSI escape */
#define NAME "registry-2026-04-13T0100Z.tar.gz"
#define SOURCE "samples/incident-2026-04/" NAME

/* ---- graphs --------------------------------------------------------------------- */

/* infra-ci:latest -> index '1' over '2' (amd64) and '3' (arm64), '3' unlinked and its
 * config '5' gone; infra-ci:gone -> 'd', revision link without data; caf\xe9:ODD_TAG ->
 * 'a' ('b', 'c'), intact. order says in which order repositories are created. */
static struct ra_graph *incident_graph(int order)
{
    struct ra_graph *g = fix_graph(ROOT);
    struct ra_digest three = dg('3'), five = dg('5');

    if (order)
        fix_push_image(g, ODD_REPO, 'a', 'b', 'c', "amd64", RA_TIME_NONE);
    fix_push_image(g, REPO, '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_push_image(g, REPO, '3', '5', '7', "arm64", RA_TIME_NONE);
    fix_index(g, '1', "23", FIX_AMD64_ARM64, -1);
    fix_revision_link(g, REPO, '1', RA_TIME_NONE);
    fix_tag(g, REPO, "latest", '1', RA_TIME_NONE);
    fix_revision_link(g, REPO, 'd', RA_TIME_NONE);
    fix_tag(g, REPO, "gone", 'd', RA_TIME_NONE);
    if (!order)
        fix_push_image(g, ODD_REPO, 'a', 'b', 'c', "amd64", RA_TIME_NONE);
    fix_tag(g, ODD_REPO, ODD_TAG, 'a', RA_TIME_NONE);
    /* what 2.8 GC -m leaves of the arm64 child */
    ra_map_del(&fix_repo(g, REPO)->revisions, three.b, sizeof(three.b));
    ra_graph_find_blob(g, &five)->present = 0;
    ra_graph_find_blob(g, &five)->manifest = NULL;
    return g;
}

/* ---- scans made by hand ----------------------------------------------------------- */

static struct ra_scan *make_scan(const char *name, const char *source, ra_time taken,
                                 enum ra_taken_source how, struct ra_graph *g)
{
    struct ra_pull_opts popts = RA_PULL_OPTS_INIT;
    struct ra_scan *s;

    popts.taken_at = taken;
    s = fix_scan(name, source, taken, &g, g ? 1 : 0, &popts);
    s->snap->taken_source = how;
    s->snap->entries = 131;
    s->snap->newest_mtime = APR(12, 3, 25);
    s->snap->oldest_mtime = APR(6, 9, 0);
    return s;
}

/* A snapshot that broke off: no times, the registry is the snapshot's own folder. */
static struct ra_scan *broken_scan(void)
{
    struct ra_graph *g;
    struct ra_scan *s;

    ra_graph_new(&g, "", 0);
    s = make_scan("broken.tar", "/tmp/broken.tar", RA_TIME_NONE, RA_TAKEN_UNKNOWN, g);
    s->snap->entries = 3;
    s->snap->newest_mtime = s->snap->oldest_mtime = RA_TIME_NONE;
    s->snap->complete = 0;
    ra_findings_add(&s->findings, RA_F_READ_ERROR, RA_SEV_CRITICAL, NULL, NULL, NULL,
                    NULL, "docker/registry/v2/blobs/sha256/12/1234/data",
                    "truncated tar archive; 3 members read up to byte 10240");
    return s;
}

struct fx {
    struct ra_scan *scans[2];
    struct ra_buf out;
    json_t *doc;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    *state = f;
    return f ? 0 : -1;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    ra_scan_free(f->scans[0]);
    ra_scan_free(f->scans[1]);
    ra_buf_release(&f->out);
    json_decref(f->doc);
    free(f);
    return 0;
}

static void write_json(struct fx *f, size_t n)
{
    struct ra_err err = RA_ERR_INIT;
    json_error_t jerr;

    ra_buf_truncate(&f->out, 0);
    assert_int_equal(ra_scan_write_json(&f->out, f->scans, n, &err), 0);
    assert_int_equal(err.code, 0);
    json_decref(f->doc);
    f->doc = json_loadb(f->out.ptr, f->out.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!f->doc)
        fail_msg("not valid JSON: %s (line %d)\n%s", jerr.text, jerr.line, f->out.ptr);
}

/* ---- JSON expectations ---------------------------------------------------------- */

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* o has exactly these keys (space-separated, sorted). */
static void expect_keys(json_t *o, const char *keys)
{
    struct ra_buf got = RA_BUF_INIT;
    const char *names[32];
    size_t n = 0, i;
    void *it;

    assert_true(json_is_object(o));
    for (it = json_object_iter(o); it && n < 32; it = json_object_iter_next(o, it))
        names[n++] = json_object_iter_key(it);
    qsort(names, n, sizeof(*names), cmp_cstr);
    for (i = 0; i < n; i++)
        ra_buf_printf(&got, "%s%s", i ? " " : "", names[i]);
    assert_string_equal(ra_buf_cstr(&got), keys);
    ra_buf_release(&got);
}

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_string(v))
        fail_msg("'%s' is not a string", key);
    return json_string_value(v);
}

static void expect_null(json_t *o, const char *key)
{
    if (!json_is_null(json_object_get(o, key)))
        fail_msg("'%s' is not null", key);
}

static json_int_t num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_integer(v))
        fail_msg("'%s' is not an integer", key);
    return json_integer_value(v);
}

static int boolean(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_boolean(v))
        fail_msg("'%s' is not a boolean", key);
    return json_is_true(v);
}

static json_t *arr(json_t *o, const char *key, size_t n)
{
    json_t *v = json_object_get(o, key);

    if (!json_is_array(v))
        fail_msg("'%s' is not an array", key);
    if (json_array_size(v) != n)
        fail_msg("'%s' has %zu items, want %zu", key, json_array_size(v), n);
    return v;
}

#define SNAPSHOT_KEYS                                                                    \
    "complete entries findings name newest_mtime oldest_mtime registries source "        \
    "taken_at "                                                                          \
    "taken_at_source verified"
#define FINDING_KEYS "code digest message parent path repository severity tag"

/* A finding in JSON is the finding in C, absent values null. */
static void expect_finding(json_t *j, const struct ra_finding *x)
{
    char d[RA_DIGEST_STRLEN];

    expect_keys(j, FINDING_KEYS);
    assert_string_equal(str(j, "code"), ra_finding_code_name(x->code));
    assert_string_equal(str(j, "severity"), ra_severity_name(x->severity));
    if (x->repository[0])
        assert_non_null(str(j, "repository")); /* escaped: compared by the caller */
    else
        expect_null(j, "repository");
    if (x->tag[0])
        assert_non_null(str(j, "tag"));
    else
        expect_null(j, "tag");
    if (x->has_digest)
        assert_string_equal(str(j, "digest"), ra_digest_format(d, &x->digest));
    else
        expect_null(j, "digest");
    if (x->has_parent)
        assert_string_equal(str(j, "parent"), ra_digest_format(d, &x->parent));
    else
        expect_null(j, "parent");
    if (x->path[0])
        assert_non_null(str(j, "path"));
    else
        expect_null(j, "path");
    assert_non_null(str(j, "message"));
}

static void build_incident(struct fx *f, int order)
{
    f->scans[0] =
        make_scan(NAME, SOURCE, APR(13, 1, 0), RA_TAKEN_NAME, incident_graph(order));
    f->scans[1] = broken_scan();
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_scan_out__document(void **state)
{
    struct fx *f = *state;
    const struct ra_registry_result *r;
    json_t *snap, *reg, *counts, *tags, *t, *plats, *findings;
    size_t i;

    build_incident(f, 0);
    r = f->scans[0]->regs[0];
    write_json(f, 2);
    expect_keys(f->doc, "schema snapshots");
    assert_string_equal(str(f->doc, "schema"), "regautopsy.scan/1");
    /* in command-line order */
    snap = json_array_get(arr(f->doc, "snapshots", 2), 0);
    expect_keys(snap, SNAPSHOT_KEYS);
    assert_string_equal(str(snap, "name"), NAME);
    assert_string_equal(str(snap, "source"), SOURCE);
    assert_string_equal(str(snap, "taken_at"), "2026-04-13T01:00:00Z");
    assert_string_equal(str(snap, "taken_at_source"), "name");
    assert_true(boolean(snap, "complete"));
    assert_false(boolean(snap, "verified"));
    assert_int_equal(num(snap, "entries"), 131);
    assert_string_equal(str(snap, "newest_mtime"), "2026-04-12T03:25:00Z");
    assert_string_equal(str(snap, "oldest_mtime"), "2026-04-06T09:00:00Z");
    arr(snap, "findings", 0);

    reg = json_array_get(arr(snap, "registries", 1), 0);
    expect_keys(reg, "counts findings root tags");
    assert_string_equal(str(reg, "root"), ROOT);
    counts = json_object_get(reg, "counts");
    expect_keys(counts,
                "blobs bytes layer_links manifests repositories tags unpullable_tags "
                "uploads");
    assert_int_equal(num(counts, "blobs"), 9); /* 1 2 3 4 6 7 a b c */
    assert_int_equal(num(counts, "bytes"), (json_int_t)r->counts.bytes);
    assert_int_equal(num(counts, "layer_links"), 6);
    assert_int_equal(num(counts, "manifests"), 4); /* 1 2 d, a */
    assert_int_equal(num(counts, "repositories"), 2);
    assert_int_equal(num(counts, "tags"), 3);
    assert_int_equal(num(counts, "unpullable_tags"), 2);
    assert_int_equal(num(counts, "uploads"), 0);

    /* tags sorted by repository then tag: "caf\xe9" < "infra-ci"; gone < latest */
    tags = arr(reg, "tags", 3);
    t = json_array_get(tags, 0);
    expect_keys(t, "digest media_type platforms pullable reason repository tag");
    assert_string_equal(str(t, "repository"), "caf\\xe9");
    assert_string_equal(str(t, "tag"), ODD_TAG); /* valid UTF-8: escaped by JSON only */
    assert_string_equal(str(t, "digest"), ds('a'));
    assert_string_equal(str(t, "media_type"), RA_MT_OCI_MANIFEST);
    assert_true(boolean(t, "pullable"));
    expect_null(t, "reason");
    plats = arr(t, "platforms", 1);
    expect_keys(json_array_get(plats, 0), "digest platform pullable reason");
    assert_string_equal(str(json_array_get(plats, 0), "platform"), "linux/amd64");
    assert_string_equal(str(json_array_get(plats, 0), "digest"), ds('a'));

    t = json_array_get(tags, 1);
    assert_string_equal(str(t, "repository"), REPO);
    assert_string_equal(str(t, "tag"), "gone");
    assert_string_equal(str(t, "digest"), ds('d'));
    expect_null(t, "media_type");
    assert_false(boolean(t, "pullable"));
    assert_string_equal(str(t, "reason"), "manifest_blob_missing");
    plats = arr(t, "platforms", 1);
    assert_string_equal(str(json_array_get(plats, 0), "platform"), "unknown");
    assert_string_equal(str(json_array_get(plats, 0), "reason"), "manifest_blob_missing");

    t = json_array_get(tags, 2);
    assert_string_equal(str(t, "tag"), "latest");
    assert_string_equal(str(t, "digest"), ds('1'));
    assert_string_equal(str(t, "media_type"), RA_MT_OCI_INDEX);
    assert_false(boolean(t, "pullable"));
    assert_string_equal(str(t, "reason"), "index_child_missing");
    /* index order */
    plats = arr(t, "platforms", 2);
    assert_string_equal(str(json_array_get(plats, 0), "platform"), "linux/amd64");
    assert_string_equal(str(json_array_get(plats, 0), "digest"), ds('2'));
    assert_true(boolean(json_array_get(plats, 0), "pullable"));
    expect_null(json_array_get(plats, 0), "reason");
    assert_string_equal(str(json_array_get(plats, 1), "platform"), "linux/arm64");
    assert_string_equal(str(json_array_get(plats, 1), "digest"), ds('3'));
    assert_false(boolean(json_array_get(plats, 1), "pullable"));
    assert_string_equal(str(json_array_get(plats, 1), "reason"), "index_child_missing");

    /* findings: the analysis' sorted list, one for one */
    findings = arr(reg, "findings", r->findings.items.len);
    assert_true(r->findings.items.len >= 3);
    for (i = 0; i < r->findings.items.len; i++)
        expect_finding(json_array_get(findings, i), r->findings.items.items[i]);
    /* the first: the arm64 config, critical, on the latest tag's path */
    t = json_array_get(findings, 0);
    assert_string_equal(str(t, "code"), "blob_missing");
    assert_string_equal(str(t, "severity"), "critical");
    assert_string_equal(str(t, "repository"), REPO);
    assert_string_equal(str(t, "tag"), "latest");
    assert_string_equal(str(t, "digest"), ds('5'));
    assert_string_equal(str(t, "parent"), ds('3'));
    assert_string_equal(str(t, "path"),
                        ROOT "/blobs/sha256/55/5555555555555555555555555555555555"
                             "555555555555555555555555555555/data");
}

static void test_scan_out__broken_snapshot(void **state)
{
    struct fx *f = *state;
    json_t *snap, *reg, *fi;

    build_incident(f, 0);
    write_json(f, 2);
    snap = json_array_get(arr(f->doc, "snapshots", 2), 1);
    expect_keys(snap, SNAPSHOT_KEYS);
    assert_string_equal(str(snap, "name"), "broken.tar");
    assert_string_equal(str(snap, "source"), "/tmp/broken.tar");
    expect_null(snap, "taken_at");
    assert_string_equal(str(snap, "taken_at_source"), "unknown");
    assert_false(boolean(snap, "complete"));
    assert_int_equal(num(snap, "entries"), 3);
    expect_null(snap, "newest_mtime");
    expect_null(snap, "oldest_mtime");
    fi = json_array_get(arr(snap, "findings", 1), 0);
    expect_keys(fi, FINDING_KEYS);
    assert_string_equal(str(fi, "code"), "read_error");
    assert_string_equal(str(fi, "severity"), "critical");
    expect_null(fi, "repository");
    expect_null(fi, "tag");
    expect_null(fi, "digest");
    expect_null(fi, "parent");
    assert_string_equal(str(fi, "path"), "docker/registry/v2/blobs/sha256/12/1234/data");
    assert_string_equal(str(fi, "message"),
                        "truncated tar archive; 3 members read up to byte 10240");
    /* the snapshot's own folder is the root: "." */
    reg = json_array_get(arr(snap, "registries", 1), 0);
    assert_string_equal(str(reg, "root"), ".");
    arr(reg, "tags", 0);
    arr(reg, "findings", 0);
    assert_int_equal(num(json_object_get(reg, "counts"), "blobs"), 0);
}

static void test_scan_out__format_sorted_indented(void **state)
{
    struct fx *f = *state;
    char *again;

    build_incident(f, 0);
    write_json(f, 2);
    /* the text is exactly jansson's sorted, 2-space rendering, with a final newline */
    again = json_dumps(f->doc, JSON_SORT_KEYS | JSON_INDENT(2));
    assert_non_null(again);
    assert_int_equal(f->out.len, strlen(again) + 1);
    assert_memory_equal(f->out.ptr, again, strlen(again));
    assert_int_equal(f->out.ptr[f->out.len - 1], '\n');
    free(again);
    assert_memory_equal(
        f->out.ptr, "{\n  \"schema\": \"regautopsy.scan/1\",\n  \"snapshots\": [\n", 52);
    /* the non-UTF-8 byte is an escape; the control character a JSON escape */
    assert_non_null(strstr(f->out.ptr, "\"repository\": \"caf\\\\xe9\""));
    assert_non_null(strstr(f->out.ptr, "\"tag\": \"lat\\u001B[31mest\""));
    assert_null(memchr(f->out.ptr, 0xe9, f->out.len));
    assert_null(memchr(f->out.ptr, 0x1b, f->out.len));
}

static void test_scan_out__empty_scan_exact(void **state)
{
    struct fx *f = *state;

    f->scans[0] = make_scan("empty", "/x/empty", RA_TIME_NONE, RA_TAKEN_UNKNOWN, NULL);
    f->scans[0]->snap->entries = 0;
    f->scans[0]->snap->newest_mtime = f->scans[0]->snap->oldest_mtime = RA_TIME_NONE;
    write_json(f, 1);
    assert_string_equal(f->out.ptr, "{\n"
                                    "  \"schema\": \"regautopsy.scan/1\",\n"
                                    "  \"snapshots\": [\n"
                                    "    {\n"
                                    "      \"complete\": true,\n"
                                    "      \"entries\": 0,\n"
                                    "      \"findings\": [],\n"
                                    "      \"name\": \"empty\",\n"
                                    "      \"newest_mtime\": null,\n"
                                    "      \"oldest_mtime\": null,\n"
                                    "      \"registries\": [],\n"
                                    "      \"source\": \"/x/empty\",\n"
                                    "      \"taken_at\": null,\n"
                                    "      \"taken_at_source\": \"unknown\",\n"
                                    "      \"verified\": false\n"
                                    "    }\n"
                                    "  ]\n"
                                    "}\n");
}

static void test_scan_out__no_snapshots(void **state)
{
    struct fx *f = *state;

    write_json(f, 0);
    assert_string_equal(
        f->out.ptr, "{\n  \"schema\": \"regautopsy.scan/1\",\n  \"snapshots\": []\n}\n");
}

static void test_scan_out__same_bytes_every_run(void **state)
{
    struct fx *f = *state;
    struct ra_buf first = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    build_incident(f, 0);
    write_json(f, 2);
    ra_buf_put(&first, f->out.ptr, f->out.len);
    /* the same scans again */
    write_json(f, 2);
    assert_int_equal(f->out.len, first.len);
    assert_memory_equal(f->out.ptr, first.ptr, first.len);
    /* the same storage read in another order (hash maps filled differently) */
    ra_scan_free(f->scans[0]);
    ra_scan_free(f->scans[1]);
    f->scans[1] = NULL;
    build_incident(f, 1);
    write_json(f, 2);
    assert_int_equal(f->out.len, first.len);
    assert_memory_equal(f->out.ptr, first.ptr, first.len);
    /* appending: the document goes after what the buffer holds */
    ra_buf_truncate(&f->out, 0);
    ra_buf_puts(&f->out, "x");
    assert_int_equal(ra_scan_write_json(&f->out, f->scans, 2, &err), 0);
    assert_int_equal(f->out.len, first.len + 1);
    assert_memory_equal(f->out.ptr + 1, first.ptr, first.len);
    ra_buf_release(&first);
}

/* ---- text ---------------------------------------------------------------------- */

static void test_scan_out__text_summary(void **state)
{
    struct fx *f = *state;

    build_incident(f, 0);
    ra_scan_write_text(&f->out, f->scans, 2, 0);
    /* control characters and invalid bytes never reach the terminal */
    assert_null(memchr(f->out.ptr, 0x1b, f->out.len));
    assert_null(memchr(f->out.ptr, 0xe9, f->out.len));
    assert_non_null(strstr(f->out.ptr,
                           NAME ": taken 2026-04-13T01:00:00Z (from its name), 131 "
                                "members\n"
                                "  registry " ROOT "\n"
                                "    2 repositories, 3 tags, 4 manifests, 9 blobs ("));
    assert_non_null(strstr(f->out.ptr,
                           "    2 of 3 tags cannot be pulled:\n"
                           "      BROKEN infra-ci:gone -> sha256:dddddddddddd "
                           "(unknown type)\n"
                           "          unknown          sha256:dddddddddddd  "
                           "manifest_blob_missing\n"));
    assert_non_null(strstr(f->out.ptr,
                           "      BROKEN infra-ci:latest -> sha256:111111111111 "
                           "(OCI index)\n"
                           "          linux/amd64      sha256:222222222222  "
                           "pullable\n"
                           "          linux/arm64      sha256:333333333333  "
                           "index_child_missing\n"));
    /* pullable tags only with the flag */
    assert_null(strstr(f->out.ptr, "caf"));
    assert_non_null(strstr(f->out.ptr,
                           "\nbroken.tar: taken at an unknown time (unknown), 3 "
                           "members\n"
                           "  read_error: truncated tar archive; 3 members read "
                           "up to byte 10240\n"
                           "  registry .\n"
                           "    0 repositories, 0 tags, 0 manifests, 0 blobs (0 "
                           "bytes), 0 uploads\n"
                           "    all 0 tags can be pulled\n"
                           "    findings: 0 critical, 0 error, 0 warning, 0 info\n"));

    ra_buf_truncate(&f->out, 0);
    ra_scan_write_text(&f->out, f->scans, 1, RA_SCAN_TEXT_ALL_TAGS);
    assert_non_null(strstr(f->out.ptr, "      ok     caf\\xe9:lat\\x1b[31mest -> "
                                       "sha256:aaaaaaaaaaaa (OCI manifest)\n"));
    assert_null(memchr(f->out.ptr, 0x1b, f->out.len));
    assert_null(memchr(f->out.ptr, 0xe9, f->out.len));
}

static void test_scan_out__text_escapes_media_type(void **state)
{
    struct fx *f = *state;
    struct ra_graph *g;
    struct ra_digest six = dg('6');

    /* a manifest declaring a media type with an escape sequence in it (JSON "\u001b"),
     * its layer gone, so the summary lists the tag */
    ra_graph_new(&g, ROOT, strlen(ROOT));
    fix_push_image_mt(g, REPO, "application/x\\u001b[2Jevil", '2', '4', '6', "amd64",
                      RA_TIME_NONE);
    fix_tag(g, REPO, "latest", '2', RA_TIME_NONE);
    ra_graph_find_blob(g, &six)->present = 0;
    f->scans[0] = make_scan(NAME, SOURCE, APR(13, 1, 0), RA_TAKEN_NAME, g);
    ra_scan_write_text(&f->out, f->scans, 1, 0);
    assert_non_null(strstr(f->out.ptr, "BROKEN infra-ci:latest"));
    assert_null(memchr(f->out.ptr, 0x1b, f->out.len));
    assert_non_null(strstr(f->out.ptr, "(application/x\\x1b[2Jevil)"));
    /* the JSON escapes it in any case */
    write_json(f, 1);
    assert_null(memchr(f->out.ptr, 0x1b, f->out.len));
}

#define T(name) cmocka_unit_test_setup_teardown(test_scan_out__##name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(document),
        T(broken_snapshot),
        T(format_sorted_indented),
        T(empty_scan_exact),
        T(no_snapshots),
        T(same_bytes_every_run),
        T(text_summary),
        T(text_escapes_media_type),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
