/* SPDX-License-Identifier: MIT */
/* analysis/logs: registry logrus text and JSON, access logs, GC output of 2.8 and 3.x,
 * Woodpecker pipeline history; detection, odd spellings, hostile bytes, failures. */

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
#include <unistd.h>

#include "analysis/logs.h"
#include "util/buf.h"

#include "fixture.h"

#define HEX_A "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
#define HEX_B "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
#define HEX_C "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6"
#define HEX_D "18ac3e7343f016890c510e93f935261169d9e3f565436429830faf0934f4f8e4"

#define T_070903 1776064323 /* 2026-04-13T07:12:03Z */
#define T_GC 1775964300     /* 2026-04-12T03:25:00Z */

static char tmpdir[] = "/tmp/ra-test-logs-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return fix_tmpdir_make(tmpdir);
}

static int teardown(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

/* Write data to tmpdir/name; the path goes into path (emptied first). */
static void write_log(struct ra_buf *path, const char *name, const char *data, size_t len)
{
    FILE *f;

    ra_buf_truncate(path, 0);
    ra_buf_printf(path, "%s/%s", tmpdir, name);
    f = fopen(path->ptr, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Read a log written from a C string; asserts success. */
static struct ra_log *read_text(const char *name, const char *text, ra_time default_time)
{
    struct ra_buf path = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_log *log = NULL;
    int rc;

    write_log(&path, name, text, strlen(text));
    rc = ra_log_read(&log, path.ptr, default_time, &err);
    if (rc < 0)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(log);
    assert_string_equal(log->path, path.ptr);
    ra_buf_release(&path);
    return log;
}

/* Read a log that must fail with code; returns err for its message. */
static struct ra_err read_fail(const char *name, const char *data, size_t len, int code)
{
    struct ra_buf path = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_log *log = (struct ra_log *)&err; /* must be reset to NULL */

    write_log(&path, name, data, len);
    assert_int_equal(ra_log_read(&log, path.ptr, RA_TIME_NONE, &err), code);
    assert_null(log);
    assert_int_equal(err.code, code);
    ra_buf_release(&path);
    return err;
}

static const struct ra_log_event *ev(const struct ra_log *log, size_t i)
{
    assert_true(i < log->events.len);
    return log->events.items[i];
}

static void assert_digest(const struct ra_log_event *e, const char *hex)
{
    struct ra_digest d = fix_digest(hex);

    assert_true(e->has_digest);
    assert_int_equal(ra_digest_cmp(&e->digest, &d), 0);
}

static void test_logs__logrus_text_request(void **state)
{
    static const char text[] =
        "time=\"2026-04-13T07:12:03.123456789Z\" level=info msg=\"response completed\" "
        "go.version=go1.20.8 http.request.host=\"registry.internal:5000\" "
        "http.request.id=6b1e3c4d-0000 http.request.method=GET "
        "http.request.remoteaddr=\"10.0.0.7:51234\" "
        "http.request.uri=\"/v2/infra-ci/manifests/sha256:" HEX_A "\" "
        "http.request.useragent=\"docker/24.0.7 go/go1.20.10 os/linux\" "
        "http.response.contenttype=\"application/vnd.oci.image.index.v1+json\" "
        "http.response.duration=2.31ms http.response.status=200 "
        "http.response.written=1024\n"
        "time=\"2026-04-13T09:12:05+02:00\" level=error msg=\"response completed with "
        "error\" err.code=\"manifest unknown\" err.message=\"manifest unknown\" "
        "http.request.id=77aa http.request.method=HEAD "
        "http.request.uri=\"/v2/tools/kubectl/manifests/v1.29\" "
        "http.response.status=404 vars.name=\"tools/kubectl\" vars.reference=v1.29\n";
    struct ra_log *log = read_text("registry.log", text, RA_TIME_NONE);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_LOGRUS_TEXT);
    assert_int_equal(log->lines, 2);
    assert_int_equal(log->counts[RA_LOG_LOGRUS_TEXT], 2);
    assert_int_equal(log->unrecognized, 0);
    assert_int_equal(log->events.len, 2);

    e = ev(log, 0);
    assert_int_equal(e->kind, RA_LOG_HTTP_REQUEST);
    assert_int_equal(e->format, RA_LOG_LOGRUS_TEXT);
    assert_int_equal(e->time, T_070903);
    assert_true(e->time_exact);
    assert_int_equal(e->line, 1);
    assert_string_equal(e->method, "GET");
    assert_string_equal(e->uri, "/v2/infra-ci/manifests/sha256:" HEX_A);
    assert_int_equal(e->status, 200);
    assert_int_equal(e->object, RA_LOG_OBJ_MANIFEST);
    assert_string_equal(e->repository, "infra-ci");
    assert_string_equal(e->reference, "sha256:" HEX_A);
    assert_digest(e, HEX_A);
    assert_string_equal(e->request_id, "6b1e3c4d-0000");
    assert_string_equal(e->user_agent, "docker/24.0.7 go/go1.20.10 os/linux");
    assert_string_equal(e->level, "info");
    assert_string_equal(e->message, "response completed");
    assert_string_equal(e->error_code, "");
    assert_null(e->gc);
    assert_null(e->pipeline);

    e = ev(log, 1);
    assert_int_equal(e->time, T_070903 + 2); /* +02:00 converted to UTC */
    assert_int_equal(e->line, 2);
    assert_string_equal(e->method, "HEAD");
    assert_int_equal(e->status, 404);
    assert_string_equal(e->repository, "tools/kubectl");
    assert_string_equal(e->reference, "v1.29");
    assert_false(e->has_digest);
    assert_string_equal(e->error_code, "manifest unknown");
    assert_string_equal(e->level, "error");
    ra_log_free(log);
}

static void test_logs__logrus_text_escapes_and_bare_values(void **state)
{
    static const char text[] =
        "time=\"2026-04-13T07:12:03Z\" level=warning msg=\"said \\\"hi\\\" in C:\\\\tmp"
        "\\tcaf\\u00e9 \\x41\\101\\q\" http.request.method=PUT "
        "http.request.uri=\"/v2/a/b/c/blobs/uploads/5f0e?_state=x&digest=sha256%3A" HEX_B
        "\" http.response.status=201\n"
        "level=info msg=listening\n"
        "time=\"2026-04-13T07:12:03Z\" level=info msg=\"unterminated \\\"\n";
    struct ra_log *log = read_text("escapes.log", text, RA_TIME_NONE);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->counts[RA_LOG_LOGRUS_TEXT], 3);
    assert_int_equal(log->events.len, 1);
    e = ev(log, 0);
    assert_string_equal(e->message, "said \"hi\" in C:\\tmp\tcaf\xc3\xa9 AA\\q");
    assert_string_equal(e->level, "warning");
    assert_int_equal(e->object, RA_LOG_OBJ_UPLOAD);
    assert_string_equal(e->repository, "a/b/c");
    assert_string_equal(e->reference, "5f0e");
    assert_digest(e, HEX_B); /* digest=sha256%3A… of the completing PUT */
    assert_int_equal(e->status, 201);
    ra_log_free(log);
}

static void test_logs__logrus_json_request(void **state)
{
    static const char text[] =
        "{\"go.version\":\"go1.20.8\",\"http.request.host\":\"r:5000\","
        "\"http.request.id\":\"9c\",\"http.request.method\":\"GET\","
        "\"http.request.uri\":\"/v2/infra-ci/blobs/sha256:" HEX_C "\","
        "\"http.request.useragent\":\"skopeo/1.13\",\"http.response.status\":404,"
        "\"err.code\":\"blob unknown\",\"level\":\"error\","
        "\"msg\":\"response completed with error\","
        "\"time\":\"2026-04-13T07:12:03.5Z\"}\n"
        "{\"err.code\":\"blob unknown\",\"http.request.id\":\"9c\","
        "\"http.request.method\":\"GET\",\"http.request.uri\":\"/v2/infra-ci/blobs/"
        "sha256:" HEX_C "\",\"http.response.status\":404,\"level\":\"error\","
        "\"msg\":\"response completed with error\",\"time\":\"2026-04-13T07:12:03.5Z\"}\n"
        "{\"@timestamp\":\"2026-04-13T07:12:05Z\",\"@version\":\"1\",\"level\":\"info\","
        "\"message\":\"response completed\",\"http.request.method\":\"GET\","
        "\"http.request.uri\":\"/v2/_catalog?n=100\",\"http.response.status\":\"200\"}\n"
        "{\"level\":\"info\",\"msg\":\"listening on "
        "[::]:5000\",\"time\":\"2026-04-13T07:00:00Z\"}\n"
        "{\"not\":\"a log\"}\n";
    struct ra_log *log = read_text("registry.jsonl", text, RA_TIME_NONE);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_LOGRUS_JSON);
    assert_int_equal(log->lines, 5);
    assert_int_equal(log->counts[RA_LOG_LOGRUS_JSON], 4);
    assert_int_equal(log->unrecognized, 1);
    assert_int_equal(log->events.len, 2); /* the repeated request id is one request */

    e = ev(log, 0);
    assert_int_equal(e->format, RA_LOG_LOGRUS_JSON);
    assert_int_equal(e->time, T_070903);
    assert_int_equal(e->line, 1);
    assert_int_equal(e->object, RA_LOG_OBJ_BLOB);
    assert_string_equal(e->repository, "infra-ci");
    assert_digest(e, HEX_C);
    assert_int_equal(e->status, 404);
    assert_string_equal(e->error_code, "blob unknown");
    assert_string_equal(e->user_agent, "skopeo/1.13");
    assert_string_equal(e->request_id, "9c");

    e = ev(log, 1);
    assert_int_equal(e->time, T_070903 + 2);
    assert_int_equal(e->line, 3);
    assert_int_equal(e->object, RA_LOG_OBJ_CATALOG);
    assert_string_equal(e->repository, "");
    assert_int_equal(e->status, 200);
    assert_string_equal(e->message, "response completed");
    ra_log_free(log);
}

