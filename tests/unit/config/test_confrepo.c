/* SPDX-License-Identifier: MIT */
/* config/confrepo: a config repository like the incident's, built with dated commits
 * (cleanup job, then weekly GC, then GC with -m), read at several commits, with the files
 * that cannot be read (too large, binary, broken YAML, a symlink) reported or skipped. */

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
#include <unistd.h>

#include "config/git/confrepo.h"
#include "config/git/gitrepo.h"
#include "config/jobs/jobs.h"
#include "config/pipelines/pipelines.h"
#include "gitfixture.h"

struct fixture {
    char dir[256];
    char repo[300];
};

static const char cleanup_sh[] =
    "#!/bin/bash\n"
    "set -eu\n"
    "REG=/var/lib/registry/docker/registry/v2/repositories\n"
    "for repo in infra-ci tools/kubectl; do\n"
    "  tags_dir=\"$REG/$repo/_manifests/tags\"\n"
    "  ls -t \"$tags_dir\" | tail -n +11 | while read -r tag; do\n"
    "    rm -rf \"$tags_dir/$tag\"\n"
    "  done\n"
    "done\n";

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    char path[400];
    FILE *f;
    int i;

    git_sandbox(fx->dir, sizeof(fx->dir), "confrepo");
    snprintf(fx->repo, sizeof(fx->repo), "%s/config", fx->dir);
    sh("git init -q -b main '%s'", fx->repo);

    put(fx->repo, "registry/docker-compose.yml",
        "services:\n  registry:\n    image: registry:2\n    restart: always\n");
    put(fx->repo, "registry/etc/cron.d/registry",
        "0 2 * * * root /opt/ci/cleanup-tags.sh\n");
    put(fx->repo, "registry/opt/ci/cleanup-tags.sh", cleanup_sh);
    commit(fx->repo, "2026-01-10T09:00:00Z", "alice",
           "Registry host: compose and cleanup");

    put(fx->repo, "registry/etc/cron.d/registry",
        "0 2 * * * root /opt/ci/cleanup-tags.sh\n"
        "25 3 * * 0 root docker exec registry registry garbage-collect "
        "/etc/docker/registry/config.yml\n");
    commit(fx->repo, "2026-03-29T16:00:00Z", "bob", "Weekly GC");

    put(fx->repo, "registry/etc/cron.d/registry",
        "0 2 * * * root /opt/ci/cleanup-tags.sh\n"
        "25 3 * * 0 root docker exec registry registry garbage-collect -m "
        "/etc/docker/registry/config.yml\n");
    commit(fx->repo, "2026-04-06T11:30:00Z", "carol",
           "GC: delete untagged manifests too");

    put(fx->repo, "broken.yml", "a: [1, 2\n");
    put(fx->repo, "assets/logo.yml", "x");
    snprintf(path, sizeof(path), "%s/assets/logo.yml", fx->repo);
    f = fopen(path, "wb");
    fwrite("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 1, 16, f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/hosts/ci/crontab", fx->repo);
    put(fx->repo, "hosts/ci/crontab", "");
    f = fopen(path, "wb");
    for (i = 0; i < 40000; i++)
        fputs("# padding padding padding padding\n", f); /* 1.36 MB */
    fclose(f);
    sh("cd '%s' && ln -s registry registry/etc/cron.d/link", fx->repo);
    commit(fx->repo, "2026-04-08T08:00:00Z", "dave", "Odds and ends");
    *state = fx;
    return 0;
}

static struct ra_jobs *jobs_at(struct ra_gitrepo *r, const char *rev)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_jobs *js = NULL;
    char id[RA_GIT_HEXSZ + 1];

    assert_int_equal(ra_gitrepo_resolve(id, r, rev, &err), 0);
    if (ra_confrepo_jobs(&js, r, id, &err) < 0)
        fail_msg("%s", err.msg);
    return js;
}

static const struct ra_job *job(const struct ra_jobs *js, size_t i)
{
    assert_true(i < js->jobs.len);
    return js->jobs.items[i];
}

