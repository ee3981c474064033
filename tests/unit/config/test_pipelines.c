/* SPDX-License-Identifier: MIT */
/* config/pipelines: each CI system with odd spellings, the incident's Woodpecker
 * pipelines, the matching rules, multi-platform pushes, shell commands that push, files
 * that cannot be read, and a config repository read at two commits. */

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

#include "config/pipelines/pipelines.h"
#include "util/buf.h"

/* clang-format off */
#define F(path, text) {path, text, sizeof(text) - 1}
/* clang-format on */

static struct ra_pipelines *scan(const struct ra_jobs_file *files, size_t n)
{
    struct ra_pipelines *p = NULL;
    struct ra_err err = RA_ERR_INIT;

    if (ra_pipelines_scan(&p, files, n, &err) < 0)
        fail_msg("%s", err.msg);
    assert_non_null(p);
    return p;
}

static const struct ra_pipeline *pipeline(const struct ra_pipelines *p, size_t i)
{
    assert_true(i < p->pipelines.len);
    return p->pipelines.items[i];
}

static const struct ra_pipeline *by_name(const struct ra_pipelines *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->pipelines.len; i++) {
        const struct ra_pipeline *pl = p->pipelines.items[i];
        if (!strcmp(pl->name, name))
            return pl;
    }
    fail_msg("no pipeline named '%s'", name);
    return NULL;
}

static const struct ra_pipeline_trigger *trigger(const struct ra_pipeline *pl, size_t i)
{
    assert_true(i < pl->triggers.len);
    return pl->triggers.items[i];
}

static const struct ra_pipeline_image *pushed(const struct ra_pipeline *pl, size_t i)
{
    assert_true(i < pl->pushes.len);
    return pl->pushes.items[i];
}

static const struct ra_pipeline_image *used(const struct ra_pipeline *pl, size_t i)
{
    assert_true(i < pl->uses.len);
    return pl->uses.items[i];
}

static const struct ra_problem *problem(const struct ra_pipelines *p, size_t i)
{
    assert_true(i < p->problems.len);
    return p->problems.items[i];
}

static void check_trigger(const struct ra_pipeline_trigger *t, enum ra_trigger_kind kind,
                          const char *event, unsigned line)
{
    assert_string_equal(ra_trigger_kind_name(t->kind), ra_trigger_kind_name(kind));
    if (event)
        assert_string_equal(t->event, event);
    else
        assert_null(t->event);
    assert_int_equal(t->line, line);
}

static void check_image(const struct ra_pipeline_image *img, const char *ref,
                        const char *step, const char *how, unsigned line)
{
    assert_string_equal(img->ref, ref);
    if (step)
        assert_string_equal(img->step, step);
    else
        assert_null(img->step);
    assert_string_equal(img->how, how);
    assert_int_equal(img->line, line);
}

/* ---- the incident's pipelines (samples/incident-2026-04/config.bundle) ---- */

static const char sample_deploy[] =
    "# Deploy hosts/registry-vm to the registry VM: scripts, /etc, root's crontab, "
    "compose.\n"
    "# Also every weekday morning (cron \"morning\"), to undo hand edits on the host.\n"
    "when:\n"
    "  - event: push\n"
    "    branch: main\n"
    "  - event: cron\n"
    "    cron: morning\n"
    "  - event: manual\n"
    "    evaluate: 'REBUILD_INFRA_CI != \"yes\"'\n"
    "\n"
    "labels:\n"
    "  platform: linux/amd64\n"
    "\n"
    "steps:\n"
    "  - name: deploy\n"
    "    image: registry.example.internal/infra-ci:latest\n"
    "    environment:\n"
    "      SSH_KEY:\n"
    "        from_secret: deploy_ssh_key\n"
    "    commands:\n"
    "      - install -d -m 0700 ~/.ssh && printf '%s\\n' \"$SSH_KEY\" > "
    "~/.ssh/id_ed25519 && chmod 0600 ~/.ssh/id_ed25519\n"
    "      - ssh-keyscan registry-vm.example.internal > ~/.ssh/known_hosts\n"
    "      - rsync -rlt --chmod=D755,F755 hosts/registry-vm/opt/ci/ "
    "root@registry-vm.example.internal:/opt/ci/\n"
    "      - rsync -rlt --chmod=D755,F644 hosts/registry-vm/etc/ "
    "root@registry-vm.example.internal:/etc/\n"
    "      - rsync -rlt --chmod=D755,F644 hosts/registry-vm/docker-compose.yml "
    "hosts/registry-vm/registry root@registry-vm.example.internal:/srv/registry/\n"
    "      - ssh root@registry-vm.example.internal 'crontab -' < "
    "hosts/registry-vm/crontab\n"
    "      - ssh root@registry-vm.example.internal 'systemctl daemon-reload && cd "
    "/srv/registry && docker compose pull -q && docker compose up -d'\n";

static const char sample_infra_ci[] =
    "# Build the CI toolchain image and push it as a multi-platform image (an index "
    "with\n"
    "# linux/amd64 and linux/arm64). Only `latest` is pushed: each build replaces the "
    "last.\n"
    "when:\n"
    "  - event: cron\n"
    "    cron: infra-ci-weekly\n"
    "  - event: manual\n"
    "    evaluate: 'REBUILD_INFRA_CI == \"yes\"'\n"
    "  - event: push\n"
    "    branch: main\n"
    "    path: 'images/infra-ci/**'\n"
    "\n"
    "labels:\n"
    "  platform: linux/amd64\n"
    "\n"
    "steps:\n"
    "  - name: build-push\n"
    "    image: woodpeckerci/plugin-docker-buildx:2.3.0\n"
    "    settings:\n"
    "      registry: registry.example.internal\n"
    "      repo: registry.example.internal/infra-ci\n"
    "      tags: latest\n"
    "      platforms: linux/amd64,linux/arm64\n"
    "      context: images/infra-ci\n"
    "      dockerfile: images/infra-ci/Dockerfile\n"
    "      username: ci\n"
    "      password:\n"
    "        from_secret: registry_password\n";

static const char sample_lint[] =
    "# Lint the host configs, in the CI toolchain image, on the arm64 agent.\n"
    "when:\n"
    "  - event: [push, pull_request]\n"
    "  - event: cron\n"
    "    cron: morning\n"
    "  - event: manual\n"
    "    evaluate: 'REBUILD_INFRA_CI != \"yes\"'\n"
    "\n"
    "labels:\n"
    "  platform: linux/arm64\n"
    "\n"
    "steps:\n"
    "  - name: lint\n"
    "    image: registry.example.internal/infra-ci:latest\n"
    "    commands:\n"
    "      - shellcheck hosts/registry-vm/opt/ci/*.sh\n"
    "      - yamllint -s .woodpecker hosts/registry-vm/docker-compose.yml "
    "hosts/registry-vm/registry\n";