static void test_logs__access_log(void **state)
{
    static const char text[] =
        "127.0.0.1 - - [13/Apr/2026:07:12:03 +0000] \"GET /v2/infra-ci/manifests/latest "
        "HTTP/1.1\" 200 1578 \"\" \"containerd/1.7.2\"\n"
        "::1 - alice [13/Apr/2026:09:12:05 +0200] \"HEAD /v2/infra-ci/blobs/sha256:" HEX_D
        " HTTP/1.1\" 404 157 \"-\" \"-\"\n"
        "10.1.2.3 - - [13/Apr/2026:07:12:05 +0000] \"GET /v2/we%22ird/tags/list?n=5 "
        "HTTP/1.1\" 200 43\n"
        "10.1.2.3 - - [13/Apr/2026:07:12:05 +0000] \"GET /v2/x\\\"y/manifests/t "
        "HTTP/1.1\" "
        "404 0 \"\" \"ua \\\"quoted\\\"\"\n"
        "10.1.2.3 - - [13/Apr/2026:07:12:05 +0000] \"-\" 400 0 \"\" \"\"\n"
        "10.1.2.3 - - [31/Feb/2026:07:12:05 +0000] \"GET / HTTP/1.1\" 200 0\n";
    struct ra_log *log = read_text("access.log", text, RA_TIME_NONE);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_ACCESS);
    assert_int_equal(log->counts[RA_LOG_ACCESS], 5);
    assert_int_equal(log->unrecognized, 1); /* 31 February */
    assert_int_equal(log->events.len, 4);

    e = ev(log, 0);
    assert_int_equal(e->format, RA_LOG_ACCESS);
    assert_int_equal(e->time, T_070903);
    assert_string_equal(e->method, "GET");
    assert_string_equal(e->uri, "/v2/infra-ci/manifests/latest");
    assert_int_equal(e->status, 200);
    assert_string_equal(e->repository, "infra-ci");
    assert_string_equal(e->reference, "latest");
    assert_false(e->has_digest);
    assert_string_equal(e->user_agent, "containerd/1.7.2");

    e = ev(log, 1); /* 09:12:05 +0200 is 07:12:05Z; line 2 before line 3 */
    assert_int_equal(e->time, T_070903 + 2);
    assert_int_equal(e->line, 2);
    assert_string_equal(e->method, "HEAD");
    assert_int_equal(e->object, RA_LOG_OBJ_BLOB);
    assert_digest(e, HEX_D);
    assert_int_equal(e->status, 404);
    assert_string_equal(e->user_agent, "");

    e = ev(log, 2);
    assert_int_equal(e->object, RA_LOG_OBJ_TAGS);
    assert_string_equal(e->repository, "we\"ird"); /* percent-decoded */
    assert_string_equal(e->uri, "/v2/we%22ird/tags/list?n=5");

    e = ev(log, 3);
    assert_string_equal(e->uri, "/v2/x\"y/manifests/t");
    assert_string_equal(e->repository, "x\"y");
    assert_string_equal(e->user_agent, "ua \"quoted\"");
    ra_log_free(log);
}

/* Every /v2/ route, through access lines with the same time: events keep line order. */
static void test_logs__uri_routes(void **state)
{
    static const char *const uris[] = {
        "/v2/",
        "/v2",
        "/v2/_catalog",
        "/v2/org/team/app/manifests/sha256%3A" HEX_A,
        "/v2/org/team/app/blobs/uploads/",
        "/v2/org/team/app/blobs/uploads/?mount=sha256:" HEX_B "&from=other",
        "/v2/org/team/app/blobs/uploads/0b1c-2d",
        "/v2/app/referrers/sha256:" HEX_C "?artifactType=x",
        "/v2/app/manifests/SHA256:" HEX_C,
        "/v2/app/manifests/sha256:" HEX_C "00",
        "/v2/manifests/latest",
        "/v2/app/blobs/sha256:" HEX_D "/extra",
        "/healthz",
        "https://registry.example:5000/v2/app/manifests/v1",
        "/v2/blobs/blobs/sha256:" HEX_D,
    };
    static const struct {
        enum ra_log_object object;
        const char *repository, *reference, *hex;
    } want[] = {
        {RA_LOG_OBJ_BASE, "", "", NULL},
        {RA_LOG_OBJ_BASE, "", "", NULL},
        {RA_LOG_OBJ_CATALOG, "", "", NULL},
        {RA_LOG_OBJ_MANIFEST, "org/team/app", "sha256:" HEX_A, HEX_A},
        {RA_LOG_OBJ_UPLOAD, "org/team/app", "", NULL},
        {RA_LOG_OBJ_UPLOAD, "org/team/app", "", HEX_B},
        {RA_LOG_OBJ_UPLOAD, "org/team/app", "0b1c-2d", NULL},
        {RA_LOG_OBJ_REFERRERS, "app", "sha256:" HEX_C, HEX_C},
        {RA_LOG_OBJ_MANIFEST, "app", "SHA256:" HEX_C, NULL},
        {RA_LOG_OBJ_MANIFEST, "app", "sha256:" HEX_C "00", NULL},
        {RA_LOG_OBJ_NONE, "", "", NULL},
        {RA_LOG_OBJ_NONE, "", "", NULL},
        {RA_LOG_OBJ_NONE, "", "", NULL},
        {RA_LOG_OBJ_MANIFEST, "app", "v1", NULL},
        {RA_LOG_OBJ_BLOB, "blobs", "sha256:" HEX_D, HEX_D},
    };
    struct ra_buf text = RA_BUF_INIT;
    struct ra_log *log;
    const struct ra_log_event *e;
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(uris); i++)
        ra_buf_printf(&text,
                      "1.2.3.4 - - [13/Apr/2026:07:12:03 +0000] \"GET %s HTTP/1.1\" "
                      "200 0 \"\" \"\"\n",
                      uris[i]);
    log = read_text("routes.log", text.ptr, RA_TIME_NONE);
    assert_int_equal(log->events.len, RA_ARRAY_SIZE(uris));
    for (i = 0; i < RA_ARRAY_SIZE(uris); i++) {
        e = ev(log, i);
        assert_int_equal(e->line, i + 1);
        assert_string_equal(e->uri, uris[i]);
        assert_int_equal(e->object, want[i].object);
        assert_string_equal(e->repository, want[i].repository);
        assert_string_equal(e->reference, want[i].reference);
        if (want[i].hex)
            assert_digest(e, want[i].hex);
        else
            assert_false(e->has_digest);
    }
    assert_string_equal(ra_log_object_name(ev(log, 4)->object), "upload");
    ra_log_free(log);
    ra_buf_release(&text);
}

/* A registry's stdout: logrus text and access lines mixed, plus a stray line. */
static void test_logs__mixed_registry_stdout_and_first_404(void **state)
{
    static const char text[] =
        "time=\"2026-04-13T07:00:00Z\" level=info msg=\"listening on [::]:5000\" "
        "go.version=go1.20.8\n"
        "10.0.0.7 - - [13/Apr/2026:07:12:03 +0000] \"GET /v2/infra-ci/blobs/sha256:" HEX_A
        " HTTP/1.1\" 200 3 \"\" \"docker\"\n"
        "panic\n"
        "time=\"2026-04-13T07:12:05Z\" level=error msg=\"response completed with error\" "
        "http.request.method=GET http.request.uri=\"/v2/infra-ci/blobs/sha256:" HEX_A
        "\" "
        "http.response.status=404\n"
        "10.0.0.7 - - [13/Apr/2026:07:12:04 +0000] \"GET /v2/other/blobs/sha256:" HEX_A
        " HTTP/1.1\" 404 3 \"\" \"docker\"\n"
        "10.0.0.7 - - [13/Apr/2026:07:12:09 +0000] \"GET /v2/infra-ci/blobs/sha256:" HEX_A
        " HTTP/1.1\" 404 3 \"\" \"docker\"\n";
    struct ra_log *log = read_text("stdout.log", text, RA_TIME_NONE);
    struct ra_digest a = fix_digest(HEX_A), b = fix_digest(HEX_B);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_LOGRUS_TEXT); /* the first line's */
    assert_int_equal(log->counts[RA_LOG_LOGRUS_TEXT], 2);
    assert_int_equal(log->counts[RA_LOG_ACCESS], 3);
    assert_int_equal(log->counts[RA_LOG_GC], 0);
    assert_int_equal(log->unrecognized, 1); /* "panic": a bare word, no GC lines */
    assert_int_equal(log->events.len, 4);

    e = ra_log_first_status(log, &a, NULL, 404);
    assert_non_null(e);
    assert_int_equal(e->line, 5);
    assert_int_equal(e->time, T_070903 + 1);
    assert_string_equal(e->repository, "other");
    e = ra_log_first_status(log, &a, "infra-ci", 404);
    assert_non_null(e);
    assert_int_equal(e->line, 4);
    assert_int_equal(e->format, RA_LOG_LOGRUS_TEXT);
    e = ra_log_first_status(log, &a, "infra-ci", 200);
    assert_non_null(e);
    assert_int_equal(e->line, 2);
    assert_null(ra_log_first_status(log, &a, "infra-ci", 500));
    assert_null(ra_log_first_status(log, &b, NULL, 404));
    ra_log_free(log);
}

