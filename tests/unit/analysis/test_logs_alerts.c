/* SPDX-License-Identifier: MIT */
/* analysis/logs, alerts: Alertmanager's own log (the lines the Debian
 * prometheus-alertmanager 0.25 binary writes at --log.level=debug), the v2 API's alert
 * list as GET /api/v2/alerts and `amtool alert query -o json` save it, webhook
 * payloads with their labels and annotations, and the errors of malformed files. */

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

#include "analysis/logs.h"
#include "util/buf.h"

#include "fixture.h"

#define T_FLUSH INT64_C(1796698088) /* 2026-12-08T02:48:08Z */
#define T_START INT64_C(1775963400) /* 2026-04-12T03:10:00Z */

static char tmpdir[] = "/tmp/ra-test-logs-alerts-XXXXXX";

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

/* Read text written to tmpdir/name: the log, or NULL with err set. */
static struct ra_log *read_text(struct ra_err *err, const char *name, const char *text)
{
    struct ra_buf path = RA_BUF_INIT;
    struct ra_log *log = NULL;
    FILE *f;

    ra_buf_printf(&path, "%s/%s", tmpdir, name);
    f = fopen(path.ptr, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    if (ra_log_read(&log, path.ptr, RA_TIME_NONE, err) < 0)
        assert_null(log);
    ra_buf_release(&path);
    return log;
}

static struct ra_log *read_ok(const char *name, const char *text)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_log *log = read_text(&err, name, text);

    if (!log)
        print_error("%s\n", err.msg);
    assert_non_null(log);
    return log;
}

static const struct ra_log_event *ev(const struct ra_log *log, size_t i)
{
    assert_true(i < log->events.len);
    return log->events.items[i];
}

/* The lines prometheus-alertmanager 0.25 wrote for one alert posted to its API with
 * group_wait and group_interval 1s: received, flushed once a second, the webhook
 * notified once. */
#define AM_LOG                                                                           \
    "ts=2026-12-08T02:48:06.154Z caller=main.go:241 level=info msg=\"Starting "          \
    "Alertmanager\" version=\"(version=0.25.0, branch=debian/sid, "                      \
    "revision=0.25.0-1+b4)\"\n"                                                          \
    "ts=2026-12-08T02:48:06.183Z caller=coordinator.go:113 level=info "                  \
    "component=configuration msg=\"Loading configuration file\" file=am.yml\n"           \
    "ts=2026-12-08T02:48:08.146Z caller=dispatch.go:163 level=debug "                    \
    "component=dispatcher msg=\"Received alert\" "                                       \
    "alert=RegistryPullFailing[63ab17b][active]\n"                                       \
    "ts=2026-12-08T02:48:08.146Z caller=dispatch.go:515 level=debug "                    \
    "component=dispatcher aggrGroup=\"{}:{alertname=\\\"RegistryPullFailing\\\"}\" "     \
    "msg=flushing alerts=[RegistryPullFailing[63ab17b][active]]\n"                       \
    "ts=2026-12-08T02:48:08.148Z caller=notify.go:743 level=debug "                      \
    "component=dispatcher receiver=hook integration=webhook[0] msg=\"Notify success\" "  \
    "attempts=1\n"                                                                       \
    "ts=2026-12-08T02:48:09.147Z caller=dispatch.go:515 level=debug "                    \
    "component=dispatcher aggrGroup=\"{}:{alertname=\\\"RegistryPullFailing\\\"}\" "     \
    "msg=flushing alerts=[RegistryPullFailing[63ab17b][active]]\n"

/* Only the first "flushing" line that sends an alert [active] makes an event: at that
 * line's time (when Alertmanager handed it to the receivers), named as the list names
 * it, with the group's labels; the other lines are read and counted, make nothing. */