static struct ra_pipelines *scan_sample(void)
{
    const struct ra_jobs_file files[] = {
        F(".woodpecker/lint.yml", sample_lint),
        F(".woodpecker/infra-ci.yml", sample_infra_ci),
        F(".woodpecker/deploy.yml", sample_deploy),
        F("README.md", "# Infra config\n"),
        F("hosts/registry-vm/docker-compose.yml",
          "services:\n  registry:\n    image: registry:2\n"),
        F("images/infra-ci/Dockerfile", "FROM debian:bookworm\n"),
    };

    return scan(files, RA_ARRAY_SIZE(files));
}

static void test_pipelines__sample(void **state)
{
    struct ra_pipelines *p = scan_sample();
    const struct ra_pipeline *pl;
    const struct ra_pipeline_trigger *t;
    const struct ra_pipeline_image *img;

    (void)state;
    assert_int_equal(p->pipelines.len, 3);
    assert_int_equal(p->problems.len, 0);

    pl = pipeline(p, 0);
    assert_string_equal(pl->id, "woodpecker:.woodpecker/deploy.yml:deploy");
    assert_string_equal(pl->name, "deploy");
    assert_string_equal(ra_ci_system_name(pl->system), "woodpecker");
    assert_string_equal(pl->path, ".woodpecker/deploy.yml");
    assert_string_equal(pl->platform, "linux/amd64");
    assert_false(pl->unfiltered);
    assert_int_equal(pl->triggers.len, 3);
    t = trigger(pl, 0);
    check_trigger(t, RA_TRIGGER_PUSH, "push", 4);
    assert_string_equal(t->branch, "main");
    t = trigger(pl, 1);
    check_trigger(t, RA_TRIGGER_CRON, "cron", 6);
    assert_string_equal(t->cron_name, "morning");
    assert_null(t->cron);
    t = trigger(pl, 2);
    check_trigger(t, RA_TRIGGER_MANUAL, "manual", 8);
    assert_string_equal(t->condition, "REBUILD_INFRA_CI != \"yes\"");
    assert_int_equal(pl->pushes.len, 0); /* docker compose pull/up: no push */
    assert_int_equal(pl->uses.len, 1);
    check_image(used(pl, 0), "registry.example.internal/infra-ci:latest", "deploy",
                "image", 16);

    pl = pipeline(p, 1);
    assert_string_equal(pl->id, "woodpecker:.woodpecker/infra-ci.yml:infra-ci");
    assert_int_equal(pl->triggers.len, 3);
    check_trigger(trigger(pl, 0), RA_TRIGGER_CRON, "cron", 4);
    assert_string_equal(trigger(pl, 0)->cron_name, "infra-ci-weekly");
    check_trigger(trigger(pl, 1), RA_TRIGGER_MANUAL, "manual", 6);
    assert_string_equal(trigger(pl, 1)->condition, "REBUILD_INFRA_CI == \"yes\"");
    check_trigger(trigger(pl, 2), RA_TRIGGER_PUSH, "push", 8);
    assert_string_equal(trigger(pl, 2)->branch, "main");
    assert_string_equal(trigger(pl, 2)->condition, "path: images/infra-ci/**");
    assert_int_equal(pl->pushes.len, 1);
    img = pushed(pl, 0);
    check_image(img, "registry.example.internal/infra-ci:latest", "build-push", "plugin",
                21);
    assert_string_equal(img->image, "registry.example.internal/infra-ci:latest");
    assert_string_equal(img->platforms, "linux/amd64,linux/arm64"); /* an index */
    assert_null(img->note);
    assert_ptr_equal(img->pipeline, pl);
    assert_int_equal(pl->uses.len, 1);
    check_image(used(pl, 0), "woodpeckerci/plugin-docker-buildx:2.3.0", "build-push",
                "image", 17);

    pl = pipeline(p, 2);
    assert_string_equal(pl->id, "woodpecker:.woodpecker/lint.yml:lint");
    assert_string_equal(pl->platform, "linux/arm64"); /* pulls the arm64 child */
    assert_int_equal(pl->triggers.len, 4);
    check_trigger(trigger(pl, 0), RA_TRIGGER_PUSH, "push", 3);
    check_trigger(trigger(pl, 1), RA_TRIGGER_PULL_REQUEST, "pull_request", 3);
    check_trigger(trigger(pl, 2), RA_TRIGGER_CRON, "cron", 4);
    check_trigger(trigger(pl, 3), RA_TRIGGER_MANUAL, "manual", 6);
    check_image(used(pl, 0), "registry.example.internal/infra-ci:latest", "lint", "image",
                14);
    ra_pipelines_free(p);
}

/* The questions a post-mortem asks of the sample: the snapshot knows the repository
 * as "infra-ci", the pipelines name it with the registry's host. */
static void test_pipelines__sample_who_pushes_who_uses(void **state)
{
    struct ra_pipelines *p = scan_sample();
    struct ra_vec v = RA_VEC_INIT;
    const struct ra_pipeline_image *img;

    (void)state;
    ra_pipelines_pushers(&v, p, "infra-ci:latest");
    assert_int_equal(v.len, 1);
    img = v.items[0];
    assert_string_equal(img->pipeline->name, "infra-ci");
    assert_string_equal(img->path, ".woodpecker/infra-ci.yml");
    assert_int_equal(img->line, 21);
    v.len = 0;

    ra_pipelines_users(&v, p, "infra-ci:latest");
    assert_int_equal(v.len, 2);
    img = v.items[0];
    assert_string_equal(img->pipeline->name, "deploy");
    assert_string_equal(img->step, "deploy");
    assert_int_equal(img->line, 16);
    img = v.items[1];
    assert_string_equal(img->pipeline->name, "lint");
    assert_string_equal(img->pipeline->platform, "linux/arm64");
    v.len = 0;

    ra_pipelines_users(&v, p, "infra-ci"); /* no tag: latest */
    assert_int_equal(v.len, 2);
    v.len = 0;
    ra_pipelines_users(&v, p, "registry.example.internal/infra-ci:latest");
    assert_int_equal(v.len, 2);
    v.len = 0;
    ra_pipelines_users(&v, p, "REGISTRY.example.internal/infra-ci:latest");
    assert_int_equal(v.len, 2); /* host names have no case */
    v.len = 0;
    ra_pipelines_users(&v, p, "mirror.example.internal/infra-ci:latest");
    assert_int_equal(v.len, 0); /* another registry */
    ra_pipelines_users(&v, p, "infra-ci:2026-04-12");
    assert_int_equal(v.len, 0);
    ra_pipelines_users(&v, p, "team/infra-ci:latest");
    assert_int_equal(v.len, 0); /* another repository */
    ra_pipelines_users(&v, p, "ci:latest");
    assert_int_equal(v.len, 0); /* a path suffix that is not a whole segment */
    ra_pipelines_pushers(&v, p, "plugin-docker-buildx:2.3.0");
    assert_int_equal(v.len, 0);
    ra_pipelines_users(&v, p, "woodpeckerci/plugin-docker-buildx:2.3.0");
    assert_int_equal(v.len, 1);
    ra_vec_release(&v);
    ra_pipelines_free(p);
}