/* DELETE requests as Distribution 2.8.2 writes them (lines taken from a real run with
 * log.level info), a user named on the request's "authorized request" line only. */
static void test_logs__delete_logrus_text(void **state)
{
    static const char text[] =
        "time=\"2026-04-13T07:12:03.7Z\" level=info msg=\"authorized request\" "
        "go.version=go1.19.8 http.request.id=7517 http.request.method=DELETE "
        "http.request.remoteaddr=\"10.0.0.9:47296\" auth.user.name=alice "
        "http.request.uri=\"/v2/app/manifests/sha256:" HEX_A "\"\n"
        "time=\"2026-04-13T07:12:03.979667169Z\" level=info msg=\"response completed\" "
        "go.version=go1.19.8 http.request.host=\"127.0.0.1:46363\" http.request.id=7517 "
        "http.request.method=DELETE http.request.remoteaddr=\"10.0.0.9:47296\" "
        "http.request.uri=\"/v2/app/manifests/sha256:" HEX_A "\" "
        "http.request.useragent=curl/7.88.1 http.response.duration=4.547215ms "
        "http.response.status=202 http.response.written=0\n"
        "time=\"2026-04-13T07:12:04Z\" level=error msg=\"response completed with error\" "
        "err.code=\"digest invalid\" err.message=\"provided digest did not match "
        "uploaded "
        "content\" go.version=go1.19.8 http.request.id=c4ec http.request.method=DELETE "
        "http.request.remoteaddr=\"127.0.0.1:47302\" http.request.uri=/v2/app/manifests/"
        "stable http.request.useragent=curl/7.88.1 http.response.status=400 "
        "vars.name=app vars.reference=stable\n"
        "time=\"2026-04-13T07:12:05Z\" level=info msg=\"response completed\" "
        "http.request.id=4d4b http.request.method=DELETE "
        "http.request.remoteaddr=\"[::1]:47306\" http.request.uri=\"/v2/tools/kubectl/"
        "blobs/sha256:" HEX_B "\" http.request.useragent=\"regctl/v0.5.0\" "
        "http.response.status=202 auth.user.name=\"ci bot\"\n"
        "time=\"2026-04-13T07:12:06Z\" level=info msg=\"response completed\" "
        "http.request.id=9a http.request.method=GET http.request.uri=\"/v2/app/manifests/"
        "sha256:" HEX_A "\" http.response.status=200\n";
    struct ra_log *log = read_text("registry.log", text, RA_TIME_NONE);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->counts[RA_LOG_LOGRUS_TEXT], 5);
    assert_int_equal(log->events.len, 4); /* "authorized request" is no request event */

    e = ev(log, 0);
    assert_int_equal(e->line, 2);
    assert_true(ra_log_is_delete(e));
    assert_int_equal(e->time, T_070903);
    assert_string_equal(e->method, "DELETE");
    assert_int_equal(e->object, RA_LOG_OBJ_MANIFEST);
    assert_string_equal(e->repository, "app");
    assert_digest(e, HEX_A);
    assert_int_equal(e->status, 202);
    assert_string_equal(e->remote_addr, "10.0.0.9:47296");
    assert_string_equal(e->user_agent, "curl/7.88.1");
    assert_string_equal(e->user, "alice"); /* from the request's authorized line */

    e = ev(log, 1); /* 2.8.2 answers a DELETE by tag with 400 */
    assert_true(ra_log_is_delete(e));
    assert_int_equal(e->status, 400);
    assert_string_equal(e->reference, "stable");
    assert_false(e->has_digest);
    assert_string_equal(e->error_code, "digest invalid");
    assert_string_equal(e->user, "");

    e = ev(log, 2);
    assert_true(ra_log_is_delete(e));
    assert_int_equal(e->object, RA_LOG_OBJ_BLOB);
    assert_string_equal(e->repository, "tools/kubectl");
    assert_digest(e, HEX_B);
    assert_string_equal(e->remote_addr, "[::1]:47306");
    assert_string_equal(e->user, "ci bot");
    assert_string_equal(e->user_agent, "regctl/v0.5.0");

    assert_false(ra_log_is_delete(ev(log, 3))); /* a GET */
    ra_log_free(log);
}

/* The same with log.formatter json (2.8.2's spelling: the status a number). */
static void test_logs__delete_logrus_json(void **state)
{
    static const char text[] =
        "{\"go.version\":\"go1.19.8\",\"http.request.host\":\"127.0.0.1:33649\","
        "\"http.request.id\":\"4e3c\",\"http.request.method\":\"DELETE\","
        "\"http.request.remoteaddr\":\"127.0.0.1:56846\",\"http.request.uri\":\"/v2/demo/"
        "manifests/sha256:" HEX_C "\",\"http.request.useragent\":\"curl/7.88.1\","
        "\"level\":\"info\",\"msg\":\"authorized "
        "request\",\"time\":\"2026-04-13T07:12:03."
        "257Z\",\"auth.user.name\":\"bob\",\"vars.name\":\"demo\"}\n"
        "{\"go.version\":\"go1.19.8\",\"http.request.id\":\"4e3c\","
        "\"http.request.method\":\"DELETE\",\"http.request.remoteaddr\":\"127.0.0.1:"
        "56846\","
        "\"http.request.uri\":\"/v2/demo/manifests/sha256:" HEX_C "\","
        "\"http.request.useragent\":\"curl/7.88.1\",\"http.response.duration\":\"235ms\","
        "\"http.response.status\":202,\"http.response.written\":0,\"level\":\"info\","
        "\"msg\":\"response completed\",\"time\":\"2026-04-13T07:12:03.259Z\"}\n"
        "{\"http.request.id\":\"c385\",\"http.request.method\":\"DELETE\","
        "\"http.request.remoteaddr\":\"127.0.0.1:56856\",\"http.request.uri\":\"/v2/demo/"
        "manifests/sha256:" HEX_C "\",\"level\":\"warning\",\"msg\":\"error authorizing "
        "context: basic authentication challenge for realm \\\"test\\\": invalid "
        "authorization credential\",\"time\":\"2026-04-13T07:12:04Z\"}\n";
    struct ra_log *log = read_text("registry.jsonl", text, RA_TIME_NONE);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_LOGRUS_JSON);
    assert_int_equal(log->events.len, 1); /* the refused one has no status: no request */
    e = ev(log, 0);
    assert_int_equal(e->line, 2);
    assert_true(ra_log_is_delete(e));
    assert_int_equal(e->time, T_070903);
    assert_string_equal(e->repository, "demo");
    assert_digest(e, HEX_C);
    assert_int_equal(e->status, 202);
    assert_string_equal(e->remote_addr, "127.0.0.1:56846");
    assert_string_equal(e->user_agent, "curl/7.88.1");
    assert_string_equal(e->user, "bob");
    ra_log_free(log);
}

/* The combined access lines 2.8.2 writes on stdout, mixed with its logrus lines on
 * stderr into one file (2>&1): both record the same request. */
