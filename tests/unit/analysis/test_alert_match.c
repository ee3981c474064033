/* SPDX-License-Identifier: MIT */
/* analysis/alert_match: an alert concerns the incident when a label or annotation
 * value names a lost repository as a whole name, or a label value names the registry;
 * an alert about something else (a node's CPU, another service) does not. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "analysis/alert_match.h"
#include "analysis/logs.h"

static const char *const repos[] = {"app/web", "base"};

static void test_alert_match__names_repository(void **state)
{
    (void)state;
    assert_true(ra_alert_names_repository("app/web", "app/web"));
    assert_true(ra_alert_names_repository("pulls of app/web fail", "app/web"));
    assert_true(ra_alert_names_repository("registry:5000/app/web:1.0", "app/web"));
    assert_true(ra_alert_names_repository("app/web@sha256:ab", "app/web"));
    assert_true(ra_alert_names_repository("\"base\" is gone", "base"));
    assert_false(ra_alert_names_repository("app/webui", "app/web"));
    assert_false(ra_alert_names_repository("myapp/web", "app/web"));
    assert_false(ra_alert_names_repository("app/web/cache", "app/web"));
    assert_false(ra_alert_names_repository("database", "base"));
    assert_false(ra_alert_names_repository("base-image", "base"));
    assert_true(ra_alert_names_repository("database and base", "base")); /* 2nd hit */
    assert_false(ra_alert_names_repository("anything", ""));
}

static int concerns(const char *const *labels, size_t nlabels, const char *const *notes,
                    size_t nnotes)
{
    struct ra_log_alert a = {
        "x", "", (const char **)labels, nlabels, (const char **)notes, nnotes};
    struct ra_log_event ev = {.kind = RA_LOG_ALERT, .message = "x", .alert = &a};

    return ra_alert_concerns(&ev, repos, 2);
}

static void test_alert_match__labels_and_annotations(void **state)
{
    static const char *const registry_job[] = {"alertname", "TargetDown", "job",
                                               "docker-registry"};
    static const char *const by_name[] = {"alertname", "RegistryPullFailing"};
    static const char *const repo_label[] = {"alertname", "ImageStale", "repository",
                                             "app/web"};
    static const char *const cpu[] = {"alertname", "HighCPU", "instance", "node1:9100"};
    static const char *const summary[] = {"summary", "pull of registry.local/app/web:1.0 "
                                                     "answered 404"};
    static const char *const registry_note[] = {"summary", "the registry is slow"};

    (void)state;
    assert_true(concerns(registry_job, 2, NULL, 0));
    assert_true(concerns(by_name, 1, NULL, 0));
    assert_true(concerns(repo_label, 2, NULL, 0));
    assert_false(concerns(cpu, 2, NULL, 0));
    assert_true(concerns(cpu, 2, summary, 1));
    /* "registry" in an annotation's prose is no tie: only labels name the target */
    assert_false(concerns(cpu, 2, registry_note, 1));
}

/* An event without labels (hand-made) is judged by its message, the alertname. */
static void test_alert_match__no_labels(void **state)
{
    struct ra_log_event ev = {.kind = RA_LOG_ALERT, .message = "RegistryImageUnpullable"};

    (void)state;
    assert_true(ra_alert_concerns(&ev, repos, 2));
    ev.message = "DiskFull";
    assert_false(ra_alert_concerns(&ev, repos, 2));
    ev.message = "BaseImageGone base";
    assert_true(ra_alert_concerns(&ev, repos, 2));
    assert_false(ra_alert_concerns(&ev, NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alert_match__names_repository),
        cmocka_unit_test(test_alert_match__labels_and_annotations),
        cmocka_unit_test(test_alert_match__no_labels),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