static void test_logs_alerts__am_log(void **state)
{
    struct ra_log *log = read_ok("alertmanager.log", AM_LOG);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_ALERTMANAGER_LOG);
    assert_string_equal(ra_log_format_name(log->format), "alertmanager_log");
    assert_int_equal(log->counts[RA_LOG_ALERTMANAGER_LOG], 6);
    assert_int_equal(log->unrecognized, 0);
    assert_int_equal(log->events.len, 1);
    e = ev(log, 0);
    assert_int_equal(e->kind, RA_LOG_ALERT);
    assert_int_equal(e->format, RA_LOG_ALERTMANAGER_LOG);
    assert_int_equal(e->time, T_FLUSH);
    assert_true(e->time_exact);
    assert_int_equal(e->line, 4);
    assert_string_equal(e->message, "RegistryPullFailing");
    assert_string_equal(e->level, "");
    assert_string_equal(e->alert->fingerprint, "63ab17b");
    assert_int_equal(e->alert->nlabels, 1);
    assert_string_equal(ra_log_alert_label(e->alert, "alertname"), "RegistryPullFailing");
    assert_int_equal(e->alert->nannotations, 0);
    ra_log_free(log);
}

/* A group of several alerts: names with spaces and brackets, resolved ones skipped,
 * the group's labels (Go-quoted values) on each, sorted by name; an alert sent again
 * in a later flush is no new event; a list cut short ends the line's alerts. */
static void test_logs_alerts__am_log_groups(void **state)
{
    static const char text[] =
        "ts=2026-12-08T02:48:08.000Z caller=dispatch.go:515 level=debug "
        "component=dispatcher aggrGroup=\"{}/{severity=\\\"page\\\"}:{repository="
        "\\\"app/web\\\", severity=\\\"page\\\"}\" msg=flushing "
        "alerts=\"[Registry Down [x][1a2b3c4][active] Old[5d6e7f8][resolved] "
        "Blob404[9a8b7c6][active]]\"\n"
        "ts=2026-12-08T02:48:09.000Z caller=dispatch.go:515 level=debug "
        "component=dispatcher aggrGroup=\"{}:{}\" msg=flushing "
        "alerts=\"[Blob404[9a8b7c6][active] Late[0f0f0f0][active] Cut[12\"\n";
    struct ra_log *log = read_ok("groups.log", text);

    (void)state;
    assert_int_equal(log->events.len, 3);
    assert_string_equal(ev(log, 0)->message, "Registry Down [x]");
    assert_string_equal(ev(log, 0)->alert->fingerprint, "1a2b3c4");
    assert_string_equal(ev(log, 0)->level, "page");
    assert_int_equal(ev(log, 0)->alert->nlabels, 3);
    assert_string_equal(ev(log, 0)->alert->labels[0], "alertname");
    assert_string_equal(ev(log, 0)->alert->labels[2], "repository");
    assert_string_equal(ev(log, 0)->alert->labels[3], "app/web");
    assert_string_equal(ev(log, 0)->alert->labels[4], "severity");
    assert_string_equal(ev(log, 1)->message, "Blob404");
    assert_int_equal(ev(log, 1)->time, T_FLUSH);
    assert_string_equal(ra_log_alert_label(ev(log, 1)->alert, "repository"), "app/web");
    assert_string_equal(ev(log, 2)->message, "Late");
    assert_int_equal(ev(log, 2)->time, T_FLUSH + 1);
    assert_int_equal(ev(log, 2)->alert->nlabels, 1);
    assert_null(ra_log_alert_label(ev(log, 2)->alert, "repository"));
    ra_log_free(log);
}

/* At the default --log.level=info Alertmanager names no alert: the file is its log,
 * with no event. A "ts=" line without caller and level, or with no time, is none. */
static void test_logs_alerts__am_log_info(void **state)
{
    static const char info[] =
        "ts=2026-12-08T02:48:06.186Z caller=tls_config.go:232 level=info "
        "msg=\"Listening on\" address=127.0.0.1:18093\n";
    static const char bad[] = "ts=yesterday caller=main.go:1 level=info msg=x\n"
                              "ts=2026-12-08T02:48:06Z msg=\"no caller\"\n";
    struct ra_log *log = read_ok("info.log", info);
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_int_equal(log->format, RA_LOG_ALERTMANAGER_LOG);
    assert_int_equal(log->events.len, 0);
    ra_log_free(log);
    assert_null(read_text(&err, "bad.log", bad));
    assert_int_equal(err.code, RA_EFORMAT);
    assert_non_null(strstr(err.msg, "bad.log': not a log format regautopsy reads"));
    assert_non_null(strstr(err.msg, "Alertmanager webhook payloads, log or API alerts)"));
}

