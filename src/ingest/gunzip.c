/* SPDX-License-Identifier: MIT */
/* The zlib adapter: gzip files (RFC 1952) of one or more members, each member's trailer
 * (CRC-32 and length of its data) checked by inflate's gzip mode. */
#include "ingest/gunzip.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "util/common.h"

#define GUNZIP_IN (1024 * 1024)

struct ra_gunzip {
    int fd;
    z_stream z;
    unsigned char *in;
    int eof;          /* the file has no more bytes */
    int between;      /* a member ended: what follows decides */
    int finished;     /* the end of the last member */
    unsigned member;  /* 1-based, for messages */
    uint64_t start;   /* where the current member starts in the file */
    uint64_t read_in; /* bytes read from the file */
    char failed[200]; /* the failure, once there was one: every later read says it */
};

int ra_gunzip_sniff(int fd)
{
    unsigned char head[3];
    ssize_t n;

    do
        n = pread(fd, head, sizeof(head), 0);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof(head) && head[0] == 0x1f && head[1] == 0x8b &&
           head[2] == 8;
}

/* zlib allocates through the aborting allocators: setting up cannot fail. */
static voidpf zalloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return ra_xcalloc(items, size);
}

static void zfree(voidpf opaque, voidpf p)
{
    (void)opaque;
    free(p);
}

void ra_gunzip_new(struct ra_gunzip **out, int fd)
{
    struct ra_gunzip *g = ra_xcalloc(1, sizeof(*g));
    int r;

    assert(out && fd >= 0);
    g->fd = fd;
    g->in = ra_xmalloc(GUNZIP_IN);
    g->member = 1;
    g->z.zalloc = zalloc;
    g->z.zfree = zfree;
    r = inflateInit2(&g->z, 15 + 16); /* 16: the gzip wrapper, trailer checked */
    assert(r == Z_OK);
    (void)r;
    *out = g;
}

uint64_t ra_gunzip_bytes_in(const struct ra_gunzip *g)
{
    return g->read_in - g->z.avail_in;
}

static int fail(struct ra_gunzip *g, const char *what)
{
    snprintf(g->failed, sizeof(g->failed), "gzip member %u (at byte %llu): %s", g->member,
             (unsigned long long)g->start, what);
    return -1;
}

/* More input when zlib has used all it had. Returns 0, or -1 on a read error. */
static int refill(struct ra_gunzip *g)
{
    ssize_t n;

    if (g->z.avail_in || g->eof)
        return 0;
    do
        n = read(g->fd, g->in, GUNZIP_IN);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return fail(g, strerror(errno));
    g->eof = !n;
    g->read_in += (uint64_t)n;
    g->z.next_in = g->in;
    g->z.avail_in = (uInt)n;
    return 0;
}

/* After a member: another member starts, or only zeros (padding some writers add) are
 * left, or something else is there. Returns 0 or -1. */
static int next_member(struct ra_gunzip *g)
{
    for (;;) {
        if (refill(g) < 0)
            return -1;
        if (!g->z.avail_in) {
            g->finished = 1;
            return 0;
        }
        if (g->z.next_in[0] != 0)
            break;
        g->z.next_in++;
        g->z.avail_in--;
    }
    if (g->z.next_in[0] != 0x1f) {
        snprintf(g->failed, sizeof(g->failed),
                 "gzip: the data at byte %llu, after member %u, is not gzip",
                 (unsigned long long)ra_gunzip_bytes_in(g), g->member);
        return -1;
    }
    g->start = ra_gunzip_bytes_in(g);
    g->member++;
    g->between = 0;
    inflateReset(&g->z);
    return 0;
}

/* zlib's message for a failed inflate, said the way the rest of the program says it. */
static const char *zlib_what(const z_stream *z)
{
    if (!z->msg)
        return "corrupt deflate data";
    if (!strcmp(z->msg, "incorrect data check"))
        return "the CRC-32 in its trailer does not match its data";
    if (!strcmp(z->msg, "incorrect length check"))
        return "the length in its trailer does not match its data";
    return z->msg;
}

/* Inflate into what z.next_out points to until something came out, the last member
 * ended, or a failure (g->failed set, -1). */
static int inflate_some(struct ra_gunzip *g, const unsigned char *start)
{
    int r;

    while (g->z.next_out == start && !g->finished) {
        if (g->between && next_member(g) < 0)
            return -1;
        if (g->finished || refill(g) < 0)
            break;
        if (!g->z.avail_in && g->eof)
            return fail(g, "the file ends inside it");
        r = inflate(&g->z, Z_NO_FLUSH);
        if (r == Z_STREAM_END)
            g->between = 1;
        else if (r != Z_OK && r != Z_BUF_ERROR)
            return fail(g, zlib_what(&g->z));
    }
    return *g->failed ? -1 : 0;
}

ssize_t ra_gunzip_read(struct ra_gunzip *g, void *buf, size_t len, char *msg,
                       size_t msg_len)
{
    size_t n;

    if (!*g->failed) {
        g->z.next_out = buf;
        g->z.avail_out = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
        inflate_some(g, buf);
        /* what came out before a failure is delivered first (a bad trailer fails
         * after the member's last bytes) */
        if ((n = (size_t)(g->z.next_out - (unsigned char *)buf)) > 0)
            return (ssize_t)n;
    }
    if (*g->failed) {
        snprintf(msg, msg_len, "%s", g->failed);
        return -1;
    }
    return 0;
}

void ra_gunzip_free(struct ra_gunzip *g)
{
    if (!g)
        return;
    inflateEnd(&g->z);
    free(g->in);
    free(g);
}