/* ---- matching rules ---- */

/* A query without a host matches the repository path on any host: the snapshot of a
 * Docker Hub mirror knows "library/alpine", the pipeline says "alpine" or names the
 * mirror. */
static void test_pipelines__query_by_repository_path(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".woodpecker/a.yml", "steps:\n"
                               "  - name: one\n"
                               "    image: alpine:3.19\n"
                               "  - name: two\n"
                               "    image: mirror.example.internal/library/alpine:3.19\n"
                               "  - name: three\n"
                               "    image: docker.io/library/alpine:3.20\n"
                               "  - name: four\n"
                               "    image: r.example/tools/kubectl:1.29\n"),
    };
    struct ra_pipelines *p = scan(files, RA_ARRAY_SIZE(files));
    struct ra_vec v = RA_VEC_INIT;

    (void)state;
    ra_pipelines_users(&v, p, "library/alpine:3.19");
    assert_int_equal(v.len, 2);
    v.len = 0;
    ra_pipelines_users(&v, p, "alpine:3.19");
    assert_int_equal(v.len, 2);
    v.len = 0;
    ra_pipelines_users(&v, p, "docker.io/alpine:3.19"); /* Docker Hub only */
    assert_int_equal(v.len, 1);
    assert_string_equal(((const struct ra_pipeline_image *)v.items[0])->step, "one");
    v.len = 0;
    ra_pipelines_users(&v, p, "tools/kubectl:1.29");
    assert_int_equal(v.len, 1);
    v.len = 0;
    ra_pipelines_users(&v, p, "kubectl:1.29"); /* "tools/kubectl" is another repository */
    assert_int_equal(v.len, 0);
    ra_vec_release(&v);
    ra_pipelines_free(p);
}

/* ---- Woodpecker spellings ---- */

static void test_pipelines__woodpecker_odd_spellings(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".woodpecker.yml", "variables:\n"                                      /* 1 */
                             "  - &golang 'golang:1.22'\n"                       /* 2 */
                             "x-defaults: &defaults\n"                           /* 3 */
                             "  image: *golang\n"                                /* 4 */
                             "when:\n"                                           /* 5 */
                             "  event: tag\n"                                    /* 6 */
                             "  ref: refs/tags/v*\n"                             /* 7 */
                             "pipeline:\n"                                       /* 8 */
                             "  test:\n"                                         /* 9 */
                             "    <<: *defaults\n"                               /* 10 */
                             "    commands:\n"                                   /* 11 */
                             "      - go test ./...\n"                           /* 12 */
                             "      - echo done: ok\n"                           /* 13 */
                             "  publish:\n"                                      /* 14 */
                             "    image: plugins/docker\n"                       /* 15 */
                             "    repo: r.example/team/app\n"                    /* 16 */
                             "    tags: \"latest, ${CI_COMMIT_TAG}\"\n"          /* 17 */
                             "  publish-dry:\n"                                  /* 18 */
                             "    image: plugins/docker\n"                       /* 19 */
                             "    settings:\n"                                   /* 20 */
                             "      repo: r.example/team/app\n"                  /* 21 */
                             "      dry-run: true\n"                             /* 22 */
                             "  kaniko:\n"                                       /* 23 */
                             "    image: woodpeckerci/plugin-kaniko\n"           /* 24 */
                             "    settings:\n"                                   /* 25 */
                             "      registry: https://r.example/\n"              /* 26 */
                             "      repo: team/app-kaniko\n"                     /* 27 */
                             "      tags:\n"                                     /* 28 */
                             "        - '1.0'\n"                                 /* 29 */
                             "        - stable\n"                                /* 30 */
                             "  shell:\n"                                        /* 31 */
                             "    image: docker:27-cli\n"                        /* 32 */
                             "    environment:\n"                                /* 33 */
                             "      IMAGE: r.example/team/tool\n"                /* 34 */
                             "    commands: |\n"                                 /* 35 */
                             "      docker build -t $IMAGE:${TAG:-edge} .\n"     /* 36 */
                             "      docker push \\\n"                            /* 37 */
                             "        \"$IMAGE:${TAG:-edge}\" >/dev/null 2>&1\n" /* 38 */
                             "services:\n"                                       /* 39 */
                             "  database:\n"                                     /* 40 */
                             "    image: postgres:16\n"),                        /* 41 */
        F(".woodpecker/sub/ignored.yml", "steps:\n  - image: alpine\n"),
        F(".woodpecker/notes.md", "steps:\n  - image: alpine\n"),
    };
    struct ra_pipelines *p = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_pipeline *pl;

    (void)state;
    assert_int_equal(p->pipelines.len, 1);
    assert_int_equal(p->problems.len, 0);
    pl = pipeline(p, 0);
    assert_string_equal(pl->id, "woodpecker:.woodpecker.yml:woodpecker");
    assert_null(pl->platform);
    assert_int_equal(pl->triggers.len, 1);
    check_trigger(trigger(pl, 0), RA_TRIGGER_TAG, "tag", 6);
    assert_string_equal(trigger(pl, 0)->condition, "ref: refs/tags/v*");

    assert_int_equal(pl->uses.len, 6);
    check_image(used(pl, 0), "golang:1.22", "test", "image", 2); /* the anchor's line */
    check_image(used(pl, 1), "plugins/docker:latest", "publish", "image", 15);
    check_image(used(pl, 2), "plugins/docker:latest", "publish-dry", "image", 19);
    check_image(used(pl, 3), "woodpeckerci/plugin-kaniko:latest", "kaniko", "image", 24);
    check_image(used(pl, 4), "docker:27-cli", "shell", "image", 32);
    check_image(used(pl, 5), "postgres:16", "database", "service", 41);

    assert_int_equal(pl->pushes.len, 5);
    /* settings at the step level (before settings:), tags as a comma string */
    check_image(pushed(pl, 0), "r.example/team/app:latest", "publish", "plugin", 17);
    check_image(pushed(pl, 1), "r.example/team/app:${CI_COMMIT_TAG}", "publish", "plugin",
                17);
    /* the dry run pushes nothing; kaniko's repo goes to its registry */
    check_image(pushed(pl, 2), "r.example/team/app-kaniko:1.0", "kaniko", "plugin", 29);
    check_image(pushed(pl, 3), "r.example/team/app-kaniko:stable", "kaniko", "plugin",
                30);
    /* the step's environment and the default of ${TAG:-edge}; a continuation line */
    check_image(pushed(pl, 4), "r.example/team/tool:edge", "shell", "docker push", 37);
    assert_string_equal(pushed(pl, 4)->image, "$IMAGE:${TAG:-edge}");
    ra_pipelines_free(p);
}