static void test_logs__delete_access_and_same_request(void **state)
{
    static const char text[] =
        "127.0.0.1 - - [13/Apr/2026:07:12:03 +0000] \"DELETE "
        "/v2/app/manifests/sha256:" HEX_A " HTTP/1.1\" 202 0 \"\" \"curl/7.88.1\"\n"
        "time=\"2026-04-13T07:12:04.01Z\" level=info msg=\"response completed\" "
        "http.request.id=75 http.request.method=DELETE "
        "http.request.remoteaddr=\"127.0.0.1:47296\" "
        "http.request.uri=\"/v2/app/manifests/"
        "sha256:" HEX_A "\" http.request.useragent=curl/7.88.1 http.response.status=202\n"
        "2001:db8::7 - alice [13/Apr/2026:09:12:06 +0200] \"DELETE "
        "/v2/app/blobs/sha256:" HEX_D " HTTP/1.1\" 401 149 \"\" \"crane/0.19\"\n"
        "127.0.0.1 - - [13/Apr/2026:07:12:09 +0000] \"DELETE "
        "/v2/app/manifests/sha256:" HEX_A " HTTP/1.1\" 404 70 \"\" \"curl/7.88.1\"\n";
    struct ra_log *log = read_text("registry-stdout-stderr.log", text, RA_TIME_NONE);
    const struct ra_log_event *a, *l, *b, *again;

    (void)state;
    assert_int_equal(log->counts[RA_LOG_ACCESS], 3);
    assert_int_equal(log->counts[RA_LOG_LOGRUS_TEXT], 1);
    assert_int_equal(log->events.len, 4);
    a = ev(log, 0);
    l = ev(log, 1);
    b = ev(log, 2);
    again = ev(log, 3);

    assert_int_equal(a->format, RA_LOG_ACCESS);
    assert_true(ra_log_is_delete(a));
    assert_int_equal(a->time, T_070903);
    assert_int_equal(a->status, 202);
    assert_string_equal(a->repository, "app");
    assert_digest(a, HEX_A);
    assert_string_equal(a->remote_addr, "127.0.0.1");
    assert_string_equal(a->user, ""); /* "-" */
    assert_string_equal(a->user_agent, "curl/7.88.1");

    assert_int_equal(l->format, RA_LOG_LOGRUS_TEXT);
    assert_true(ra_log_same_request(a, l));
    assert_true(ra_log_same_request(l, a));
    assert_false(ra_log_same_request(a, again)); /* 404, six seconds later */

    assert_int_equal(b->time, T_070903 + 3);
    assert_int_equal(b->object, RA_LOG_OBJ_BLOB);
    assert_digest(b, HEX_D);
    assert_int_equal(b->status, 401);
    assert_string_equal(b->remote_addr, "2001:db8::7");
    assert_string_equal(b->user, "alice");
    assert_string_equal(b->user_agent, "crane/0.19");
    assert_false(ra_log_same_request(a, b));
    ra_log_free(log);
}

/* Each DELETE once, the logrus line of a request logged twice, in one file or in two
 * (stdout and stderr kept apart); other requests are no deletes. */
static void test_logs__deletes_each_request_once(void **state)
{
    static const char out_text[] =
        "127.0.0.1 - - [13/Apr/2026:07:12:03 +0000] \"DELETE "
        "/v2/app/manifests/sha256:" HEX_A " HTTP/1.1\" 202 0 \"\" \"curl/7.88.1\"\n"
        "127.0.0.1 - - [13/Apr/2026:07:12:03 +0000] \"GET /v2/app/manifests/sha256:" HEX_A
        " HTTP/1.1\" 200 0 \"\" \"curl/7.88.1\"\n"
        "127.0.0.1 - - [13/Apr/2026:07:12:09 +0000] \"DELETE /v2/app/blobs/sha256:" HEX_B
        " HTTP/1.1\" 202 0 \"\" \"curl/7.88.1\"\n";
    static const char err_text[] =
        "time=\"2026-04-13T07:12:04.01Z\" level=info msg=\"response completed\" "
        "http.request.id=75 http.request.method=DELETE "
        "http.request.remoteaddr=\"127.0.0.1:47296\" "
        "http.request.uri=\"/v2/app/manifests/"
        "sha256:" HEX_A
        "\" http.request.useragent=curl/7.88.1 http.response.status=202\n";
    struct ra_log *logs[2];
    struct ra_log_request *reqs = NULL;

    (void)state;
    logs[0] = read_text("stdout.log", out_text, RA_TIME_NONE);
    logs[1] = read_text("stderr.log", err_text, RA_TIME_NONE);
    assert_int_equal(ra_log_deletes(&reqs, logs, 2), 2);
    assert_ptr_equal(reqs[0].log, logs[1]);
    assert_int_equal(reqs[0].ev->format, RA_LOG_LOGRUS_TEXT);
    assert_string_equal(reqs[0].ev->remote_addr, "127.0.0.1:47296");
    assert_ptr_equal(reqs[1].log, logs[0]);
    assert_int_equal(reqs[1].ev->line, 3);
    assert_int_equal(reqs[1].ev->object, RA_LOG_OBJ_BLOB);
    free(reqs);

    /* stdout alone: the access line stands for its request */
    assert_int_equal(ra_log_deletes(&reqs, logs, 1), 2);
    assert_int_equal(reqs[0].ev->line, 1);
    assert_int_equal(reqs[0].ev->format, RA_LOG_ACCESS);
    free(reqs);

    assert_int_equal(ra_log_deletes(&reqs, logs, 0), 0);
    assert_null(reqs);
    ra_log_free(logs[0]);
    ra_log_free(logs[1]);
}

static const char gc28[] =
    "infra-ci\n"
    "infra-ci: marking manifest sha256:" HEX_A " \n"
    "infra-ci: marking blob sha256:" HEX_B "\n"
    "infra-ci: marking blob sha256:" HEX_C "\n"
    "manifest eligible for deletion: sha256:" HEX_D "\n"
    "tools/kubectl\n"
    "tools/kubectl: marking manifest sha256:" HEX_C " \n"
    "time=\"2026-04-12T03:25:05Z\" level=info msg=\"deleting manifest tag reference: "
    "/docker/registry/v2/repositories/infra-ci/_manifests/tags/old/index/sha256/" HEX_D
    "\" "
    "go.version=go1.20.8 instance.id=1b2c\n"
    "time=\"2026-04-12T03:25:05Z\" level=info msg=\"deleting manifest: "
    "/docker/registry/v2/repositories/infra-ci/_manifests/revisions/sha256/" HEX_D "\" "
    "go.version=go1.20.8 instance.id=1b2c\n"
    "\n"
    "3 blobs marked, 1 blobs and 1 manifests eligible for deletion\n"
    "blob eligible for deletion: sha256:" HEX_D "\n"
    "time=\"2026-04-12T03:25:07Z\" level=info msg=\"Deleting blob: "
    "/docker/registry/v2/blobs/sha256/18/" HEX_D
    "\" go.version=go1.20.8 instance.id=1b2c\n";

static void test_logs__gc_28_with_run_time(void **state)
{
    static const struct {
        enum ra_log_kind kind;
        uint64_t line;
        const char *repository, *hex;
    } want[] = {
        {RA_LOG_GC_REPOSITORY, 1, "infra-ci", NULL},
        {RA_LOG_GC_MARK_MANIFEST, 2, "infra-ci", HEX_A},
        {RA_LOG_GC_MARK_BLOB, 3, "infra-ci", HEX_B},
        {RA_LOG_GC_MARK_BLOB, 4, "infra-ci", HEX_C},
        {RA_LOG_GC_MANIFEST_ELIGIBLE, 5, "infra-ci", HEX_D}, /* repo from context */
        {RA_LOG_GC_REPOSITORY, 6, "tools/kubectl", NULL},
        {RA_LOG_GC_MARK_MANIFEST, 7, "tools/kubectl", HEX_C},
        {RA_LOG_GC_SUMMARY, 11, "", NULL},
        {RA_LOG_GC_BLOB_ELIGIBLE, 12, "", HEX_D},
        {RA_LOG_GC_DELETE_TAG_REF, 8, "infra-ci", HEX_D}, /* logrus times sort later */
        {RA_LOG_GC_DELETE_MANIFEST, 9, "infra-ci", HEX_D},
        {RA_LOG_GC_DELETE_BLOB, 13, "", HEX_D},
    };
    struct ra_log *log = read_text("gc-2026-04-12.log", gc28, T_GC);
    const struct ra_log_event *e;
    struct ra_digest d = fix_digest(HEX_D);
    size_t i;

    (void)state;
    assert_int_equal(log->format, RA_LOG_GC);
    assert_int_equal(log->lines, 13);
    assert_int_equal(log->counts[RA_LOG_GC], 9);
    assert_int_equal(log->counts[RA_LOG_LOGRUS_TEXT], 3);
    assert_int_equal(log->unrecognized, 0);
    assert_int_equal(log->events.len, RA_ARRAY_SIZE(want));
    for (i = 0; i < RA_ARRAY_SIZE(want); i++) {
        e = ev(log, i);
        assert_int_equal(e->kind, want[i].kind);
        assert_int_equal(e->line, want[i].line);
        assert_string_equal(e->repository, want[i].repository);
        if (want[i].hex)
            assert_digest(e, want[i].hex);
        else
            assert_false(e->has_digest);
        assert_non_null(e->gc);
        assert_null(e->pipeline);
    }
    for (i = 0; i < 9; i++) {
        assert_int_equal(ev(log, i)->time, T_GC);
        assert_false(ev(log, i)->time_exact);
        assert_int_equal(ev(log, i)->format, RA_LOG_GC);
    }
    e = ev(log, 7);
    assert_int_equal(e->gc->marked, 3);
    assert_int_equal(e->gc->blobs_eligible, 1);
    assert_int_equal(e->gc->manifests_eligible, 1);

    e = ev(log, 9);
    assert_int_equal(e->time, T_GC + 5);
    assert_true(e->time_exact);
    assert_int_equal(e->format, RA_LOG_LOGRUS_TEXT);
    assert_string_equal(e->gc->tag, "old");
    assert_string_equal(e->gc->path,
                        "/docker/registry/v2/repositories/infra-ci/_manifests/tags/"
                        "old/index/sha256/" HEX_D);
    e = ev(log, 11);
    assert_int_equal(e->time, T_GC + 7);
    assert_string_equal(e->gc->path, "/docker/registry/v2/blobs/sha256/18/" HEX_D);
    assert_string_equal(e->message,
                        "Deleting blob: /docker/registry/v2/blobs/sha256/18/" HEX_D);
    assert_string_equal(e->level, "info");

    assert_ptr_equal(ra_log_find(log, RA_LOG_GC_DELETE_BLOB, &d), ev(log, 11));
    assert_ptr_equal(ra_log_find(log, RA_LOG_GC_MANIFEST_ELIGIBLE, &d), ev(log, 4));
    ra_log_free(log);
}

