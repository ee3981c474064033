/* SPDX-License-Identifier: MIT */
/* Shared by the config/jobs tests: files given as literals, one scan of them that must
 * succeed, and the items of its lists found by position or name, the test failing when
 * there is none. Include after <cmocka.h>. */
#ifndef RA_TESTS_JOBS_FIXTURE_H
#define RA_TESTS_JOBS_FIXTURE_H

#include <string.h>

#include "config/jobs/jobs.h"

/* clang-format off */
#define F(path, text) {path, text, sizeof(text) - 1}
/* clang-format on */

static inline struct ra_jobs *scan(const struct ra_jobs_file *files, size_t n)
{
    struct ra_jobs *j = NULL;
    struct ra_err err = RA_ERR_INIT;

    assert_int_equal(ra_jobs_scan(&j, files, n, &err), 0);
    assert_non_null(j);
    return j;
}

/* The i-th job or image of a list (jobs, examples, images, example_images). */
static inline const struct ra_job *vec_job(const struct ra_vec *v, size_t i)
{
    assert_true(i < v->len);
    return v->items[i];
}

static inline const struct ra_registry_image *vec_image(const struct ra_vec *v, size_t i)
{
    assert_true(i < v->len);
    return v->items[i];
}

static inline const struct ra_job *job_at(const struct ra_jobs *js, size_t i)
{
    return vec_job(&js->jobs, i);
}

static inline const struct ra_registry_image *image_at(const struct ra_jobs *js, size_t i)
{
    return vec_image(&js->images, i);
}

static inline const struct ra_job_evidence *ev_at(const struct ra_job *j, size_t i)
{
    assert_true(i < j->evidence.len);
    return j->evidence.items[i];
}

static inline const struct ra_problem *problem_at(const struct ra_jobs *js, size_t i)
{
    assert_true(i < js->problems.len);
    return js->problems.items[i];
}

static inline const struct ra_job *by_name(const struct ra_jobs *js, const char *name)
{
    size_t i;

    for (i = 0; i < js->jobs.len; i++) {
        const struct ra_job *j = js->jobs.items[i];
        if (!strcmp(j->name, name))
            return j;
    }
    fail_msg("no job named '%s'", name);
    return NULL;
}

#endif