/* ---- Drone ---- */

static void test_pipelines__drone_documents(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".drone.yml",
          "kind: pipeline\n"                           /* 1 */
          "type: docker\n"                             /* 2 */
          "name: build\n"                              /* 3 */
          "platform:\n"                                /* 4 */
          "  os: linux\n"                              /* 5 */
          "  arch: arm64\n"                            /* 6 */
          "trigger:\n"                                 /* 7 */
          "  event:\n"                                 /* 8 */
          "    include: [push, tag, promote]\n"        /* 9 */
          "  branch: [main, release/*]\n"              /* 10 */
          "steps:\n"                                   /* 11 */
          "- name: publish\n"                          /* 12 */
          "  image: plugins/docker:20\n"               /* 13 */
          "  settings:\n"                              /* 14 */
          "    repo: [r.example/a, r.example/b]\n"     /* 15 */
          "    auto_tag: true\n"                       /* 16 */
          "services:\n"                                /* 17 */
          "- name: docker\n"                           /* 18 */
          "  image: docker:dind\n"                     /* 19 */
          "---\n"                                      /* 20 */
          "kind: secret\n"                             /* 21 */
          "name: token\n"                              /* 22 */
          "get:\n"                                     /* 23 */
          "  path: ci\n"                               /* 24 */
          "---\n"                                      /* 25 */
          "kind: pipeline\n"                           /* 26 */
          "name: nightly\n"                            /* 27 */
          "trigger:\n"                                 /* 28 */
          "  cron: [nightly, weekly]\n"                /* 29 */
          "environment:\n"                             /* 30 */
          "  DEST: docker://r.example/mirror/alpine\n" /* 31 */
          "steps:\n"                                   /* 32 */
          "- name: mirror\n"                           /* 33 */
          "  image: quay.io/skopeo/stable:v1.15\n"     /* 34 */
          "  commands:\n"                              /* 35 */
          "  - skopeo copy --all --dest-creds ci:$PW " /* 36 */
          "docker://docker.io/library/alpine:3.19 $DEST:3.19\n"
          "  - skopeo copy docker://alpine:3.19 oci:/tmp/alpine:3.19\n" /* 37 */
          "---\n"                                                       /* 38 */
          "kind: pipeline\n"                                            /* 39 */
          "type: exec\n"                                                /* 40 */
          "trigger:\n"                                                  /* 41 */
          "  event:\n"                                                  /* 42 */
          "    exclude: [pull_request]\n"                               /* 43 */
          "steps:\n"                                                    /* 44 */
          "- name: hello\n"                                             /* 45 */
          "  commands: [echo hello]\n"),                                /* 46 */
    };
    struct ra_pipelines *p = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_pipeline *pl;

    (void)state;
    assert_int_equal(p->pipelines.len, 3);
    pl = by_name(p, "build");
    assert_string_equal(pl->id, "drone:.drone.yml:build");
    assert_string_equal(ra_ci_system_name(pl->system), "drone");
    assert_int_equal(pl->line, 1);
    assert_string_equal(pl->platform, "linux/arm64");
    assert_int_equal(pl->triggers.len, 3);
    check_trigger(trigger(pl, 0), RA_TRIGGER_PUSH, "push", 9);
    assert_string_equal(trigger(pl, 0)->branch, "main, release/*");
    check_trigger(trigger(pl, 1), RA_TRIGGER_TAG, "tag", 9);
    check_trigger(trigger(pl, 2), RA_TRIGGER_DEPLOYMENT, "promote", 9);
    assert_int_equal(pl->pushes.len, 2);
    check_image(pushed(pl, 0), "r.example/a:latest", "publish", "plugin", 15);
    assert_string_equal(pushed(pl, 0)->note,
                        "tags decided at run time (auto_tag, tags_file)");
    check_image(pushed(pl, 1), "r.example/b:latest", "publish", "plugin", 15);
    assert_int_equal(pl->uses.len, 2);
    check_image(used(pl, 1), "docker:dind", "docker", "service", 19);

    pl = by_name(p, "nightly");
    assert_int_equal(pl->line, 26);
    assert_int_equal(pl->triggers.len, 2);
    check_trigger(trigger(pl, 0), RA_TRIGGER_CRON, "cron", 29);
    assert_string_equal(trigger(pl, 0)->cron_name, "nightly");
    assert_string_equal(trigger(pl, 1)->cron_name, "weekly");
    assert_int_equal(pl->pushes.len, 1); /* the copy to an OCI layout is no push */
    check_image(pushed(pl, 0), "r.example/mirror/alpine:3.19", "mirror", "skopeo copy",
                36);
    assert_string_equal(pushed(pl, 0)->platforms, "all");

    pl = by_name(p, "default");
    assert_true(pl->unfiltered); /* every event but one */
    assert_int_equal(pl->triggers.len, 0);
    assert_int_equal(pl->uses.len, 0);
    ra_pipelines_free(p);
}

/* ---- GitLab ---- */