static void test_logs__gc_without_run_time(void **state)
{
    struct ra_log *log = read_text("gc.log", gc28, RA_TIME_NONE);
    const struct ra_log_event *e = ev(log, 0);

    (void)state;
    assert_int_equal(e->kind, RA_LOG_GC_REPOSITORY);
    assert_int_equal(e->time, RA_TIME_NONE);
    assert_false(e->time_exact);
    assert_int_equal(ev(log, 9)->time, T_GC + 5);
    ra_log_free(log);
}

static void test_logs__gc_3x(void **state)
{
    static const char text[] =
        "infra-ci\n"
        "infra-ci: marking manifest sha256:" HEX_A " \n"
        "infra-ci: marking blob sha256:" HEX_B "\n"
        "tools/kubectl\n"
        "tools/kubectl: marking manifest sha256:" HEX_C " \n"
        "manifest eligible for deletion: {infra-ci sha256:" HEX_D " [latest v1.2]}\n"
        "manifest eligible for deletion: {tools/kubectl sha256:" HEX_B " []}\n"
        "\n"
        "3 blobs marked, 1 blobs and 2 manifests eligible for deletion\n"
        "blob eligible for deletion: sha256:" HEX_D "\n"
        "tools/kubectl: layer link eligible for deletion: sha256:" HEX_A "\n"
        "time=\"2026-04-12T03:25:08Z\" level=info msg=\"Deleting layer link path : "
        "/docker/registry/v2/repositories/tools/kubectl/_layers/sha256/" HEX_A "\"\n"
        "manifest tags path of repository empty/repo does not exist\n";
    struct ra_log *log = read_text("gc3.log", text, T_GC);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_GC);
    assert_int_equal(log->events.len, 11);
    assert_int_equal(log->unrecognized, 0);

    e = ev(log, 5);
    assert_int_equal(e->kind, RA_LOG_GC_MANIFEST_ELIGIBLE);
    assert_int_equal(e->line, 6);
    assert_string_equal(e->repository, "infra-ci");
    assert_digest(e, HEX_D);
    assert_int_equal(e->gc->ntags, 2);
    assert_string_equal(e->gc->tags[0], "latest");
    assert_string_equal(e->gc->tags[1], "v1.2");

    e = ev(log, 6);
    assert_string_equal(e->repository, "tools/kubectl");
    assert_digest(e, HEX_B);
    assert_int_equal(e->gc->ntags, 0);

    e = ev(log, 9);
    assert_int_equal(e->kind, RA_LOG_GC_LAYER_LINK_ELIGIBLE);
    assert_string_equal(e->repository, "tools/kubectl");
    assert_digest(e, HEX_A);

    e = ev(log, 10);
    assert_int_equal(e->kind, RA_LOG_GC_DELETE_LAYER_LINK);
    assert_int_equal(e->time, T_GC + 8);
    assert_string_equal(e->repository, "tools/kubectl");
    assert_digest(e, HEX_A);
    assert_string_equal(ra_log_kind_name(e->kind), "gc_delete_layer_link");
    ra_log_free(log);
}

/* `docker logs -t` and `docker compose logs` prefixes, CRLF, a BOM, a GC that failed,
 * and GC output logged as JSON. */
static void test_logs__prefixes_crlf_bom_and_gc_error(void **state)
{
    static const char text[] =
        "\xef\xbb\xbf"
        "2026-04-12T03:25:01.000000001Z infra-ci\r\n"
        "gc-1  | 2026-04-12T03:25:02Z infra-ci: marking manifest sha256:" HEX_A " \r\n"
        "gc-1  | {\"level\":\"info\",\"msg\":\"Deleting blob: /docker/registry/v2/blobs/"
        "sha256/3e/" HEX_B "\",\"time\":\"2026-04-12T03:25:04Z\"}\r\n"
        "failed to garbage collect: failed to mark: failed to retrieve manifest for "
        "digest "
        "sha256:" HEX_C ": unknown blob\r\n";
    struct ra_log *log = read_text("gc-docker.log", text, T_GC);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_GC);
    assert_int_equal(log->events.len, 4);
    e = ev(log, 0); /* no prefix time: the run time */
    assert_int_equal(e->kind, RA_LOG_GC_ERROR);
    assert_int_equal(e->time, T_GC);
    assert_false(e->time_exact);
    assert_digest(e, HEX_C);
    assert_string_equal(e->message,
                        "failed to mark: failed to retrieve manifest for digest "
                        "sha256:" HEX_C ": unknown blob");
    e = ev(log, 1);
    assert_int_equal(e->kind, RA_LOG_GC_REPOSITORY);
    assert_int_equal(e->time, T_GC + 1);
    assert_true(e->time_exact);
    assert_string_equal(e->repository, "infra-ci");
    e = ev(log, 2);
    assert_int_equal(e->kind, RA_LOG_GC_MARK_MANIFEST);
    assert_int_equal(e->time, T_GC + 2);
    assert_digest(e, HEX_A);
    e = ev(log, 3);
    assert_int_equal(e->kind, RA_LOG_GC_DELETE_BLOB);
    assert_int_equal(e->format, RA_LOG_LOGRUS_JSON);
    assert_int_equal(e->time, T_GC + 4);
    assert_digest(e, HEX_B);
    ra_log_free(log);
}

/* The raw file of docker's json-file log driver, around GC and logrus lines. */
static void test_logs__docker_json_file(void **state)
{
    static const char text[] =
        "{\"log\":\"infra-ci\\n\",\"stream\":\"stdout\",\"time\":\"2026-04-12T03:25:01."
        "5Z\"}\n"
        "{\"log\":\"infra-ci: marking manifest sha256:" HEX_A
        " \\n\",\"stream\":\"stdout\","
        "\"time\":\"2026-04-12T03:25:02Z\"}\n"
        "{\"log\":\"time=\\\"2026-04-12T03:25:04Z\\\" level=info msg=\\\"Deleting blob: "
        "/docker/registry/v2/blobs/sha256/3e/" HEX_B "\\\"\\n\",\"stream\":\"stderr\","
        "\"time\":\"2026-04-12T03:25:09Z\"}\n"
        "{\"log\":\"{\\\"level\\\":\\\"info\\\",\\\"msg\\\":\\\"Deleting blob: "
        "/docker/registry/v2/blobs/sha256/2e/" HEX_C "\\\"}\\n\",\"stream\":\"stderr\","
        "\"time\":\"2026-04-12T03:25:05Z\"}\n"
        "{\"log\":\"\\n\",\"stream\":\"stdout\",\"time\":\"2026-04-12T03:25:06Z\"}\n"
        "{\"log\":\"gibberish here\\n\",\"stream\":\"stdout\"}\n";
    struct ra_log *log = read_text("0123abcd-json.log", text, RA_TIME_NONE);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_GC);
    assert_int_equal(log->lines, 6);
    assert_int_equal(log->counts[RA_LOG_GC], 2);
    assert_int_equal(log->counts[RA_LOG_LOGRUS_TEXT], 1);
    assert_int_equal(log->counts[RA_LOG_LOGRUS_JSON], 1);
    assert_int_equal(log->unrecognized, 1);
    assert_int_equal(log->events.len, 4);
    e = ev(log, 0);
    assert_int_equal(e->kind, RA_LOG_GC_REPOSITORY);
    assert_int_equal(e->time, T_GC + 1);
    assert_true(e->time_exact);
    e = ev(log, 1);
    assert_int_equal(e->kind, RA_LOG_GC_MARK_MANIFEST);
    assert_int_equal(e->time, T_GC + 2);
    assert_digest(e, HEX_A);
    e = ev(log, 2); /* the logrus time wins over docker's */
    assert_int_equal(e->kind, RA_LOG_GC_DELETE_BLOB);
    assert_int_equal(e->format, RA_LOG_LOGRUS_TEXT);
    assert_int_equal(e->time, T_GC + 4);
    assert_digest(e, HEX_B);
    e = ev(log, 3); /* no logrus time: docker's */
    assert_int_equal(e->format, RA_LOG_LOGRUS_JSON);
    assert_int_equal(e->time, T_GC + 5);
    assert_int_equal(e->line, 4);
    assert_digest(e, HEX_C);
    ra_log_free(log);
}