/* --log.format=json: the same records as JSON objects (alerts a string still), as
 * prometheus-alertmanager 0.25 writes them. */
static void test_logs_alerts__am_log_json(void **state)
{
    static const char text[] =
        "{\"alert\":\"RegistryPullFailing[e711dbc][active]\",\"caller\":"
        "\"dispatch.go:163\",\"component\":\"dispatcher\",\"level\":\"debug\","
        "\"msg\":\"Received alert\",\"ts\":\"2026-12-08T03:09:55.635Z\"}\n"
        "{\"aggrGroup\":\"{}:{alertname=\\\"RegistryPullFailing\\\"}\",\"alerts\":"
        "\"[RegistryPullFailing[e711dbc][active]]\",\"caller\":\"dispatch.go:515\","
        "\"component\":\"dispatcher\",\"level\":\"debug\",\"msg\":\"flushing\","
        "\"ts\":\"2026-12-08T03:09:55.635Z\"}\n"
        "{\"aggrGroup\":\"{}:{alertname=\\\"RegistryPullFailing\\\"}\",\"alerts\":"
        "\"[RegistryPullFailing[e711dbc][active]]\",\"caller\":\"dispatch.go:515\","
        "\"component\":\"dispatcher\",\"level\":\"debug\",\"msg\":\"flushing\","
        "\"ts\":\"2026-12-08T03:09:56.637Z\"}\n";
    struct ra_log *log = read_ok("alertmanager.json.log", text);

    (void)state;
    assert_int_equal(log->format, RA_LOG_ALERTMANAGER_LOG);
    assert_int_equal(log->counts[RA_LOG_ALERTMANAGER_LOG], 3);
    assert_int_equal(log->events.len, 1);
    assert_int_equal(ev(log, 0)->time, T_FLUSH + 1307); /* 03:09:55 */
    assert_int_equal(ev(log, 0)->line, 2);
    assert_string_equal(ev(log, 0)->message, "RegistryPullFailing");
    assert_string_equal(ev(log, 0)->alert->fingerprint, "e711dbc");
    assert_string_equal(ra_log_alert_label(ev(log, 0)->alert, "alertname"),
                        "RegistryPullFailing");
    ra_log_free(log);
}

/* What GET /api/v2/alerts returned for that alert (amtool alert query -o json prints
 * the same), one more suppressed, one with a startsAt that is no time. */
#define API_ALERT                                                                        \
    "{\"annotations\":{\"summary\":\"pulls of app/web fail\"},\"endsAt\":"               \
    "\"2026-12-08T02:53:08.146Z\",\"fingerprint\":\"63ab17bc44d0f33c\",\"receivers\":"   \
    "[{\"name\":\"hook\"}],\"startsAt\":\"2026-04-12T03:10:00.000Z\",\"status\":"        \
    "{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"},\"updatedAt\":"         \
    "\"2026-12-08T02:48:08.146Z\",\"generatorURL\":\"http://x/\",\"labels\":"            \
    "{\"alertname\":\"RegistryPullFailing\",\"job\":\"registry\",\"repository\":"        \
    "\"app/web\",\"severity\":\"page\"}}"