static void test_pipelines__gitlab_jobs(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".gitlab-ci.yml",
          "spec:\n"                                                    /* 1 */
          "  inputs:\n"                                                /* 2 */
          "    stage:\n"                                               /* 3 */
          "      default: build\n"                                     /* 4 */
          "---\n"                                                      /* 5 */
          "variables:\n"                                               /* 6 */
          "  REGISTRY: registry.example.internal\n"                    /* 7 */
          "  APP:\n"                                                   /* 8 */
          "    value: $REGISTRY/app\n"                                 /* 9 */
          "    description: where it goes\n"                           /* 10 */
          "default:\n"                                                 /* 11 */
          "  image:\n"                                                 /* 12 */
          "    name: registry.example.internal/infra-ci\n"             /* 13 */
          "    entrypoint: ['']\n"                                     /* 14 */
          "workflow:\n"                                                /* 15 */
          "  rules:\n"                                                 /* 16 */
          "    - if: $CI_PIPELINE_SOURCE =~ /^(push|web)$/\n"          /* 17 */
          "    - if: '$CI_COMMIT_TAG'\n"                               /* 18 */
          ".docker:\n"                                                 /* 19 */
          "  image: docker:27\n"                                       /* 20 */
          "  services: [docker:27-dind]\n"                             /* 21 */
          "  before_script:\n"                                         /* 22 */
          "    - docker login -u ci -p $PW $REGISTRY\n"                /* 23 */
          ".push_latest:\n"                                            /* 24 */
          "  script:\n"                                                /* 25 */
          "    - docker push $APP:latest\n"                            /* 26 */
          "build:\n"                                                   /* 27 */
          "  extends: .docker\n"                                       /* 28 */
          "  variables:\n"                                             /* 29 */
          "    PLATFORMS: linux/amd64,linux/arm64\n"                   /* 30 */
          "  script:\n"                                                /* 31 */
          "    - >\n"                                                  /* 32 */
          "      docker buildx build --platform $PLATFORMS --push\n"   /* 33 */
          "      -t $APP:$CI_COMMIT_SHORT_SHA -t \"$APP:latest\" .\n"  /* 34 */
          "    - !reference [.push_latest, script]\n"                  /* 35 */
          "  rules:\n"                                                 /* 36 */
          "    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n"            /* 37 */
          "    - if: $CI_COMMIT_BRANCH == \"main\"\n"                  /* 38 */
          "      when: manual\n"                                       /* 39 */
          "    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n" /* 40 */
          "      when: never\n"                                        /* 41 */
          "release:\n"                                                 /* 42 */
          "  image:\n"                                                 /* 43 */
          "    name: gcr.io/kaniko-project/executor:v1.23.0-debug\n"   /* 44 */
          "    entrypoint: ['']\n"                                     /* 45 */
          "  script:\n"                                                /* 46 */
          "    - /kaniko/executor --context $CI_PROJECT_DIR "          /* 47 */
          "--destination \"${APP}:${CI_COMMIT_TAG}\" --custom-platform=linux/arm64\n"
          "  only:\n"                                         /* 48 */
          "    - tags\n"                                      /* 49 */
          "    - schedules\n"                                 /* 50 */
          "    - main\n"                                      /* 51 */
          "test:\n"                                           /* 52 */
          "  stage: test\n"                                   /* 53 */
          "  script: make test\n"                             /* 54 */
          "pages:\n"                                          /* 55 */
          "  script: [echo]\n"                                /* 56 */
          "  when: manual\n"                                  /* 57 */
          "  rules:\n"                                        /* 58 */
          "    - changes: [docs/**]\n"                        /* 59 */
          "downstream:\n"                                     /* 60 */
          "  trigger: infra/deploy\n"                         /* 61 */
          "  rules:\n"                                        /* 62 */
          "    - if: $CI_COMMIT_REF_NAME == 'main' && $X\n"), /* 63 */
    };
    struct ra_pipelines *p = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_pipeline *pl;
    const struct ra_pipeline_trigger *t;

    (void)state;
    assert_int_equal(p->pipelines.len, 5); /* templates (.docker) are no jobs */
    assert_int_equal(p->problems.len, 0);

    pl = pipeline(p, 0);
    assert_string_equal(pl->id, "gitlab:.gitlab-ci.yml:build");
    assert_int_equal(pl->line, 27);
    assert_int_equal(pl->triggers.len, 3);
    t = trigger(pl, 0);
    check_trigger(t, RA_TRIGGER_SCHEDULE, "schedule", 37);
    assert_string_equal(t->condition, "$CI_PIPELINE_SOURCE == \"schedule\"");
    t = trigger(pl, 1);
    check_trigger(t, RA_TRIGGER_PUSH, NULL, 38);
    assert_string_equal(t->branch, "main");
    check_trigger(trigger(pl, 2), RA_TRIGGER_MANUAL, "when: manual", 38);
    assert_int_equal(pl->uses.len, 2); /* from extends: */
    check_image(used(pl, 0), "docker:27", "build", "image", 20);
    check_image(used(pl, 1), "docker:27-dind", "build", "service", 21);
    assert_int_equal(pl->pushes.len, 3);
    check_image(pushed(pl, 0), "registry.example.internal/app:$CI_COMMIT_SHORT_SHA",
                "build", "buildx --push", 33);
    assert_string_equal(pushed(pl, 0)->platforms, "linux/amd64,linux/arm64");
    check_image(pushed(pl, 1), "registry.example.internal/app:latest", "build",
                "buildx --push", 33);
    /* !reference [.push_latest, script] */
    check_image(pushed(pl, 2), "registry.example.internal/app:latest", "build",
                "docker push", 26);

    pl = pipeline(p, 1);
    assert_string_equal(pl->name, "release");
    check_image(used(pl, 0), "gcr.io/kaniko-project/executor:v1.23.0-debug", "release",
                "image", 44);
    assert_int_equal(pl->pushes.len, 1);
    check_image(pushed(pl, 0), "registry.example.internal/app:${CI_COMMIT_TAG}",
                "release", "kaniko", 47);
    assert_string_equal(pushed(pl, 0)->platforms, "linux/arm64");
    assert_int_equal(pl->triggers.len, 3);
    check_trigger(trigger(pl, 0), RA_TRIGGER_TAG, "tags", 49);
    check_trigger(trigger(pl, 1), RA_TRIGGER_SCHEDULE, "schedules", 50);
    check_trigger(trigger(pl, 2), RA_TRIGGER_PUSH, "push", 51);
    assert_string_equal(trigger(pl, 2)->branch, "main");

    pl = pipeline(p, 2);
    assert_string_equal(pl->name, "test");
    /* default: image; the workflow's rules */
    check_image(used(pl, 0), "registry.example.internal/infra-ci:latest", "test", "image",
                13);
    assert_int_equal(pl->triggers.len, 3);
    check_trigger(trigger(pl, 0), RA_TRIGGER_PUSH, "push", 17);
    check_trigger(trigger(pl, 1), RA_TRIGGER_MANUAL, "web", 17);
    check_trigger(trigger(pl, 2), RA_TRIGGER_TAG, NULL, 18);

    pl = pipeline(p, 3);
    assert_string_equal(pl->name, "pages");
    assert_true(pl->unfiltered); /* a rule with changes: only */
    assert_int_equal(pl->triggers.len, 1);
    check_trigger(trigger(pl, 0), RA_TRIGGER_MANUAL, "when: manual", 57);

    pl = pipeline(p, 4);
    assert_string_equal(pl->name, "downstream");
    assert_int_equal(pl->uses.len, 0); /* a trigger job runs no image of its own */
    assert_int_equal(pl->triggers.len, 1);
    check_trigger(trigger(pl, 0), RA_TRIGGER_PUSH, NULL, 63);
    assert_string_equal(trigger(pl, 0)->branch, "main");
    assert_string_equal(trigger(pl, 0)->condition, "$CI_COMMIT_REF_NAME == 'main' && $X");
    ra_pipelines_free(p);
}