static const char pipelines[] =
    "[\n"
    "  {\"id\": 901, \"number\": 412, \"event\": \"cron\", \"status\": \"failure\",\n"
    "   \"created\": 1776060000, \"started\": 1776060300, \"finished\": 1776060600,\n"
    "   \"branch\": \"main\", \"commit\": \"0f3c2a1\", \"message\": \"nightly [x]\\n\",\n"
    "   \"sender\": \"cron-nightly\", \"ref\": \"refs/heads/main\", \"parent\": 410,\n"
    "   \"workflows\": [{\"name\": \"build\", \"state\": \"failure\", \"children\": [\n"
    "     {\"name\": \"clone\", \"state\": \"success\", \"exit_code\": 0,\n"
    "      \"start_time\": 1776060300, \"end_time\": 1776060310},\n"
    "     {\"name\": \"test\", \"state\": \"failure\", \"exit_code\": 126,\n"
    "      \"error\": \"image can't be pulled\", \"start_time\": 1776060320,\n"
    "      \"end_time\": 1776060330}]}]},\n"
    "  {\"number\": 411, \"event\": \"push\", \"status\": \"success\", \"created\": "
    "1775964000,\n"
    "   \"started\": 1775964010, \"finished\": 1775964200},\n"
    "  {\"number\": 413, \"event\": \"manual\", \"status\": \"error\", \"created\": "
    "1776067200,"
    " \"started\": 0, \"finished\": 0},"
    " {\"number\": 414, \"event\": \"tag\", \"status\": \"killed\", \"created\": "
    "1776060000,"
    " \"started\": 1776060001},\n"
    "  {\"number\": 415, \"event\": \"pull_request\", \"status\": \"running\","
    " \"created\": 1776060002, \"started\": 1776060003},\n"
    "  {\"number\": 416, \"event\": \"push\", \"status\": \"pending\", \"created\": "
    "1776067201},\n"
    "  {\"number\": 417, \"event\": \"push\", \"status\": \"failure\"}\n"
    "]\n";

static void test_logs__pipeline_array(void **state)
{
    static const struct {
        int64_t number;
        const char *status, *event;
        uint64_t line;
        ra_time time;
    } want[] = {
        {417, "failure", "push", 17, RA_TIME_NONE},
        {411, "success", "push", 12, 1775964010},
        {414, "killed", "tag", 14, 1776060001},
        {415, "running", "pull_request", 15, 1776060003},
        {412, "failure", "cron", 2, 1776060300},
        {413, "error", "manual", 14, 1776067200}, /* started 0: created */
        {416, "pending", "push", 16, 1776067201},
    };
    struct ra_log *log = read_text("pipelines.json", pipelines, RA_TIME_NONE);
    const struct ra_log_pipeline *p;
    const struct ra_log_event *e;
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    (void)state;
    assert_int_equal(log->format, RA_LOG_PIPELINES);
    assert_int_equal(log->lines, 18);
    assert_int_equal(log->counts[RA_LOG_PIPELINES], 7);
    assert_int_equal(log->events.len, RA_ARRAY_SIZE(want));
    for (i = 0; i < RA_ARRAY_SIZE(want); i++) {
        e = ev(log, i);
        assert_int_equal(e->kind, RA_LOG_PIPELINE);
        assert_int_equal(e->format, RA_LOG_PIPELINES);
        assert_non_null(e->pipeline);
        assert_null(e->gc);
        assert_int_equal(e->pipeline->number, want[i].number);
        assert_string_equal(e->pipeline->status, want[i].status);
        assert_string_equal(e->pipeline->event, want[i].event);
        assert_int_equal(e->line, want[i].line);
        assert_int_equal(e->time, want[i].time);
        assert_int_equal(e->time_exact, want[i].time != RA_TIME_NONE);
    }

    p = ev(log, 4)->pipeline;
    assert_int_equal(p->created, 1776060000);
    assert_int_equal(p->started, 1776060300);
    assert_int_equal(p->finished, 1776060600);
    assert_string_equal(p->branch, "main");
    assert_string_equal(p->commit, "0f3c2a1");
    assert_string_equal(p->ref, "refs/heads/main");
    assert_string_equal(p->sender, "cron-nightly");
    assert_string_equal(p->message, "nightly [x]\n");
    assert_int_equal(p->nsteps, 2);
    assert_string_equal(p->steps[1].workflow, "build");
    assert_string_equal(p->steps[1].name, "test");
    assert_string_equal(p->steps[1].state, "failure");
    assert_string_equal(p->steps[1].error, "image can't be pulled");
    assert_int_equal(p->steps[1].exit_code, 126);
    assert_int_equal(p->steps[1].started, 1776060320);
    assert_int_equal(p->steps[1].finished, 1776060330);
    assert_string_equal(p->steps[0].error, "");
    assert_int_equal(p->parent, 410); /* a restart of #410 */
    assert_int_equal(ev(log, 1)->pipeline->parent, 0);
    /* a run is over when it finished; without a finish time, at its event time */
    assert_int_equal(ra_log_event_end(ev(log, 4)), 1776060600);
    assert_int_equal(ra_log_event_end(ev(log, 2)), 1776060001);
    assert_int_equal(ev(log, 5)->pipeline->started, RA_TIME_NONE);
    assert_int_equal(ev(log, 5)->pipeline->nsteps, 0);

    /* failed in [06:00, 08:00]: 414 (killed), 412 (failure), 413 (error) */
    assert_int_equal(ra_log_failed_pipelines(&v, log, 1776060000, 1776067200), 3);
    assert_int_equal(((struct ra_log_event *)v.items[0])->pipeline->number, 414);
    assert_int_equal(((struct ra_log_event *)v.items[1])->pipeline->number, 412);
    assert_int_equal(((struct ra_log_event *)v.items[2])->pipeline->number, 413);
    ra_vec_release(&v);
    /* open window: the one without a time too */
    assert_int_equal(ra_log_failed_pipelines(&v, log, RA_TIME_NONE, RA_TIME_NONE), 4);
    ra_vec_release(&v);
    assert_int_equal(ra_log_select(&v, log, RA_LOG_PIPELINE, 1776060003, RA_TIME_NONE),
                     4);
    ra_vec_release(&v);
    assert_false(ra_log_pipeline_failed(ev(log, 1)));
    assert_true(ra_log_pipeline_failed(ev(log, 0)));
    ra_log_free(log);
}

/* jq -c '.[]' of an export: one pipeline a line. */
/* Alertmanager webhook payloads, one a line: each alert with status "firing" is an
 * event at its startsAt (fractions of a second dropped), named by its alertname, with
 * its severity; resolved alerts and an alert without startsAt are none; a JSON object
 * without receiver is no payload. */
static void test_logs__alertmanager(void **state)
{
    static const char text[] =
        "{\"receiver\":\"ops\",\"status\":\"firing\",\"version\":\"4\",\"alerts\":["
        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"RegistryImageUnpullable\","
        "\"severity\":\"page\"},\"startsAt\":\"2026-04-13T07:12:03.123456789Z\"},"
        "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"Old\"},"
        "\"startsAt\":\"2026-04-13T01:00:00Z\"}]}\n"
        "{\"receiver\":\"ops\",\"status\":\"firing\",\"alerts\":["
        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"DiskFull\"},"
        "\"startsAt\":\"2026-04-13T07:12:04Z\"},"
        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"NoStart\"}}]}\n";
    struct ra_log *log = read_text("alerts.jsonl", text, RA_TIME_NONE);

    (void)state;
    assert_int_equal(log->format, RA_LOG_ALERTMANAGER);
    assert_string_equal(ra_log_format_name(log->format), "alertmanager");
    assert_int_equal(log->counts[RA_LOG_ALERTMANAGER], 2);
    assert_int_equal(log->events.len, 2);
    assert_int_equal(ev(log, 0)->kind, RA_LOG_ALERT);
    assert_string_equal(ra_log_kind_name(ev(log, 0)->kind), "alert");
    assert_int_equal(ev(log, 0)->time, T_070903);
    assert_int_equal(ev(log, 0)->line, 1);
    assert_string_equal(ev(log, 0)->message, "RegistryImageUnpullable");
    assert_string_equal(ev(log, 0)->level, "page");
    assert_int_equal(ev(log, 1)->time, T_070903 + 1);
    assert_string_equal(ev(log, 1)->message, "DiskFull");
    assert_string_equal(ev(log, 1)->level, "");
    ra_log_free(log);
}