static void test_logs_alerts__api(void **state)
{
    static const char text[] =
        "[" API_ALERT ",\n"
        "{\"labels\":{\"alertname\":\"Muted\"},\"startsAt\":\"2026-04-12T03:00:00Z\","
        "\"status\":{\"state\":\"suppressed\",\"silencedBy\":[\"abc\"]}},\n"
        "{\"labels\":{\"alertname\":\"Bad\"},\"startsAt\":\"soon\","
        "\"status\":{\"state\":\"active\"}}]\n";
    struct ra_log *log = read_ok("alerts.json", text);
    const struct ra_log_event *e;

    (void)state;
    assert_int_equal(log->format, RA_LOG_ALERTMANAGER_API);
    assert_string_equal(ra_log_format_name(log->format), "alertmanager_api");
    assert_int_equal(log->counts[RA_LOG_ALERTMANAGER_API], 3);
    assert_int_equal(log->events.len, 1);
    e = ev(log, 0);
    assert_int_equal(e->time, T_START);
    assert_int_equal(e->line, 1);
    assert_string_equal(e->message, "RegistryPullFailing");
    assert_string_equal(e->level, "page");
    assert_string_equal(e->alert->fingerprint, "63ab17bc44d0f33c");
    assert_int_equal(e->alert->nlabels, 4);
    assert_string_equal(ra_log_alert_label(e->alert, "job"), "registry");
    assert_int_equal(e->alert->nannotations, 1);
    assert_string_equal(e->alert->annotations[0], "summary");
    assert_string_equal(e->alert->annotations[1], "pulls of app/web fail");
    assert_int_equal(log->problems.len, 1);
    assert_string_equal(log->problems.items[0],
                        "line 3: alert 'Bad': 'startsAt' is not a time (epoch seconds or "
                        "RFC 3339): left out");
    ra_log_free(log);
}

/* One alert a line (jq -c '.[]') reads the same; an empty array is an empty list. */
static void test_logs_alerts__api_lines(void **state)
{
    struct ra_log *log = read_ok("alerts.jsonl", API_ALERT "\n" API_ALERT "\n");

    (void)state;
    assert_int_equal(log->format, RA_LOG_ALERTMANAGER_API);
    assert_int_equal(log->events.len, 2);
    assert_int_equal(ev(log, 1)->line, 2);
    ra_log_free(log);
}

/* A cut or broken alert list is one line naming the file, what it is and where. */
static void test_logs_alerts__api_malformed(void **state)
{
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_null(read_text(&err, "cut.json", "[" API_ALERT ",\n{\"startsAt\": \"2026"));
    assert_int_equal(err.code, RA_EFORMAT);
    assert_string_equal(strrchr(err.msg, '/'),
                        "/cut.json': Alertmanager alerts JSON: premature end of input "
                        "near '\"2026' (line 2, column 18)");
    assert_null(read_text(&err, "other.json", "[{\"startsAt\": 1, \"x\": 2}]"));
    assert_int_equal(err.code, RA_EFORMAT);
    assert_non_null(strstr(err.msg, "other.json': not a log format regautopsy reads"));
}

/* A webhook payload's alerts carry their labels, annotations and fingerprint. */
static void test_logs_alerts__webhook_labels(void **state)
{
    static const char text[] =
        "{\"receiver\":\"hook\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
        "\"labels\":{\"alertname\":\"RegistryPullFailing\",\"repository\":\"app/web\","
        "\"n\":3},\"annotations\":{\"summary\":\"pulls of app/web fail\"},"
        "\"startsAt\":\"2026-04-12T03:10:00Z\",\"fingerprint\":\"63ab17bc44d0f33c\"}]}\n";
    struct ra_log *log = read_ok("hook.jsonl", text);

    (void)state;
    assert_int_equal(log->format, RA_LOG_ALERTMANAGER);
    assert_int_equal(log->events.len, 1);
    assert_int_equal(ev(log, 0)->time, T_START);
    assert_int_equal(ev(log, 0)->alert->nlabels, 2); /* "n" is no string */
    assert_string_equal(ra_log_alert_label(ev(log, 0)->alert, "repository"), "app/web");
    assert_string_equal(ev(log, 0)->alert->annotations[1], "pulls of app/web fail");
    assert_string_equal(ev(log, 0)->alert->fingerprint, "63ab17bc44d0f33c");
    ra_log_free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logs_alerts__am_log),
        cmocka_unit_test(test_logs_alerts__am_log_groups),
        cmocka_unit_test(test_logs_alerts__am_log_info),
        cmocka_unit_test(test_logs_alerts__am_log_json),
        cmocka_unit_test(test_logs_alerts__api),
        cmocka_unit_test(test_logs_alerts__api_lines),
        cmocka_unit_test(test_logs_alerts__api_malformed),
        cmocka_unit_test(test_logs_alerts__webhook_labels),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