/* ---- GitHub Actions ---- */

static void test_pipelines__github_workflows(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".github/workflows/release.yaml",
          "name: Release image\n"                                        /* 1 */
          "on:\n"                                                        /* 2 */
          "  push:\n"                                                    /* 3 */
          "    branches: [main]\n"                                       /* 4 */
          "    tags: ['v*']\n"                                           /* 5 */
          "  schedule:\n"                                                /* 6 */
          "    - cron: '17 3 * * 0'\n"                                   /* 7 */
          "  workflow_dispatch:\n"                                       /* 8 */
          "  release:\n"                                                 /* 9 */
          "    types: [published]\n"                                     /* 10 */
          "env:\n"                                                       /* 11 */
          "  IMAGE: ghcr.io/acme/app\n"                                  /* 12 */
          "jobs:\n"                                                      /* 13 */
          "  build:\n"                                                   /* 14 */
          "    runs-on: ubuntu-24.04\n"                                  /* 15 */
          "    container:\n"                                             /* 16 */
          "      image: node:20\n"                                       /* 17 */
          "    services:\n"                                              /* 18 */
          "      cache:\n"                                               /* 19 */
          "        image: redis:7\n"                                     /* 20 */
          "    steps:\n"                                                 /* 21 */
          "      - uses: actions/checkout@v4\n"                          /* 22 */
          "      - name: Lint\n"                                         /* 23 */
          "        uses: docker://hadolint/hadolint:v2.12.0\n"           /* 24 */
          "      - name: Build and push\n"                               /* 25 */
          "        uses: docker/build-push-action@v6\n"                  /* 26 */
          "        with:\n"                                              /* 27 */
          "          platforms: linux/amd64,linux/arm64\n"               /* 28 */
          "          push: ${{ github.event_name != 'pull_request' }}\n" /* 29 */
          "          tags: |\n"                                          /* 30 */
          "            ${{ env.IMAGE }}:latest\n"                        /* 31 */
          "            ${{ env.IMAGE }}:${{ github.ref_name }}\n"        /* 32 */
          "      - id: copy\n"                                           /* 33 */
          "        env:\n"                                               /* 34 */
          "          MIRROR: registry.example.internal\n"                /* 35 */
          "        run: |\n"                                             /* 36 */
          "          # mirror the release\n"                             /* 37 */
          "          crane copy $IMAGE:latest $MIRROR/app:latest\n"      /* 38 */
          "          sudo docker image push $MIRROR/app:latest; "        /* 39 */
          "crane tag $MIRROR/app:latest stable\n"),
        F(".github/workflows/ci.yml",
          "\"on\": [push, pull_request]\n"                      /* 1 */
          "jobs:\n"                                             /* 2 */
          "  lint:\n"                                           /* 3 */
          "    container: registry.example.internal/infra-ci\n" /* 4 */
          "    steps:\n"                                        /* 5 */
          "      - uses: docker/build-push-action@v6\n"         /* 6 */
          "        with:\n"                                     /* 7 */
          "          tags: ci/app:test\n"),                     /* 8 */
        F(".github/workflows/nested/x.yml", "on: push\njobs: {}\n"),
        F(".github/dependabot.yml", "version: 2\n"),
    };
    struct ra_pipelines *p = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_pipeline *pl;
    const struct ra_pipeline_trigger *t;

    (void)state;
    assert_int_equal(p->pipelines.len, 2);
    pl = pipeline(p, 0);
    assert_string_equal(pl->id, "github:.github/workflows/ci.yml:ci");
    assert_int_equal(pl->triggers.len, 2);
    check_trigger(trigger(pl, 0), RA_TRIGGER_PUSH, "push", 1);
    check_trigger(trigger(pl, 1), RA_TRIGGER_PULL_REQUEST, "pull_request", 1);
    assert_int_equal(pl->pushes.len, 0); /* push: false by default */
    assert_int_equal(pl->uses.len, 1);
    check_image(used(pl, 0), "registry.example.internal/infra-ci:latest", "lint",
                "container", 4);

    pl = pipeline(p, 1);
    assert_string_equal(pl->id, "github:.github/workflows/release.yaml:Release image");
    assert_int_equal(pl->triggers.len, 5);
    t = trigger(pl, 0);
    check_trigger(t, RA_TRIGGER_PUSH, "push", 3);
    assert_string_equal(t->branch, "main");
    t = trigger(pl, 1);
    check_trigger(t, RA_TRIGGER_TAG, "push", 3);
    assert_string_equal(t->branch, "v*");
    t = trigger(pl, 2);
    check_trigger(t, RA_TRIGGER_CRON, "schedule", 7);
    assert_string_equal(t->cron, "17 3 * * 0");
    check_trigger(trigger(pl, 3), RA_TRIGGER_MANUAL, "workflow_dispatch", 8);
    check_trigger(trigger(pl, 4), RA_TRIGGER_TAG, "release", 9);

    assert_int_equal(pl->uses.len, 3);
    check_image(used(pl, 0), "node:20", "build", "container", 17);
    check_image(used(pl, 1), "redis:7", "build/cache", "service", 20);
    check_image(used(pl, 2), "hadolint/hadolint:v2.12.0", "build/Lint", "uses", 24);

    assert_int_equal(pl->pushes.len, 5);
    check_image(pushed(pl, 0), "ghcr.io/acme/app:latest", "build/Build and push",
                "build-push-action", 31);
    assert_string_equal(pushed(pl, 0)->platforms, "linux/amd64,linux/arm64");
    assert_string_equal(pushed(pl, 0)->note,
                        "push: ${{ github.event_name != 'pull_request' }}");
    check_image(pushed(pl, 1), "ghcr.io/acme/app:${{ github.ref_name }}",
                "build/Build and push", "build-push-action", 32);
    check_image(pushed(pl, 2), "registry.example.internal/app:latest", "build/copy",
                "crane copy", 38);
    check_image(pushed(pl, 3), "registry.example.internal/app:latest", "build/copy",
                "docker push", 39);
    check_image(pushed(pl, 4), "registry.example.internal/app:stable", "build/copy",
                "crane tag", 39);
    ra_pipelines_free(p);
}