static void test_logs__pipeline_lines(void **state)
{
    static const char text[] =
        "{\"number\":7,\"status\":\"failure\",\"event\":\"cron\","
        "\"created\":\"2026-04-13T07:12:03Z\"}\n"
        "{\"number\":8,\"status\":\"success\",\"event\":\"push\",\"created_at\":"
        "1776064324,"
        "\"steps\":[{\"name\":\"build\",\"state\":\"success\",\"started\":1776064324}]}\n"
        /* Drone's spelling: stages[].steps[], status, stopped */
        "{\"number\":9,\"status\":\"error\",\"event\":\"push\",\"started\":1776064330,"
        "\"stages\":[{\"name\":\"default\",\"steps\":[{\"name\":\"pull\","
        "\"status\":\"error\",\"exit_code\":126,\"started\":1776064330,"
        "\"stopped\":1776064331}]}]}\n";
    struct ra_log *log = read_text("pipelines.jsonl", text, RA_TIME_NONE);
    const struct ra_log_step *st;

    (void)state;
    assert_int_equal(log->format, RA_LOG_PIPELINES);
    assert_int_equal(log->counts[RA_LOG_PIPELINES], 3);
    assert_int_equal(log->events.len, 3);
    assert_int_equal(ev(log, 0)->pipeline->number, 7);
    assert_int_equal(ev(log, 0)->time, T_070903);
    assert_int_equal(ev(log, 1)->line, 2);
    assert_int_equal(ev(log, 1)->time, T_070903 + 1);
    assert_int_equal(ev(log, 1)->pipeline->nsteps, 1);
    assert_string_equal(ev(log, 1)->pipeline->steps[0].workflow, "");
    assert_int_equal(ev(log, 1)->pipeline->steps[0].started, T_070903 + 1);
    assert_int_equal(ev(log, 2)->pipeline->nsteps, 1);
    st = &ev(log, 2)->pipeline->steps[0];
    assert_string_equal(st->workflow, "default");
    assert_string_equal(st->name, "pull");
    assert_string_equal(st->state, "error");
    assert_int_equal(st->exit_code, 126);
    assert_int_equal(st->finished, T_070903 + 8);
    assert_true(ra_log_pipeline_failed(ev(log, 2)));
    ra_log_free(log);
}

static void test_logs__empty(void **state)
{
    struct ra_log *log = read_text("empty.log", "", T_GC);

    (void)state;
    assert_int_equal(log->format, RA_LOG_EMPTY);
    assert_int_equal(log->events.len, 0);
    assert_int_equal(log->lines, 0);
    assert_string_equal(ra_log_format_name(log->format), "empty");
    ra_log_free(log);

    log = read_text("blank.log", "\n  \r\n\t\n", T_GC);
    assert_int_equal(log->format, RA_LOG_EMPTY);
    assert_int_equal(log->lines, 3);
    assert_int_equal(log->unrecognized, 0);
    ra_log_free(log);

    log = read_text("empty.json", " [ ]\n", T_GC);
    assert_int_equal(log->format, RA_LOG_PIPELINES);
    assert_int_equal(log->events.len, 0);
    ra_log_free(log);
}

static void test_logs__garbage(void **state)
{
    static const char notes[] = "just some notes\nabout things\n";
    static const char words[] = "hello\nworld\n";
    static const char array[] = "[1, 2, \"x\"]";
    static const char bracketed[] = "[2026-04-13 07:12:03] INFO ready\n";
    static const char binary[] = "\x7f"
                                 "ELF\x02\x01\x01\0\0\0\0\n\0\x03\0>\0";
    struct ra_buf many = RA_BUF_INIT;
    struct ra_err err;
    int i;

    (void)state;
    err = read_fail("notes.txt", notes, sizeof(notes) - 1, RA_EFORMAT);
    assert_non_null(strstr(err.msg, "/notes.txt': not a log format regautopsy reads "
                                    "(registry logrus text/JSON, access log, GC output, "
                                    "Woodpecker pipeline JSON, Alertmanager webhook "
                                    "payloads, log or API alerts)"));
    /* bare words look like repository names, but no GC line backs them */
    err = read_fail("words.txt", words, sizeof(words) - 1, RA_EFORMAT);
    err = read_fail("a.out", binary, sizeof(binary) - 1, RA_EFORMAT);
    assert_non_null(strstr(err.msg, "a.out': not a log format"));
    err = read_fail("array.json", array, sizeof(array) - 1, RA_EFORMAT);
    assert_non_null(strstr(err.msg, "array.json': not a log format"));
    err = read_fail("app.log", bracketed, sizeof(bracketed) - 1, RA_EFORMAT);
    assert_non_null(strstr(err.msg, "app.log': not a log format"));

    /* stops after RA_LOG_PROBE_LINES non-blank lines of nothing known */
    for (i = 0; i < 100000; i++)
        ra_buf_puts(&many, "Lorem ipsum dolor sit amet\n");
    err = read_fail("lorem.txt", many.ptr, many.len, RA_EFORMAT);
    ra_buf_release(&many);
}

static void test_logs__missing_file(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_log *log = NULL;

    (void)state;
    assert_int_equal(ra_log_read(&log, "/nonexistent/registry.log", RA_TIME_NONE, &err),
                     RA_EIO);
    assert_null(log);
    assert_int_equal(err.code, RA_EIO);
    assert_non_null(strstr(err.msg, "'/nonexistent/registry.log': cannot open: "));
}

static void test_logs__overlong_line_skipped(void **state)
{
    struct ra_buf text = RA_BUF_INIT;
    struct ra_log *log;
    size_t i;

    (void)state;
    ra_buf_puts(&text, "infra-ci: marking blob sha256:" HEX_A "\n");
    for (i = 0; i < RA_LOG_LINE_MAX + 1; i++)
        ra_buf_putc(&text, 'x');
    ra_buf_puts(&text, "\n");
    for (i = 0; i < RA_LOG_LINE_MAX; i++) /* exactly the cap: read */
        ra_buf_putc(&text, i < 30 ? "blob eligible for deletion: z"[i % 29] : 'y');
    ra_buf_puts(&text, "\ninfra-ci: marking blob sha256:" HEX_B "\n");
    for (i = 0; i < 3 * RA_LOG_LINE_MAX; i++) /* the last line, no newline */
        ra_buf_putc(&text, 'z');
    log = read_text("long.log", text.ptr, RA_TIME_NONE);
    assert_int_equal(log->lines, 5);
    assert_int_equal(log->skipped, 2);
    assert_int_equal(log->events.len, 3);
    assert_int_equal(ev(log, 0)->line, 1);
    assert_int_equal(ev(log, 1)->kind, RA_LOG_GC_BLOB_ELIGIBLE);
    assert_int_equal(ev(log, 1)->line, 3);
    assert_false(ev(log, 1)->has_digest);
    assert_int_equal(ev(log, 2)->line, 4);
    assert_digest(ev(log, 2), HEX_B);
    ra_log_free(log);
    ra_buf_release(&text);
}

static void test_logs__invalid_utf8(void **state)
{
    static const char text[] =
        "time=\"2026-04-13T07:12:03Z\" level=info msg=\"caf\xe9 \xff\xfe\xc0\" "
        "http.request.method=GET http.request.uri=\"/v2/\xff\xfe/manifests/t\xc3\" "
        "http.response.status=404\n"
        "{\"time\":\"2026-04-13T07:12:03Z\",\"msg\":\"\xff\"}\n"
        "1.2.3.4 - - [13/Apr/2026:07:12:03 +0000] \"GET /v2/a/manifests/\xe2\x82 "
        "HTTP/1.1\" "
        "200 0\n"
        "\xc3\x28: marking blob sha256:" HEX_A "\n";
    struct ra_log *log = read_text("utf8.log", text, RA_TIME_NONE);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->unrecognized, 2); /* jansson rejects it; not a repository */
    assert_int_equal(log->events.len, 2);
    e = ev(log, 0);
    assert_string_equal(e->message, "caf\xe9 \xff\xfe\xc0");
    assert_string_equal(e->repository, "\xff\xfe");
    assert_string_equal(e->reference, "t\xc3");
    assert_string_equal(ev(log, 1)->reference, "\xe2\x82");
    ra_log_free(log);
}

/* Numbers out of range in a pipeline export: each is a problem of its record (a time
 * left out, a record jansson refuses left out), never a blank time or a failed read;
 * the other records are read. Also one pipeline a line. */
