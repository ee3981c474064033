# SPDX-License-Identifier: MIT
# Compile the default templates into the binary: writes OUT, a C source defining
# ra_builtin_templates (report/builtin.h), one entry per DIR/*.mustache, named as the
# file without ".mustache" and sorted by name. Run at build time:
#   cmake -DDIR=templates -DOUT=templates_builtin.c -P cmake/embed_templates.cmake
file(GLOB _files ${DIR}/*.mustache)
list(SORT _files)
set(_src "/* Generated from the templates' .mustache files by cmake/embed_templates.cmake:\n * do not edit. */\n")
string(REPEAT "0x..," 16 _line)
string(APPEND _src "#include \"report/builtin.h\"\n\n")
set(_table "")
set(_i 0)
foreach(_f ${_files})
  get_filename_component(_base ${_f} NAME)
  string(REGEX REPLACE "\\.mustache$" "" _name ${_base})
  file(READ ${_f} _hex HEX)
  string(LENGTH "${_hex}" _n)
  math(EXPR _len "${_n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
  # 16 bytes a line
  string(REGEX REPLACE "(${_line})" "\\1\n    " _bytes "${_bytes}")
  string(APPEND _src "/* ${_base} */\nstatic const char t${_i}[] = {\n    ${_bytes}0x00};\n\n")
  string(APPEND _table "    {\"${_name}\", t${_i}, ${_len}},\n")
  math(EXPR _i "${_i} + 1")
endforeach()
string(APPEND _src "const struct ra_builtin_template ra_builtin_templates[] = {\n${_table}"
                   "    {0, 0, 0},\n};\n")
# Rewrite only on change, so the library is not rebuilt for nothing.
if(EXISTS ${OUT})
  file(READ ${OUT} _old)
endif()
if(NOT "${_old}" STREQUAL "${_src}")
  file(WRITE ${OUT} "${_src}")
endif()