/* ---- shell commands ---- */

static void test_pipelines__shell_pushes(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".woodpecker/shell.yml",
          "steps:\n"                                                         /* 1 */
          "  - name: s\n"                                                    /* 2 */
          "    image: quay.io/podman/stable\n"                               /* 3 */
          "    commands:\n"                                                  /* 4 */
          "      - export REG=r.example V=1.2\n"                             /* 5 */
          "      - podman push --creds ci:x localimage docker://$REG/p:$V\n" /* 6 */
          "      - buildah push --format v2s2 $REG/b:$V\n"                   /* 7 */
          "      - docker build -t $REG/not-pushed:1 .\n"                    /* 8 */
          "      - docker buildx build --output=type=image,push=true "
          "--tag=$REG/o:1 .\n" /* 9 */
          "      - docker buildx imagetools create -t $REG/idx:1 $REG/a:1 "
          "$REG/b:1\n"                                                       /* 10 */
          "      - docker manifest push --purge $REG/list:1\n"               /* 11 */
          "      - /kaniko/executor -d $REG/k:1 --no-push\n"                 /* 12 */
          "      - regctl image copy $REG/a:1 $REG/a:stable\n"               /* 13 */
          "      - crane push image.tar $REG/c:1 # comment docker push no\n" /* 14
                                                                              */
          "      - echo 'docker push quoted:1'\n"                            /* 15 */
          "      - docker run --rm $REG/tool:1 push x:1\n"                   /* 16 */
          "      - skopeo copy docker://a:1 dir:/tmp/a\n"                    /* 17 */
          "      - docker push $(cat image-name.txt)\n"                      /* 18 */
          "      - docker image push --all-tags $REG/all\n"),                /* 19 */
    };
    struct ra_pipelines *p = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_pipeline *pl = pipeline(p, 0);

    (void)state;
    assert_int_equal(pl->pushes.len, 9);
    check_image(pushed(pl, 0), "r.example/p:1.2", "s", "podman push", 6);
    check_image(pushed(pl, 1), "r.example/b:1.2", "s", "buildah push", 7);
    check_image(pushed(pl, 2), "r.example/o:1", "s", "buildx --push", 9);
    check_image(pushed(pl, 3), "r.example/idx:1", "s", "buildx imagetools", 10);
    check_image(pushed(pl, 4), "r.example/list:1", "s", "docker manifest push", 11);
    check_image(pushed(pl, 5), "r.example/a:stable", "s", "regctl copy", 13);
    check_image(pushed(pl, 6), "r.example/c:1", "s", "crane push", 14);
    check_image(pushed(pl, 7), "$(cat image-name.txt):latest", "s", "docker push", 18);
    check_image(pushed(pl, 8), "r.example/all:latest", "s", "docker push", 19);
    ra_pipelines_free(p);
}

/* A multi-platform push makes an index: the platforms are kept with the push. */
static void test_pipelines__multi_platform_buildx(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".woodpecker/build.yaml",
          "steps:\n"                                        /* 1 */
          "  build:\n"                                      /* 2 */
          "    image: woodpeckerci/plugin-docker-buildx\n"  /* 3 */
          "    settings:\n"                                 /* 4 */
          "      repo: registry.example.internal/infra-ci," /* 5 */
          "registry.example.internal/infra-ci-mirror\n"
          "      tags: [latest, '2026.04']\n"                   /* 6 */
          "      platforms:\n"                                  /* 7 */
          "        - linux/amd64\n"                             /* 8 */
          "        - linux/arm64/v8\n"                          /* 9 */
          "  cli:\n"                                            /* 10 */
          "    image: docker:27-cli\n"                          /* 11 */
          "    commands:\n"                                     /* 12 */
          "      - docker buildx build --platform linux/amd64 " /* 13 */
          "--platform=linux/arm64 --push -t registry.example.internal/infra-ci:cli .\n"),
    };
    struct ra_pipelines *p = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_pipeline *pl = pipeline(p, 0);
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    (void)state;
    assert_string_equal(pl->name, "build");
    assert_true(pl->unfiltered);
    assert_int_equal(pl->pushes.len, 5);
    check_image(pushed(pl, 0), "registry.example.internal/infra-ci:latest", "build",
                "plugin", 6);
    check_image(pushed(pl, 1), "registry.example.internal/infra-ci:2026.04", "build",
                "plugin", 6);
    check_image(pushed(pl, 2), "registry.example.internal/infra-ci-mirror:latest",
                "build", "plugin", 6);
    check_image(pushed(pl, 3), "registry.example.internal/infra-ci-mirror:2026.04",
                "build", "plugin", 6);
    for (i = 0; i < 4; i++)
        assert_string_equal(pushed(pl, i)->platforms, "linux/amd64,linux/arm64/v8");
    check_image(pushed(pl, 4), "registry.example.internal/infra-ci:cli", "cli",
                "buildx --push", 13);
    assert_string_equal(pushed(pl, 4)->platforms, "linux/amd64,linux/arm64");

    ra_pipelines_pushers(&v, p, "infra-ci:latest");
    assert_int_equal(v.len, 1);
    assert_ptr_equal(v.items[0], pushed(pl, 0));
    ra_vec_release(&v);
    ra_pipelines_free(p);
}

/* ---- files that cannot be read ---- */