static void test_logs__pipeline_numbers_out_of_range(void **state)
{
    static const char array[] =
        "[\n"
        " {\"number\": 1, \"status\": \"success\", \"started\": 1775955660},\n"
        " {\"number\": 2, \"status\": \"failure\", \"created\": 1775959200, "
        "\"started\": 99999999999999},\n"
        " {\"number\": 3, \"status\": \"failure\", \"finished\": "
        "123456789012345678901234567890},\n"
        " {\"number\": 4, \"status\": \"failure\", \"created\": 1e400},\n"
        " {\"number\": 5, \"status\": \"success\", \"created\": -5, \"started\": "
        "1775962800,"
        " \"steps\": [{\"name\": \"b\", \"exit_code\": 9999999999, \"started\": 2.5}]}\n"
        "]\n";
    static const char lines[] =
        "{\"number\": 7, \"status\": \"success\", \"started\": 1775955660}\n"
        "{\"number\": 8, \"status\": \"success\", \"started\": 1e999}\n"
        "{\"number\": 9, \"status\": \"success\", \"started\": \"yesterday\"}\n";
    static const char *const want[] = {
        "line 3: pipeline #2: 'started' 99999999999999 is not a time (epoch seconds from "
        "1970 to 9999): left out",
        "line 4: record does not parse: too big integer: left out",
        "line 5: record does not parse: real number overflow near '1e400': left out",
        "line 6: pipeline #5: 'created' -5 is not a time (epoch seconds from 1970 to "
        "9999): "
        "left out",
        "line 6: pipeline #5 step 1: 'exit_code' is not a small integer: left out",
        "line 6: pipeline #5 step 1: 'started' 2.5 is not a time (epoch seconds from "
        "1970 "
        "to 9999): left out",
    };
    struct ra_log *log = read_text("p.json", array, RA_TIME_NONE);
    size_t i;

    (void)state;
    assert_int_equal(log->counts[RA_LOG_PIPELINES], 3);
    assert_int_equal(log->problems.len, RA_ARRAY_SIZE(want));
    for (i = 0; i < RA_ARRAY_SIZE(want); i++)
        assert_string_equal(log->problems.items[i], want[i]);
    assert_int_equal(log->events.len, 3);
    assert_int_equal(ev(log, 0)->time, 1775955660);
    assert_int_equal(ev(log, 1)->time, 1775959200); /* #2: created, not a blank time */
    assert_int_equal(ev(log, 2)->time, 1775962800);
    ra_log_free(log);

    log = read_text("p.ndjson", lines, RA_TIME_NONE);
    assert_int_equal(log->counts[RA_LOG_PIPELINES], 2);
    assert_int_equal(log->problems.len, 2);
    assert_string_equal(
        log->problems.items[0],
        "line 2: record does not parse: real number overflow near '1e999': "
        "left out");
    assert_string_equal(log->problems.items[1],
                        "line 3: pipeline #9: 'started' is not a time (epoch seconds or "
                        "RFC 3339): left out");
    ra_log_free(log);
}

static void test_logs__truncated_pipeline_json(void **state)
{
    static const char text[] = "[\n"
                               "  {\"number\": 1, \"status\": \"success\"},\n"
                               "  {\"number\": 2, \"sta";
    static const char dup[] = "[{\"number\": 1, \"number\": 2, \"status\": \"x\"}]";
    struct ra_err err;

    (void)state;
    err = read_fail("trunc.json", text, sizeof(text) - 1, RA_EFORMAT);
    /* jansson's words and place: the 20th character of line 3, the end of input */
    assert_non_null(strstr(err.msg, "trunc.json': pipeline JSON: premature end of input "
                                    "near '\"sta' (line 3, column 20)"));
    err = read_fail("dup.json", dup, sizeof(dup) - 1, RA_EFORMAT);
    assert_non_null(strstr(err.msg, "duplicate object key"));
    assert_non_null(strstr(err.msg, "(line 1, column "));
}

struct drip {
    const char *data;
    size_t len, pos;
    int fail_at; /* return RA_EIO when pos reaches it; -1 never */
};

/* One byte a call: every line crosses a read. */
static int drip_read(void *buf, size_t len, size_t *nread, void *payload,
                     struct ra_err *err)
{
    struct drip *d = payload;

    (void)len;
    if (d->fail_at >= 0 && d->pos == (size_t)d->fail_at)
        return ra_err_set(err, RA_EIO, "drip: read failed at %zu", d->pos);
    *nread = d->pos < d->len ? 1 : 0;
    if (*nread)
        ((char *)buf)[0] = d->data[d->pos++];
    return 0;
}

static void test_logs__stream_reader(void **state)
{
    struct drip d = {gc28, sizeof(gc28) - 1, 0, -1};
    struct drip j = {pipelines, sizeof(pipelines) - 1, 0, -1};
    struct drip bad = {gc28, sizeof(gc28) - 1, 0, 100};
    struct ra_err err = RA_ERR_INIT;
    struct ra_log *log = NULL;

    (void)state;
    assert_int_equal(
        ra_log_read_stream(&log, "in-archive/gc.log", T_GC, drip_read, &d, &err), 0);
    assert_string_equal(log->path, "in-archive/gc.log");
    assert_int_equal(log->format, RA_LOG_GC);
    assert_int_equal(log->events.len, 12);
    assert_int_equal(ev(log, 11)->line, 13);
    ra_log_free(log);

    assert_int_equal(ra_log_read_stream(&log, "p.json", T_GC, drip_read, &j, &err), 0);
    assert_int_equal(log->events.len, 7);
    ra_log_free(log);

    assert_int_equal(ra_log_read_stream(&log, "gc.log", T_GC, drip_read, &bad, &err),
                     RA_EIO);
    assert_null(log);
    assert_string_equal(err.msg, "drip: read failed at 100");
}

static void test_logs__names(void **state)
{
    (void)state;
    assert_string_equal(ra_log_kind_name(RA_LOG_HTTP_REQUEST), "http_request");
    assert_string_equal(ra_log_kind_name(RA_LOG_GC_MARK_MANIFEST), "gc_mark_manifest");
    assert_string_equal(ra_log_kind_name(RA_LOG_GC_MARK_BLOB), "gc_mark_blob");
    assert_string_equal(ra_log_kind_name(RA_LOG_GC_MANIFEST_ELIGIBLE),
                        "gc_manifest_eligible");
    assert_string_equal(ra_log_kind_name(RA_LOG_GC_BLOB_ELIGIBLE), "gc_blob_eligible");
    assert_string_equal(ra_log_kind_name(RA_LOG_GC_LAYER_LINK_ELIGIBLE),
                        "gc_layer_link_eligible");
    assert_string_equal(ra_log_kind_name(RA_LOG_GC_DELETE_BLOB), "gc_delete_blob");
    assert_string_equal(ra_log_kind_name(RA_LOG_GC_DELETE_MANIFEST),
                        "gc_delete_manifest");
    assert_string_equal(ra_log_kind_name(RA_LOG_GC_SUMMARY), "gc_summary");
    assert_string_equal(ra_log_kind_name(RA_LOG_PIPELINE), "pipeline");
    assert_string_equal(ra_log_kind_name(RA_LOG_KIND__COUNT), "unknown");
    assert_string_equal(ra_log_format_name(RA_LOG_LOGRUS_TEXT), "logrus_text");
    assert_string_equal(ra_log_format_name(RA_LOG_LOGRUS_JSON), "logrus_json");
    assert_string_equal(ra_log_format_name(RA_LOG_ACCESS), "access");
    assert_string_equal(ra_log_format_name(RA_LOG_GC), "gc");
    assert_string_equal(ra_log_format_name(RA_LOG_PIPELINES), "pipelines");
    assert_string_equal(ra_log_object_name(RA_LOG_OBJ_NONE), "");
    assert_string_equal(ra_log_object_name(RA_LOG_OBJ_REFERRERS), "referrers");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logs__logrus_text_request),
        cmocka_unit_test(test_logs__logrus_text_escapes_and_bare_values),
        cmocka_unit_test(test_logs__logrus_json_request),
        cmocka_unit_test(test_logs__access_log),
        cmocka_unit_test(test_logs__uri_routes),
        cmocka_unit_test(test_logs__mixed_registry_stdout_and_first_404),
        cmocka_unit_test(test_logs__delete_logrus_text),
        cmocka_unit_test(test_logs__delete_logrus_json),
        cmocka_unit_test(test_logs__delete_access_and_same_request),
        cmocka_unit_test(test_logs__deletes_each_request_once),
        cmocka_unit_test(test_logs__gc_28_with_run_time),
        cmocka_unit_test(test_logs__gc_without_run_time),
        cmocka_unit_test(test_logs__gc_3x),
        cmocka_unit_test(test_logs__prefixes_crlf_bom_and_gc_error),
        cmocka_unit_test(test_logs__docker_json_file),
        cmocka_unit_test(test_logs__pipeline_array),
        cmocka_unit_test(test_logs__pipeline_lines),
        cmocka_unit_test(test_logs__alertmanager),
        cmocka_unit_test(test_logs__empty),
        cmocka_unit_test(test_logs__garbage),
        cmocka_unit_test(test_logs__missing_file),
        cmocka_unit_test(test_logs__overlong_line_skipped),
        cmocka_unit_test(test_logs__invalid_utf8),
        cmocka_unit_test(test_logs__truncated_pipeline_json),
        cmocka_unit_test(test_logs__pipeline_numbers_out_of_range),
        cmocka_unit_test(test_logs__stream_reader),
        cmocka_unit_test(test_logs__names),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
