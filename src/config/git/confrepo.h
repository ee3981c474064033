/* SPDX-License-Identifier: MIT */
/* The jobs of a config repository at one commit, or at many: config/gitrepo lists and
 * reads the files (bounded), config/jobs finds and classifies the jobs in them. Blobs are
 * read once and kept, so that scanning commit after commit (the versions of a job) reads
 * only what changed. */
#ifndef RA_CONFIG_GIT_CONFREPO_H
#define RA_CONFIG_GIT_CONFREPO_H

#include "util/common.h"

struct ra_gitrepo;
struct ra_jobs;
struct ra_pipelines;

/* At most this many bytes of file content are read from one commit. */
#define RA_CONFREPO_TOTAL_MAX ((size_t)256 * 1024 * 1024)

/* Blobs are kept for later scans until they add up to this many bytes. */
#define RA_CONFREPO_CACHE_MAX ((size_t)512 * 1024 * 1024)

/* A repository and the blobs read from it so far. */
struct ra_confrepo;

/* A scanner over repo, which must outlive it. Aborts on OOM only. */
int ra_confrepo_new(struct ra_confrepo **out, struct ra_gitrepo *repo);

/* Free the scanner and its cached blobs (not the repository). NULL is fine. */
void ra_confrepo_free(struct ra_confrepo *cr);

/*
 * Scan the tree of commit (40 hex, see ra_gitrepo_resolve) for jobs and registry images.
 * Files larger than RA_JOBS_FILE_MAX are not read (a problem is recorded when their name
 * says they would have been parsed); symbolic links and submodules are skipped; binary
 * files are read but not parsed. Files and directories that cannot be read from a
 * damaged repository are recorded as problems (RA_EIO) and the rest is read. On success
 * *out is a new result the caller frees with ra_jobs_free.
 * Returns RA_ENOTFOUND or RA_EFORMAT as ra_gitrepo_files, RA_ELIMIT when the commit's
 * readable files add up to more than RA_CONFREPO_TOTAL_MAX, RA_ERROR otherwise.
 */
int ra_confrepo_scan(struct ra_jobs **out, struct ra_confrepo *cr, const char *commit,
                     struct ra_err *err);

/* How many blobs have been read from the repository so far (each once). */
size_t ra_confrepo_blobs_read(const struct ra_confrepo *cr);

/* One scan without keeping anything: ra_confrepo_new, ra_confrepo_scan, ra_confrepo_free.
 */
int ra_confrepo_jobs(struct ra_jobs **out, struct ra_gitrepo *repo, const char *commit,
                     struct ra_err *err);

/*
 * The pipelines of a config repository at commit (40 hex, see ra_gitrepo_resolve), as
 * ra_confrepo_jobs gives its jobs: only the CI files of the commit's tree are read (at
 * most RA_JOBS_FILE_MAX bytes each; symbolic links skipped); blobs and trees missing
 * from a damaged repository are recorded as problems (RA_EIO) and the rest is read. On
 * success *out is a new result the caller frees with ra_pipelines_free.
 * Returns RA_ENOTFOUND or RA_EFORMAT as ra_gitrepo_files, RA_ERROR otherwise.
 * (In confrepo_pipelines.c: it does not share ra_confrepo's blob cache.)
 */
int ra_confrepo_pipelines(struct ra_pipelines **out, struct ra_gitrepo *repo,
                          const char *commit, struct ra_err *err);

#endif
