/* SPDX-License-Identifier: MIT */
/* Image references ("host/path/name:tag@digest") as Docker reads them: the one parser of
 * config/, with the normal form and matching (pipelines), the version in effect and
 * whether a reference names the registry (jobs). */
#ifndef RA_CONFIG_TEXT_IMAGEREF_H
#define RA_CONFIG_TEXT_IMAGEREF_H

#include "util/buf.h"
#include "util/common.h"

/* A reference split into host (NULL for Docker Hub), path, tag and digest (NULL when
 * absent); the parts point into the string parsed. */
struct ra_imageref {
    const char *host, *path, *tag, *digest;
    size_t host_len, path_len, tag_len, digest_len;
    int explicit_host; /* a host was written, Docker Hub's too */
    size_t name_len;   /* the name as written, host included: up to ':tag' or '@' */
};

/*
 * Split s. The host is the first segment when it has '.' or ':', is "localhost", or is a
 * variable ("$REGISTRY/app", "{{ registry }}/app"); Docker Hub's spellings (docker.io,
 * index.docker.io, registry-1.docker.io) give host NULL, and its "library/" is dropped
 * from a one-segment path. The tag starts at the first ':' after the last '/' ("x:${TAG:-
 * latest}" has the tag "${TAG:-latest}"); the digest follows '@'.
 */
void ra_imageref_parse(struct ra_imageref *r, const char *s);

/* Does the reference start with a registry host ("r.example/x", "$REGISTRY/x")? */
int ra_imageref_has_host(const char *ref);

/*
 * Do two references name the same repository:tag? A missing tag is "latest" (unless a
 * digest is given), the host is compared as written (without case), and Docker Hub's
 * spellings are one: "alpine", "library/alpine", "docker.io/library/alpine",
 * "index.docker.io/library/alpine". When both give a digest, the digests must match too.
 */
int ra_imageref_match(const char *a, const char *b);

/* Does candidate c answer query q: as ra_imageref_match when q names a host (Docker
 * Hub's too), else the same repository path on any host ("library/" not counted). */
int ra_imageref_answers(const struct ra_imageref *q, const struct ra_imageref *c);

/* The normal form used for matching, into out (emptied first): "host/path:tag", with
 * Docker Hub's host and "library/" dropped and "latest" added when no tag or digest is
 * given ("docker.io/library/alpine" -> "alpine:latest", "r.example/x@sha256:..." kept).
 */
void ra_imageref_normalize(struct ra_buf *out, const char *ref);

/* The version of ref and whether it floats: the digest ("sha256:...", pinned), else the
 * tag (floating unless it is a full version such as "2.8.3", "v3.0.0-rc.1", and holds no
 * variable), else "latest" (floating). *version points into ref or to "latest". */
void ra_imageref_version(const char **version, size_t *version_len, int *floating,
                         const char *ref);

/* Does the reference name the registry (registry, library/registry,
 * distribution/distribution, on any host; "host/registry" on a registry host)? */
int ra_imageref_is_registry(const char *ref);

#endif
