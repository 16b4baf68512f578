# SPDX-License-Identifier: MIT
# ctest's `c_package`: installs the build into a fresh prefix, then builds tests/package against
# it with CMake (a C-only project, then with the C++ consumer) and with pkg-config + the C
# compiler, and checks that each consumer prints the golden case's payouts.csv byte for byte.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=tests/package -DWORK_DIR=... -DGENERATOR=Ninja
#         -DCASE_DIR=tests/data/golden/01_... [-DC_COMPILER=cc] -P run.cmake
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CASE_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake needs -D${var}=...")
  endif()
endforeach()

function(run_checked what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

function(expect_payouts what)
  file(READ ${CASE_DIR}/expected_payouts.csv expected)
  run_checked("${what}" ${ARGN} ${CASE_DIR}/plan.json ${CASE_DIR}/network.csv ${CASE_DIR}/sales.csv)
  if(NOT run_output STREQUAL expected)
    message(FATAL_ERROR "${what} printed:\n${run_output}\nexpected:\n${expected}")
  endif()
  message(STATUS "${what}: payouts as expected")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run_checked("installing" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

foreach(variant c cxx)
  set(flags -DCMAKE_BUILD_TYPE=Release)
  if(variant STREQUAL "cxx")
    list(APPEND flags -DCONSUMER_CXX=ON)
  endif()
  run_checked("configuring the ${variant} consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/${variant}
              -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix} ${flags})
  run_checked("building the ${variant} consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/${variant})
  expect_payouts("consumer_c (CMake, ${variant} project)" ${WORK_DIR}/${variant}/consumer_c)
  if(variant STREQUAL "cxx")
    expect_payouts("consumer_cpp (CMake)" ${WORK_DIR}/${variant}/consumer_cpp)
  endif()
endforeach()

# pkg-config, as a Makefile-based CRM would build.
find_program(PKG_CONFIG NAMES pkg-config pkgconf)
if(NOT C_COMPILER)
  find_program(C_COMPILER NAMES cc gcc clang REQUIRED)
endif()
if(PKG_CONFIG)
  file(GLOB_RECURSE pc_files ${prefix}/*/downline.pc)
  list(GET pc_files 0 pc_file)
  get_filename_component(pc_dir ${pc_file} DIRECTORY)
  run_checked("pkg-config" ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir} ${PKG_CONFIG} --cflags --libs downline)
  separate_arguments(pc_flags UNIX_COMMAND "${run_output}")
  run_checked("compiling consumer.c with pkg-config" ${C_COMPILER} -std=c11 -Wall -Wextra -pedantic -Werror
              ${SOURCE_DIR}/consumer.c ${pc_flags} -o ${WORK_DIR}/consumer_pc)
  expect_payouts("consumer_c (pkg-config)" ${WORK_DIR}/consumer_pc)
else()
  message(STATUS "pkg-config not found: the pkg-config consumer is skipped")
endif()