static void test_confrepo__head(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_err err = RA_ERR_INIT;
    struct ra_jobs *js;
    const struct ra_registry_image *img;
    const struct ra_problem *p;

    assert_int_equal(ra_gitrepo_open(&r, fx->repo, &err), 0);
    js = jobs_at(r, NULL);
    assert_int_equal(js->jobs.len, 2); /* the symlink to the cron file is not read */
    assert_string_equal(job(js, 0)->id,
                        "cron.d:registry/etc/cron.d/registry:cleanup-tags.sh");
    assert_int_equal(job(js, 0)->cls, RA_JOB_TAG_PRUNE);
    assert_string_equal(job(js, 0)->keep, "keeps newest 10");
    assert_string_equal(job(js, 1)->id,
                        "cron.d:registry/etc/cron.d/registry:registry garbage-collect");
    assert_int_equal(job(js, 1)->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(job(js, 1)->gc.delete_untagged);

    assert_int_equal(js->images.len, 1);
    img = js->images.items[0];
    assert_string_equal(img->image, "registry:2");
    assert_true(img->floating);
    assert_string_equal(img->path, "registry/docker-compose.yml");
    assert_int_equal(img->line, 3);

    assert_int_equal(js->problems.len, 3);
    p = js->problems.items[0];
    assert_string_equal(p->msg, "'assets/logo.yml': binary file, not read");
    p = js->problems.items[1];
    assert_int_equal(p->code, RA_EFORMAT);
    assert_string_equal(p->path, "broken.yml");
    p = js->problems.items[2];
    assert_int_equal(p->code, RA_ELIMIT);
    assert_string_equal(
        p->msg, "'hosts/ci/crontab': 1360000 bytes, more than the limit of 1048576: "
                "not read");
    ra_jobs_free(js);
    ra_gitrepo_free(r);
}

static void test_confrepo__earlier_commits(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_err err = RA_ERR_INIT;
    struct ra_jobs *js;

    assert_int_equal(ra_gitrepo_open(&r, fx->repo, &err), 0);
    js = jobs_at(r, "HEAD~2"); /* "Weekly GC": without -m */
    assert_int_equal(js->jobs.len, 2);
    assert_int_equal(job(js, 1)->cls, RA_JOB_GARBAGE_COLLECT);
    assert_false(job(js, 1)->gc.delete_untagged);
    assert_int_equal(js->problems.len, 0);
    ra_jobs_free(js);

    js = jobs_at(r, "HEAD~3");
    assert_int_equal(js->jobs.len, 1);
    assert_int_equal(job(js, 0)->cls, RA_JOB_TAG_PRUNE);
    ra_jobs_free(js);

    assert_int_equal(
        ra_confrepo_jobs(&js, r, "1234567890123456789012345678901234567890", &err),
        RA_ENOTFOUND);
    assert_null(js);
    ra_gitrepo_free(r);
}

/* A damaged copy: the script's blob is gone. The job is still found; the script is a
 * problem, and without it the job cannot be classified. */
static void test_confrepo__damaged(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_err err = RA_ERR_INIT;
    struct ra_jobs *js;
    const struct ra_problem *p;
    char copy[400];
    size_t i;

    snprintf(copy, sizeof(copy), "%s/damaged", fx->dir);
    sh("git clone -q --no-hardlinks '%s' '%s' && cd '%s' && "
       "h=$(git rev-parse HEAD:registry/opt/ci/cleanup-tags.sh) && "
       "rm .git/objects/$(echo $h | cut -c1-2)/$(echo $h | cut -c3-)",
       fx->repo, copy, copy);
    assert_int_equal(ra_gitrepo_open(&r, copy, &err), 0);
    js = jobs_at(r, NULL);
    assert_int_equal(js->jobs.len, 2);
    assert_int_equal(job(js, 0)->cls, RA_JOB_OTHER);
    assert_int_equal(job(js, 1)->cls, RA_JOB_GARBAGE_COLLECT);
    for (i = 0, p = NULL; i < js->problems.len; i++) {
        p = js->problems.items[i];
        if (p->code == RA_EIO)
            break;
    }
    assert_true(i < js->problems.len);
    assert_string_equal(
        p->msg,
        "'registry/opt/ci/cleanup-tags.sh': missing from the repository (damaged)");
    ra_jobs_free(js);
    ra_gitrepo_free(r);
}

/* One scanner over the commits of the history: each blob is read once. */
static void test_confrepo__scanner_reads_each_blob_once(void **state)
{
    static const char *const revs[] = {"HEAD~3", "HEAD~2", "HEAD~1", "HEAD", "HEAD~3"};
    static const size_t njobs[] = {1, 2, 2, 2, 1};
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_confrepo *cr = NULL;
    struct ra_err err = RA_ERR_INIT;
    struct ra_jobs *js;
    char id[RA_GIT_HEXSZ + 1];
    size_t i;

    assert_int_equal(ra_gitrepo_open(&r, fx->repo, &err), 0);
    assert_int_equal(ra_confrepo_new(&cr, r), 0);
    for (i = 0; i < RA_ARRAY_SIZE(revs); i++) {
        assert_int_equal(ra_gitrepo_resolve(id, r, revs[i], &err), 0);
        assert_int_equal(ra_confrepo_scan(&js, cr, id, &err), 0);
        assert_int_equal(js->jobs.len, njobs[i]);
        ra_jobs_free(js);
    }
    /* compose, cron file, script; the cron file twice more; broken.yml and logo.yml
     * (the large crontab is not read, the symlink is skipped) */
    assert_int_equal(ra_confrepo_blobs_read(cr), 7);
    assert_int_equal(
        ra_confrepo_scan(&js, cr, "1234567890123456789012345678901234567890", &err),
        RA_ENOTFOUND);
    ra_confrepo_free(cr);
    ra_confrepo_free(NULL);
    ra_gitrepo_free(r);
}

struct versions {
    char summary[8][64];
    ra_time time[8];
    size_t n;
};

static int on_change(const struct ra_gitchange *ch, void *payload)
{
    struct versions *v = payload;

    assert_true(v->n < 8);
    snprintf(v->summary[v->n], sizeof(v->summary[v->n]), "%s", ch->summary);
    v->time[v->n++] = ch->time;
    return 0;
}

/* What a job's history builds on: the commits that changed a job's
 * definition or its scripts. */
static void test_confrepo__job_paths_history(void **state)
{
    struct fixture *fx = *state;
    struct ra_gitrepo *r = NULL;
    struct ra_err err = RA_ERR_INIT;
    struct versions v;
    struct ra_jobs *js;
    const struct ra_job *gc;
    const char *paths[4];
    size_t n = 0, i;

    memset(&v, 0, sizeof(v));
    assert_int_equal(ra_gitrepo_open(&r, fx->repo, &err), 0);
    js = jobs_at(r, NULL);
    gc = job(js, 1);
    paths[n++] = gc->path;
    for (i = 0; i < gc->scripts.len; i++)
        paths[n++] = gc->scripts.items[i];
    assert_int_equal(ra_gitrepo_history(r, NULL, paths, n, on_change, &v, &err), 0);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.summary[0], "GC: delete untagged manifests too");
    assert_int_equal(v.time[0], 1775475000); /* 2026-04-06T11:30:00Z */
    assert_string_equal(v.summary[1], "Weekly GC");
    assert_string_equal(v.summary[2], "Registry host: compose and cleanup");
    ra_jobs_free(js);
    ra_gitrepo_free(r);
}

