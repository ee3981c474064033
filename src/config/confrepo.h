/* SPDX-License-Identifier: MIT */
/* The jobs of a config repository at one commit: config/gitrepo lists and reads its files
 * (bounded), config/jobs finds and classifies the jobs in them. */
#ifndef RA_CONFIG_CONFREPO_H
#define RA_CONFIG_CONFREPO_H

#include "util/common.h"

struct ra_gitrepo;
struct ra_jobs;

/* At most this many bytes of file content are read from one commit. */
#define RA_CONFREPO_TOTAL_MAX ((size_t)256 * 1024 * 1024)

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
int ra_confrepo_jobs(struct ra_jobs **out, struct ra_gitrepo *repo, const char *commit,
                     struct ra_err *err);

#endif
