/* SPDX-License-Identifier: MIT */
/* config/jobs (jobs_values.c, jobs_examples.c): Helm and Ansible template values resolved
 * before a job is classified and before an image is judged floating, with what was
 * written kept beside; and the files that are examples (docs/, examples/, test.../,
 * fixtures/, README code blocks) listed apart, never as jobs or images in effect. */

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

#include "jobs_fixture.h"
#include "util/buf.h"

static void test_jobs_values__helm(void **state)
{
    const struct ra_jobs_file files[] = {
        F("charts/registry/Chart.yaml", "apiVersion: v2\nname: registry\nversion: 0.3.1\n"
                                        "appVersion: \"2.8.3\"\n"),
        F("charts/registry/values.yaml", "image:\n"
                                         "  repository: registry\n"
                                         "  tag: \"\"\n"
                                         "gc:\n"
                                         "  schedule: \"25 3 * * 0\"\n"
                                         "  flags: --delete-untagged\n"
                                         "  config: /etc/docker/registry/config.yml\n"),
        F("charts/registry/templates/gc.yaml",
          "apiVersion: batch/v1\n"
          "kind: CronJob\n"
          "metadata:\n"
          "  name: {{ .Release.Name }}-gc\n"
          "spec:\n"
          "  schedule: {{ .Values.gc.schedule | quote }}\n" /* 6 */
          "  {{- if .Values.gc.suspend }}\n"
          "  suspend: true\n"
          "  {{- end }}\n"
          "  jobTemplate:\n"
          "    spec:\n"
          "      template:\n"
          "        spec:\n"
          "          containers:\n"
          "            - name: gc\n"
          "              image: \"{{ .Values.image.repository }}:{{ .Values.image.tag | "
          "default .Chart.AppVersion }}\"\n"
          "              command: [registry, garbage-collect, \"{{ .Values.gc.flags "
          "}}\", "
          "\"{{ .Values.gc.config }}\"]\n"),
        F("charts/registry/templates/deployment.yaml",
          "kind: Deployment\n"
          "spec:\n"
          "  template:\n"
          "    spec:\n"
          "      containers:\n"
          "        - name: registry\n"
          "          image: {{ .Values.image.repository }}:{{ .Values.image.tag | "
          "default \"2\" }}\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;
    const struct ra_registry_image *im;

    (void)state;
    assert_int_equal(js->jobs.len, 1);
    j = vec_job(&js->jobs, 0);
    assert_int_equal(j->line, 6);
    assert_string_equal(j->schedule, "25 3 * * 0");
    assert_string_equal(j->schedule_raw, "{{ .Values.gc.schedule | quote }}");
    assert_string_equal(
        j->command,
        "registry garbage-collect --delete-untagged /etc/docker/registry/config.yml");
    assert_string_equal(
        j->command_raw,
        "registry garbage-collect {{ .Values.gc.flags }} {{ .Values.gc.config }}");
    /* classified on the values: a GC with -m and its config */
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_string_equal(j->gc.config, "/etc/docker/registry/config.yml");
    assert_null(j->warning); /* every expression resolved */

    /* the image: "tag | default" on an empty tag -> the default; judged on the value */
    assert_int_equal(js->images.len, 3); /* and values.yaml's image: {repository, tag} */
    im = vec_image(&js->images, 0);
    assert_string_equal(im->path, "charts/registry/templates/deployment.yaml");
    assert_string_equal(im->image, "registry:2");
    assert_string_equal(im->image_raw,
                        "{{ .Values.image.repository }}:{{ .Values.image.tag "
                        "| default \"2\" }}");
    assert_true(im->floating);
    im = vec_image(&js->images, 1); /* "| default .Chart.AppVersion": Chart.yaml's */
    assert_string_equal(im->path, "charts/registry/templates/gc.yaml");
    assert_string_equal(im->image, "registry:2.8.3");
    assert_false(im->floating);
    ra_jobs_free(js);
}

static void test_jobs_values__ansible_role(void **state)
{
    const struct ra_jobs_file files[] = {
        F("ansible/group_vars/all.yml", "registry_version: \"2.7.1\"\ngc_hour: 4\n"),
        F("ansible/roles/registry/defaults/main.yml",
          "gc_minute: 25\n"
          "gc_flags: \"\"\n"
          "registry_version: \"2\"\n"
          "registry_config: /etc/docker/registry/config.yml\n"
          "gc_cmd: \"registry garbage-collect {{ gc_flags }} {{ registry_config }}\"\n"),
        F("ansible/roles/registry/vars/main.yml",
          "gc_flags: --delete-untagged\nregistry_version: \"2.8.3\"\n"),
        F("ansible/roles/registry/tasks/main.yml",
          "- name: registry garbage-collect\n"
          "  ansible.builtin.cron:\n"
          "    name: registry-gc\n"
          "    minute: \"{{ gc_minute }}\"\n"
          "    hour: \"{{ gc_hour | default('3') }}\"\n"
          "    weekday: \"0\"\n"
          "    job: \"docker exec registry {{ gc_cmd }} > /var/log/gc.log 2>&1\"\n"
          "- name: the registry\n"
          "  community.docker.docker_container:\n"
          "    name: registry\n"
          "    image: \"registry:{{ registry_version }}\"\n"
          "- name: a mirror\n"
          "  community.docker.docker_container:\n"
          "    name: mirror\n"
          "    image: \"registry:{{ mirror_version }}\"\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;
    const struct ra_registry_image *im;

    (void)state;
    assert_int_equal(js->jobs.len, 1);
    j = vec_job(&js->jobs, 0);
    /* group_vars/all overrides the role's defaults (hour 4), role vars override both */
    assert_string_equal(j->schedule, "25 4 * * 0");
    assert_string_equal(j->schedule_raw,
                        "{{ gc_minute }} {{ gc_hour | default('3') }} * * 0");
    assert_string_equal(j->command, "docker exec registry registry garbage-collect "
                                    "--delete-untagged /etc/docker/registry/config.yml > "
                                    "/var/log/gc.log 2>&1");
    assert_string_equal(j->command_raw,
                        "docker exec registry {{ gc_cmd }} > /var/log/gc.log 2>&1");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);

    assert_int_equal(js->images.len, 2);
    im = vec_image(&js->images, 0);
    assert_string_equal(im->image, "registry:2.8.3"); /* pinned, by its value */
    assert_string_equal(im->image_raw, "registry:{{ registry_version }}");
    assert_false(im->floating);
    im = vec_image(&js->images, 1); /* no value: as written, and floating */
    assert_string_equal(im->image, "registry:{{ mirror_version }}");
    assert_null(im->image_raw);
    assert_true(im->floating);
    ra_jobs_free(js);
}

static void test_jobs_values__examples_listed_apart(void **state)
{
    const struct ra_jobs_file files[] = {
        F("README.md", "# Registry ops\n"
                       "\n"
                       "Prune by hand, or schedule it like this:\n"
                       "\n"
                       "```cron\n"
                       "0 1 * * * /opt/ci/cleanup-tags.sh\n" /* 6 */
                       "```\n"
                       "\n"
                       "```yaml\n"
                       "services:\n"
                       "  registry:\n"
                       "    image: registry:2\n" /* 12 */
                       "```\n"
                       "```\n"
                       "not a job, just text\n"
                       "```\n"
                       "```\n"
                       "25 3 * * 0 root /usr/bin/docker exec registry registry "
                       "garbage-collect /etc/r.yml\n" /* 18 */
                       "```\n"),
        F("docs/examples/crontab", "30 3 * * 0 registry garbage-collect -m /etc/r.yml\n"),
        F("roles/registry/tests/test.yml", "- hosts: localhost\n"
                                           "  tasks:\n"
                                           "    - cron: {name: t, minute: '0', job: "
                                           "'registry garbage-collect /x.yml'}\n"),
        F("fixtures/compose.yml", "services:\n  r:\n    image: registry:latest\n"),
        F("hosts/reg/crontab", "25 3 * * 0 registry garbage-collect /etc/r.yml\n"),
        F("hosts/reg/compose.yml", "services:\n  r:\n    image: registry:2.8.3\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;
    const struct ra_registry_image *im;

    (void)state;
    /* in effect: only the host's */
    assert_int_equal(js->jobs.len, 1);
    assert_string_equal(vec_job(&js->jobs, 0)->path, "hosts/reg/crontab");
    assert_false(vec_job(&js->jobs, 0)->example);
    assert_int_equal(js->images.len, 1);
    assert_string_equal(vec_image(&js->images, 0)->image, "registry:2.8.3");

    /* the examples, sorted by path and line */
    assert_int_equal(js->examples.len, 4);
    j = vec_job(&js->examples, 0);
    assert_string_equal(j->path, "README.md");
    assert_int_equal(j->line, 6);
    assert_string_equal(j->schedule, "0 1 * * *");
    assert_string_equal(j->name, "cleanup-tags.sh");
    assert_true(j->example);
    j = vec_job(&js->examples, 1); /* a block without a language, with a user field */
    assert_int_equal(j->line, 18);
    assert_int_equal(j->def, RA_JOBDEF_CROND);
    assert_string_equal(j->user, "root");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    j = vec_job(&js->examples, 2);
    assert_string_equal(j->path, "docs/examples/crontab");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->example);
    j = vec_job(&js->examples, 3);
    assert_string_equal(j->path, "roles/registry/tests/test.yml");

    assert_int_equal(js->example_images.len, 2);
    im = vec_image(&js->example_images, 0);
    assert_string_equal(im->path, "README.md");
    assert_int_equal(im->line, 12);
    assert_string_equal(im->image, "registry:2");
    im = vec_image(&js->example_images, 1);
    assert_string_equal(im->path, "fixtures/compose.yml");
    assert_int_equal(js->problems.len, 0); /* the plain text block is not read */

    assert_true(ra_jobs_is_example("docs/crontab"));
    assert_true(ra_jobs_is_example("a/b/testdata/x.yml"));
    assert_true(ra_jobs_is_example("roles/r/tests/test.yml"));
    assert_false(ra_jobs_is_example("hosts/docs.yml"));
    assert_false(ra_jobs_is_example("hosts/reg/etc/cron.d/x"));
    assert_false(ra_jobs_is_example("latest/crontab"));
    ra_jobs_free(js);
}

/* Values that refer to values can multiply: past 16 KiB a value is not used. */
static void test_jobs_values__bounded(void **state)
{
    struct ra_buf defaults = RA_BUF_INIT;
    struct ra_jobs_file files[2];
    struct ra_jobs *js;
    const struct ra_job *j;
    int i, k;

    (void)state;
    ra_buf_puts(&defaults, "v0: \"");
    for (i = 0; i < 1000; i++)
        ra_buf_putc(&defaults, 'x');
    ra_buf_puts(&defaults, "\"\n");
    for (k = 1; k <= 3; k++) {
        ra_buf_printf(&defaults, "v%d: \"", k);
        for (i = 0; i < 20; i++)
            ra_buf_printf(&defaults, "{{ v%d }}", k - 1);
        ra_buf_puts(&defaults, "\"\n");
    }
    ra_buf_puts(&defaults, "small: \"{{ v0 }}\"\n");
    files[0].path = "roles/r/defaults/main.yml";
    files[0].data = defaults.ptr;
    files[0].len = defaults.len;
    files[1].path = "roles/r/tasks/main.yml";
    files[1].data = "- cron: {name: a, job: \"echo {{ v3 }}\"}\n"
                    "- cron: {name: b, job: \"echo {{ small }}\"}\n";
    files[1].len = strlen(files[1].data);
    js = scan(files, 2);
    assert_int_equal(js->jobs.len, 2);
    j = vec_job(&js->jobs, 0);
    assert_string_equal(j->command, "echo {{ v3 }}"); /* 8 MB: left as written */
    assert_null(j->command_raw);
    j = vec_job(&js->jobs, 1);
    assert_int_equal(strlen(j->command), 5 + 1000);
    ra_jobs_free(js);
    ra_buf_release(&defaults);
}

/* An Ansible role's cron.d template: its times are values, read before the line is. */
static void test_jobs_values__crontab_template(void **state)
{
    const struct ra_jobs_file files[] = {
        F("roles/registry/defaults/main.yml",
          "gc_schedule: \"25 3 * * 0\"\ngc_user: root\ngc_flags: \"-m\"\n"),
        F("roles/registry/tasks/main.yml", "- name: GC schedule\n"
                                           "  ansible.builtin.template:\n"
                                           "    src: registry-gc.cron.j2\n"
                                           "    dest: /etc/cron.d/registry-gc\n"),
        F("roles/registry/templates/registry-gc.cron.j2",
          "# {{ ansible_managed }}\n"
          "{{ gc_schedule }} {{ gc_user }} docker exec registry registry garbage-collect "
          "{{ gc_flags }} /etc/docker/registry/config.yml\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->problems.len, 0);
    assert_int_equal(js->jobs.len, 1);
    j = vec_job(&js->jobs, 0);
    assert_int_equal(j->def, RA_JOBDEF_CROND);
    assert_int_equal(j->line, 2);
    assert_string_equal(j->deployed, "/etc/cron.d/registry-gc");
    assert_string_equal(j->schedule, "25 3 * * 0");
    assert_string_equal(j->schedule_raw, "{{ gc_schedule }}");
    assert_string_equal(j->user, "root");
    assert_string_equal(j->command, "docker exec registry registry garbage-collect -m "
                                    "/etc/docker/registry/config.yml");
    assert_string_equal(j->command_raw, "docker exec registry registry garbage-collect "
                                        "{{ gc_flags }} /etc/docker/registry/config.yml");
    assert_true(j->gc.delete_untagged);
    ra_jobs_free(js);
}

/* An Ansible env TZ line is the commands' environment; CRON_TZ moves the schedule. */
static void test_jobs_values__ansible_tz_env(void **state)
{
    const struct ra_jobs_file files[] = {
        F("hosts/a.yml",
          "- cron: {name: TZ, env: true, job: Europe/Berlin}\n"
          "- cron: {name: gc, minute: '25', hour: '3', job: /opt/gc.sh}\n"),
        F("hosts/b.yml",
          "- cron: {name: CRON_TZ, env: true, job: Europe/Berlin}\n"
          "- cron: {name: gc, minute: '25', hour: '3', job: /opt/gc.sh}\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 2);
    j = vec_job(&js->jobs, 0);
    assert_null(j->timezone);
    assert_string_equal(j->warning,
                        "TZ=Europe/Berlin sets the command's environment, not "
                        "the schedule: cron reads the times in the host's zone");
    j = vec_job(&js->jobs, 1);
    assert_string_equal(j->timezone, "Europe/Berlin");
    assert_null(j->warning);
    ra_jobs_free(js);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_values__helm),
        cmocka_unit_test(test_jobs_values__ansible_role),
        cmocka_unit_test(test_jobs_values__examples_listed_apart),
        cmocka_unit_test(test_jobs_values__bounded),
        cmocka_unit_test(test_jobs_values__crontab_template),
        cmocka_unit_test(test_jobs_values__ansible_tz_env),
    };

    return cmocka_run_group_tests_name("config/jobs_values", tests, NULL, NULL);
}
