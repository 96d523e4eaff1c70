# Runs `buf lint` in PROTO_DIR; fails with a clear message when buf is not installed.
if(NOT EXISTS "${BUF}")
  message(FATAL_ERROR "buf not found at ${BUF}: run deploy/install-deps.sh --tests")
endif()
execute_process(
  COMMAND "${BUF}" lint
  WORKING_DIRECTORY "${PROTO_DIR}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "buf lint found problems in ${PROTO_DIR} (exit ${rc}); see the lines above")
endif()
message(STATUS "buf lint: no findings")
