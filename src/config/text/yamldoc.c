/* SPDX-License-Identifier: MIT */
/* Helpers over libyaml's document API shared by the config/ modules that read YAML. */
#include "config/text/yamldoc.h"

#include <assert.h>
#include <ctype.h>
#include <strings.h>

unsigned ra_yamldoc_line(const yaml_node_t *n)
{
    return (unsigned)n->start_mark.line + 1;
}

unsigned ra_yamldoc_content_line(const yaml_node_t *n)
{
    return ra_yamldoc_line(n) + (n->type == YAML_SCALAR_NODE &&
                                 (n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                                  n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE));
}

const char *ra_yamldoc_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int key_eq(const char *k, const char *want, unsigned flags)
{
    if (!(flags & RA_YAMLDOC_LOOSE))
        return !strcmp(k, want);
    for (;; k++, want++) {
        int a = *k == '-' ? '_' : tolower((unsigned char)*k);
        int b = *want == '-' ? '_' : tolower((unsigned char)*want);
        if (a != b)
            return 0;
        if (!a)
            return 1;
    }
}

static yaml_node_t *get(yaml_document_t *doc, const yaml_node_t *map, const char *key,
                        unsigned flags, int depth)
{
    yaml_node_t *merge = NULL, *v;
    yaml_node_pair_t *p;
    yaml_node_item_t *it;
    const char *k;

    if (!map || map->type != YAML_MAPPING_NODE || depth > 8)
        return NULL;
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        k = ra_yamldoc_scalar(yaml_document_get_node(doc, p->key));
        if (k && key_eq(k, key, flags))
            return yaml_document_get_node(doc, p->value);
        if (k && !strcmp(k, "<<") && !(flags & RA_YAMLDOC_OWN))
            merge = yaml_document_get_node(doc, p->value);
    }
    if (!merge)
        return NULL;
    if (merge->type == YAML_MAPPING_NODE)
        return get(doc, merge, key, flags, depth + 1);
    if (merge->type != YAML_SEQUENCE_NODE)
        return NULL;
    for (it = merge->data.sequence.items.start; it < merge->data.sequence.items.top;
         it++) {
        if ((v = get(doc, yaml_document_get_node(doc, *it), key, flags, depth + 1)))
            return v; /* the first mapping of the list wins */
    }
    return NULL;
}

yaml_node_t *ra_yamldoc_get(yaml_document_t *doc, const yaml_node_t *map, const char *key,
                            unsigned flags)
{
    return get(doc, map, key, flags, 0);
}

const char *ra_yamldoc_str(yaml_document_t *doc, const yaml_node_t *map, const char *key,
                           unsigned flags)
{
    return ra_yamldoc_scalar(ra_yamldoc_get(doc, map, key, flags));
}

yaml_node_t *ra_yamldoc_item(yaml_document_t *doc, const yaml_node_t *seq, size_t i)
{
    if (!seq || seq->type != YAML_SEQUENCE_NODE ||
        i >= (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start))
        return NULL;
    return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}

int ra_yamldoc_truthy(const char *s)
{
    static const char *const yes[] = {"yes", "true", "on", "y", "1"};
    size_t i;

    for (i = 0; s && i < RA_ARRAY_SIZE(yes); i++) {
        if (!strcasecmp(s, yes[i]))
            return 1;
    }
    return 0;
}

/* libyaml's problem, translated once: "did not find expected ',' or ']' while parsing a
 * flow sequence (from line 6)". */
static void problem(unsigned *line, struct ra_buf *msg, const yaml_parser_t *parser)
{
    size_t at = parser->problem_mark.line + 1;

    ra_buf_truncate(msg, 0);
    ra_buf_puts(msg, parser->problem ? parser->problem : "parse error");
    if (parser->context) {
        ra_buf_printf(msg, " %s", parser->context);
        if (parser->context_mark.line + 1 != at)
            ra_buf_printf(msg, " (from line %zu)", parser->context_mark.line + 1);
    }
    *line = (unsigned)at;
}

int ra_yamldoc_load_all(const char *text, size_t len, ra_yamldoc_cb cb, void *payload,
                        unsigned *line, struct ra_buf *msg)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root;
    int error = 0;

    assert(text && cb && line && msg);
    if (!yaml_parser_initialize(&parser)) {
        *line = 0;
        ra_buf_truncate(msg, 0);
        ra_buf_puts(msg, "YAML parser: out of memory");
        return RA_ERROR;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    for (;;) {
        if (!yaml_parser_load(&parser, &doc)) {
            problem(line, msg, &parser);
            error = RA_EFORMAT;
            break;
        }
        root = yaml_document_get_root_node(&doc);
        if (!root) {
            yaml_document_delete(&doc);
            break; /* the end of the stream */
        }
        cb(&doc, root, payload);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return error;
}
