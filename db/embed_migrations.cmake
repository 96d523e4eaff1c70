# Writes ${OUT}: a C++ file holding every db/migrations/NNNN_name.sql as a raw string, so the
# server needs no files beside its binary. Run at build time (see CMakeLists.txt).
file(GLOB sql_files "${MIGRATIONS_DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(f ${sql_files})
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.*)$" _ ${name})
  set(version ${CMAKE_MATCH_1})
  math(EXPR version "${version} + 0")
  file(READ ${f} sql)
  string(APPEND body "      {${version}, \"${CMAKE_MATCH_2}\", R\"lims_sql(${sql})lims_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from db/migrations by embed_migrations.cmake. Do not edit.
#include \"migrations.h\"

namespace lims::db {

const std::vector<Migration>& EmbeddedMigrations() {
  static const std::vector<Migration> kMigrations = {
${body}  };
  return kMigrations;
}

}  // namespace lims::db
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