/* The pipelines of a commit (confrepo_pipelines.c): only CI files, symbolic links not
 * read, an unknown commit refused. */
static void test_confrepo__pipelines(void **state)
{
    struct ra_gitrepo *r = NULL;
    struct ra_pipelines *p = NULL;
    struct ra_err err = RA_ERR_INIT;
    char dir[256], repo[300], id[RA_GIT_HEXSZ + 1];
    const struct ra_pipeline *pl;

    (void)state;
    git_sandbox(dir, sizeof(dir), "confrepo-pipelines");
    snprintf(repo, sizeof(repo), "%s/config", dir);
    sh("git init -q -b main '%s'", repo);
    put(repo, ".woodpecker/infra-ci.yml",
        "when:\n  event: push\nsteps:\n  publish:\n    image: "
        "woodpeckerci/plugin-docker-buildx\n    settings:\n      repo: "
        "registry.example.internal/infra-ci\n");
    put(repo, "ci/not-ci.yml", "steps:\n  x:\n    image: alpine\n");
    commit(repo, "2026-03-02T10:12:00Z", "tomas", "Initial import");
    put(repo, ".woodpecker/lint.yml", "steps:\n  lint:\n    image: alpine:3.19\n");
    sh("cd '%s' && ln -s .woodpecker/lint.yml .drone.yml", repo);
    commit(repo, "2026-03-09T14:05:00Z", "tomas", "lint");

    assert_int_equal(ra_gitrepo_open(&r, repo, &err), 0);
    assert_int_equal(ra_gitrepo_resolve(id, r, "HEAD~1", &err), 0);
    assert_int_equal(ra_confrepo_pipelines(&p, r, id, &err), 0);
    assert_int_equal(p->pipelines.len, 1);
    pl = p->pipelines.items[0];
    assert_string_equal(pl->id, "woodpecker:.woodpecker/infra-ci.yml:infra-ci");
    assert_int_equal(pl->pushes.len, 1);
    ra_pipelines_free(p);

    assert_int_equal(ra_gitrepo_resolve(id, r, "HEAD", &err), 0);
    assert_int_equal(ra_confrepo_pipelines(&p, r, id, &err), 0);
    assert_int_equal(p->pipelines.len, 2); /* the symbolic link is not read */
    pl = p->pipelines.items[1];
    assert_string_equal(pl->id, "woodpecker:.woodpecker/lint.yml:lint");
    assert_int_equal(pl->uses.len, 1);
    assert_string_equal(((const struct ra_pipeline_image *)pl->uses.items[0])->ref,
                        "alpine:3.19");
    assert_int_equal(p->problems.len, 0);
    ra_pipelines_free(p);

    assert_int_equal(
        ra_confrepo_pipelines(&p, r, "1234567890123456789012345678901234567890", &err),
        RA_ENOTFOUND);
    assert_null(p);
    ra_gitrepo_free(r);
    sh("rm -rf '%s'", dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confrepo__head),
        cmocka_unit_test(test_confrepo__earlier_commits),
        cmocka_unit_test(test_confrepo__damaged),
        cmocka_unit_test(test_confrepo__scanner_reads_each_blob_once),
        cmocka_unit_test(test_confrepo__job_paths_history),
        cmocka_unit_test(test_confrepo__pipelines),
    };

    return cmocka_run_group_tests_name("config/confrepo", tests, setup, git_teardown);
}