static void test_pipelines__unparsable(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".woodpecker/broken.yml", "steps:\n  - name: a\n    image: [alpine\n"),
        F(".woodpecker/good.yml", "steps:\n  - name: b\n    image: alpine:3.19\n"),
        F(".drone.yml", "kind: pipeline\n"
                        "name: first\n"
                        "steps:\n"
                        "- name: a\n"
                        "  image: busybox\n"
                        "---\n"
                        "kind: pipeline\n"
                        "name: second\n"
                        "steps: [\n"),
        F(".gitlab-ci.yml", "build:\n  script:\n    - \"\0binary\"\n"),
        {".github/workflows/huge.yml", NULL, (size_t)RA_JOBS_FILE_MAX + 1},
        F(".github/workflows/gone.yml", ""),
        F(".github/workflows", ""),
        F("broken-but-not-ci.yml", "a: [\n"),
    };
    const char *why[RA_ARRAY_SIZE(files)] = {NULL};
    struct ra_pipelines *p = NULL;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    why[5] = "missing from the repository (damaged)";
    why[6] = "directory missing from the repository (damaged)";
    assert_int_equal(ra_pipelines_scan_why(&p, files, why, RA_ARRAY_SIZE(files), &err),
                     0);
    assert_int_equal(p->pipelines.len, 2); /* good.yml, and .drone.yml's first */
    assert_string_equal(pipeline(p, 0)->id, "drone:.drone.yml:first");
    assert_string_equal(pipeline(p, 1)->id, "woodpecker:.woodpecker/good.yml:good");

    assert_int_equal(p->problems.len, 6);
    assert_string_equal(problem(p, 0)->path, ".drone.yml");
    assert_int_equal(problem(p, 0)->code, RA_EFORMAT);
    assert_int_equal(problem(p, 0)->line, 10);
    assert_non_null(strstr(problem(p, 0)->msg, "'.drone.yml:10': YAML: "));
    assert_string_equal(problem(p, 1)->msg, "'.github/workflows': directory missing from "
                                            "the repository (damaged)");
    assert_int_equal(problem(p, 1)->code, RA_EIO);
    assert_string_equal(problem(p, 2)->msg, "'.github/workflows/gone.yml': missing from "
                                            "the repository (damaged)");
    assert_string_equal(problem(p, 3)->msg,
                        "'.github/workflows/huge.yml': 1048577 bytes, more than the "
                        "limit of 1048576: not read");
    assert_int_equal(problem(p, 3)->code, RA_ELIMIT);
    assert_string_equal(problem(p, 4)->msg, "'.gitlab-ci.yml': binary file, not read");
    assert_int_equal(problem(p, 4)->code, RA_EFORMAT);
    assert_string_equal(problem(p, 5)->path, ".woodpecker/broken.yml");
    assert_int_equal(problem(p, 5)->line, 4);
    assert_string_equal(problem(p, 5)->msg,
                        "'.woodpecker/broken.yml:4': YAML: did not find expected ',' or "
                        "']' while parsing a flow sequence (from line 3)");
    ra_pipelines_free(p);
}

/* An anchor shared by two steps counts for each; an alias repeated in one step once;
 * aliases that multiply a small file stop the walk with a problem. */
static void test_pipelines__aliases(void **state)
{
    struct ra_jobs_file files[2] = {
        F(".woodpecker/shared.yml", "x-push: &push\n"
                                    "  - docker push r.example/a:1\n"
                                    "steps:\n"
                                    "  - name: one\n"
                                    "    image: docker\n"
                                    "    commands: [*push, *push]\n"
                                    "  - name: two\n"
                                    "    image: docker\n"
                                    "    commands: *push\n"),
        {".woodpecker/bomb.yml", NULL, 0},
    };
    struct ra_buf bomb = RA_BUF_INIT;
    struct ra_pipelines *p;
    const struct ra_pipeline *pl;
    int i;

    (void)state;
    ra_buf_puts(&bomb, "a0: &a0 [\"docker push r.example/b:1\"]\n");
    for (i = 1; i < 12; i++)
        ra_buf_printf(&bomb, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d]\n", i, i, i - 1, i - 1,
                      i - 1, i - 1);
    ra_buf_puts(&bomb, "steps:\n  - name: s\n    image: docker\n    commands: *a11\n");
    files[1].data = bomb.ptr;
    files[1].len = bomb.len;
    p = scan(files, RA_ARRAY_SIZE(files));

    pl = by_name(p, "shared");
    assert_int_equal(pl->pushes.len, 2);
    check_image(pushed(pl, 0), "r.example/a:1", "one", "docker push", 2);
    check_image(pushed(pl, 1), "r.example/a:1", "two", "docker push", 2);

    pl = by_name(p, "bomb");
    assert_int_equal(pl->pushes.len, 1);
    assert_int_equal(p->problems.len, 1);
    assert_int_equal(problem(p, 0)->code, RA_ELIMIT);
    assert_string_equal(problem(p, 0)->msg, "'.woodpecker/bomb.yml:1': more than 200000 "
                                            "YAML nodes (aliases): the rest of the "
                                            "document is not read");
    ra_pipelines_free(p);
    ra_buf_release(&bomb);
}

static void test_pipelines__usage(void **state)
{
    const struct ra_jobs_file twice[] = {
        F(".drone.yml", "kind: pipeline\n"),
        F(".drone.yml", "kind: pipeline\n"),
    };
    struct ra_pipelines *p = NULL;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_int_equal(ra_pipelines_scan(&p, twice, 2, &err), RA_EUSAGE);
    assert_int_equal(err.code, RA_EUSAGE);
    assert_string_equal(err.msg, "'.drone.yml': given twice");
    assert_null(p);

    assert_int_equal(ra_pipelines_scan(&p, NULL, 0, &err), 0);
    assert_int_equal(p->pipelines.len, 0);
    ra_pipelines_free(p);
    ra_pipelines_free(NULL);

    assert_true(ra_pipelines_is_ci_path(".woodpecker/x.yaml"));
    assert_true(ra_pipelines_is_ci_path(".woodpecker.yml"));
    assert_true(ra_pipelines_is_ci_path(".github/workflows/a.yml"));
    assert_true(ra_pipelines_is_ci_path(".gitlab-ci.yml"));
    assert_true(ra_pipelines_is_ci_path(".drone.yml"));
    assert_false(ra_pipelines_is_ci_path(".woodpecker/x.yml.bak"));
    assert_false(ra_pipelines_is_ci_path(".github/workflows/a/b.yml"));
    assert_false(ra_pipelines_is_ci_path("sub/.drone.yml"));
    assert_false(ra_pipelines_is_ci_path(".woodpecker/.yml"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pipelines__sample),
        cmocka_unit_test(test_pipelines__sample_who_pushes_who_uses),
        cmocka_unit_test(test_pipelines__query_by_repository_path),
        cmocka_unit_test(test_pipelines__woodpecker_odd_spellings),
        cmocka_unit_test(test_pipelines__drone_documents),
        cmocka_unit_test(test_pipelines__gitlab_jobs),
        cmocka_unit_test(test_pipelines__github_workflows),
        cmocka_unit_test(test_pipelines__shell_pushes),
        cmocka_unit_test(test_pipelines__multi_platform_buildx),
        cmocka_unit_test(test_pipelines__unparsable),
        cmocka_unit_test(test_pipelines__aliases),
        cmocka_unit_test(test_pipelines__usage),
    };

    return cmocka_run_group_tests_name("config/pipelines", tests, NULL, NULL);
}
