/* SPDX-License-Identifier: MIT */
/* Walking YAML with libyaml's document API: every document of a stream, lookups that
 * follow "<<" merge keys, libyaml's problem translated into one message. For the
 * config/ modules only (<yaml.h> stays in config/). */
#ifndef RA_CONFIG_TEXT_YAMLDOC_H
#define RA_CONFIG_TEXT_YAMLDOC_H

#include <yaml.h>

#include "util/buf.h"
#include "util/common.h"

/* Limits for a walk over one document: aliases can multiply a small file. */
#define RA_YAMLDOC_MAX_DEPTH 64
#define RA_YAMLDOC_MAX_VISITS 200000

/* Called for each document of a stream with its root node (never NULL). */
typedef void (*ra_yamldoc_cb)(yaml_document_t *doc, yaml_node_t *root, void *payload);

/*
 * Parse every document of text[0..len) and call cb for each, in order. On a syntax
 * error the documents before it have been handed to cb; *line (1-based) and msg get
 * libyaml's problem ("did not find expected key while parsing a block mapping (from
 * line 3)"), without a file name. Returns 0, RA_EFORMAT on a syntax error, RA_ERROR
 * when the parser cannot be created.
 */
int ra_yamldoc_load_all(const char *text, size_t len, ra_yamldoc_cb cb, void *payload,
                        unsigned *line, struct ra_buf *msg);

/* The 1-based line a node starts on. */
unsigned ra_yamldoc_line(const yaml_node_t *n);

/* The line of a scalar's first character of content: a block scalar ("|", ">") starts
 * on the line after its indicator. */
unsigned ra_yamldoc_content_line(const yaml_node_t *n);

/* A scalar's text (borrowed from the document), or NULL for other nodes and NULL. */
const char *ra_yamldoc_scalar(const yaml_node_t *n);

enum ra_yamldoc_flags {
    RA_YAMLDOC_LOOSE = 1 << 0, /* keys compared without case, '-' and '_' */
    RA_YAMLDOC_OWN = 1 << 1,   /* the mapping's own keys only, no "<<" merge */
};

/* The value of key in a mapping, or NULL (also when map is not a mapping). Keys of a
 * "<<" merge (a mapping or a list of mappings) are found too, the mapping's own first.
 * With RA_YAMLDOC_LOOSE, "dry-run" finds "dry_run" and "DRY_RUN"; with RA_YAMLDOC_OWN a
 * merge is not followed. */
yaml_node_t *ra_yamldoc_get(yaml_document_t *doc, const yaml_node_t *map, const char *key,
                            unsigned flags);

/* ra_yamldoc_scalar(ra_yamldoc_get(doc, map, key, flags)). */
const char *ra_yamldoc_str(yaml_document_t *doc, const yaml_node_t *map, const char *key,
                           unsigned flags);

/* The i-th item of a sequence, or NULL. */
yaml_node_t *ra_yamldoc_item(yaml_document_t *doc, const yaml_node_t *seq, size_t i);

/* YAML 1.1 and Ansible truth: yes, true, on, y, 1 (any case). NULL is false. */
int ra_yamldoc_truthy(const char *s);

#endif
