/* SPDX-License-Identifier: MIT */
/* Fuzz target: the whole scan path on arbitrary bytes. The input is written to a memfd
 * and read as a snapshot archive (ingest/source through libarchive, ingest/snapshot and
 * layout, model/manifest and graph), analysed (analysis/pull, findings) and rendered
 * (report/scan_json, scan_text). An odd-sized input is scanned with --verify. Checks: the
 * documented return codes, and an error message on failure. */
#define _GNU_SOURCE /* memfd_create */
#include "fuzz.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "analysis/scan.h"
#include "report/scan_out.h"
#include "util/buf.h"

static int memfd = -1;
static char memfd_path[64];

/* The input as a file at memfd_path; 0, or -1 when it could not be written. */
static int put_input(const uint8_t *data, size_t size)
{
    size_t off = 0;
    ssize_t n;

    if (memfd < 0) {
        memfd = memfd_create("fuzz_archive", MFD_CLOEXEC);
        FUZZ_CHECK(memfd >= 0);
        snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
    }
    if (ftruncate(memfd, 0) < 0)
        return -1;
    while (off < size) {
        if ((n = pwrite(memfd, data + off, size - off, (off_t)off)) <= 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

static void render(struct ra_scan *s)
{
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *const scans[1] = {s};

    FUZZ_CHECK(ra_scan_write_json(&out, scans, 1, &err) == 0);
    ra_buf_truncate(&out, 0);
    ra_scan_write_text(&out, scans, 1, 0);
    ra_buf_truncate(&out, 0);
    ra_scan_write_text(&out, scans, 1, RA_SCAN_TEXT_ALL_TAGS);
    (void)ra_scan_has_unpullable(s);
    (void)ra_scan_has_critical(s);
    ra_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ra_snapshot_spec spec = {memfd_path, "fuzz.tar", RA_TIME_NONE,
                                    RA_TAKEN_UNKNOWN};
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s = NULL;
    int rc;

    if (put_input(data, size) < 0)
        return 0;
    opts.verify = (int)(size & 1);
    rc = ra_scan_run(&s, &spec, &opts, &err);
    if (rc < 0) {
        FUZZ_CHECK(rc == RA_EFORMAT || rc == RA_ENOTFOUND);
        FUZZ_CHECK(s == NULL && err.code == rc && err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(s != NULL && s->snap != NULL && s->nregs == s->snap->graphs.len);
    render(s);
    ra_scan_free(s);
    return 0;
}
