/* SPDX-License-Identifier: MIT */
/* Exit codes (docs/guide.md). */
#ifndef RA_CLI_EXIT_H
#define RA_CLI_EXIT_H

/* every tag pullable, no critical finding */
#define RA_EXIT_OK 0
/* some tag unpullable, or a critical finding (incl. read_error) */
#define RA_EXIT_FINDINGS 1
/* bad arguments, or input that could not be read at all */
#define RA_EXIT_USAGE 2

#endif
